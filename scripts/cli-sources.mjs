// The TypeScript files that make up the CLI (src/**/*.ts without the browser code of src/dashboard/web), with the size
// and mtime of each: scripts/build-cli.mjs records them in lib/, bin/tokcast.js compares them to decide whether lib/ is current.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** [path relative to src, size, mtimeMs] for every CLI source file, sorted by path. */
export function cliSources(srcDir) {
  const out = [];
  for (const rel of readdirSync(srcDir, { recursive: true })) {
    const p = String(rel);
    if (!p.endsWith('.ts') || p.startsWith(join('dashboard', 'web'))) continue;
    const st = statSync(join(srcDir, p));
    out.push([p, st.size, st.mtimeMs]);
  }
  return out.sort((a, b) => (a[0] < b[0] ? -1 : 1));
}
