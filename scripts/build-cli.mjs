#!/usr/bin/env node
// Compiles src/**/*.ts to plain JavaScript in lib/ (same layout, one .js per .ts, types stripped by esbuild, relative
// `.ts` specifiers rewritten to `.js`), so bin/tokcast.js starts without a TypeScript loader. `npm install` runs it
// through `prepare`; bin/tokcast.js uses lib/ only while it matches src/ file for file (lib/sources.json), else tsx.
import { mkdirSync, readFileSync, rmSync, writeFileSync, renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { transformSync } from 'esbuild';
import { cliSources } from './cli-sources.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'src');
const tmp = join(root, `.lib-${process.pid}.tmp`);
const sources = cliSources(src);
rmSync(tmp, { recursive: true, force: true });
for (const [rel] of sources) {
  const code = readFileSync(join(src, rel), 'utf8');
  const js = transformSync(code, { loader: 'ts', format: 'esm', target: 'node20', sourcefile: rel }).code
    // module paths written as 'x.ts' (imports, import(new URL('./x.ts', ...)), the step list's file names) name the .js twin
    .replace(/(['"`])([^'"`\s\\]*?)\.ts\1/g, '$1$2.js$1');
  const out = join(tmp, rel.replace(/\.ts$/, '.js'));
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, js);
}
writeFileSync(join(tmp, 'sources.json'), JSON.stringify(sources) + '\n');
rmSync(join(root, 'lib'), { recursive: true, force: true });
renameSync(tmp, join(root, 'lib'));
console.error(`cli: compiled ${sources.length} files into lib/`);
