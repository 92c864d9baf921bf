#!/usr/bin/env node
// Builds the dashboard front end (src/dashboard/web) into dist/dashboard with Vite. `npm install` runs it through
// `prepare`; with --if-possible a missing Vite (production install) only prints a note instead of failing.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
let vite;
try {
  vite = join(dirname(require.resolve('vite/package.json')), 'bin', 'vite.js');
} catch {
  const msg = 'dashboard: vite is not installed, front end not built (run `npm install` with dev dependencies, then `npm run build:dashboard`)';
  if (process.argv.includes('--if-possible')) { console.error(msg); process.exit(0); }
  console.error(`tokcast: error: ${msg}`);
  process.exit(2);
}
const r = spawnSync(process.execPath, [vite, 'build', '--config', 'src/dashboard/web/vite.config.ts'], { stdio: 'inherit' });
process.exit(r.status ?? 1);
