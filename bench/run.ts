// `npm run bench [-- NAME...]`: runs every benchmark module in bench/ (or those matching NAME) and prints
// one JSON line per figure. A module exports async functions returning a figure object or a list of them
// ({name, ...numbers}); it may export `figureNames` so `npm run bench -- NAME` finds it by figure name.
// Each module runs in its own child process so peak-RSS figures are not polluted by earlier modules.
// Every figure must be the median of >= 5 timed runs after a warm-up, with min and max (util.ts ruleProblem); a
// figure that breaks the rule is reported on stderr and the run exits 1.
// `npm run bench -- compare [...]` runs bench/compare.ts instead: tokcast beside the PyTorch reference.
import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ruleProblem } from './util.ts';

const here = fileURLToPath(new URL('.', import.meta.url));
const norm = (s: string) => s.toLowerCase().replace(/[-_]/g, '');

async function runModule(file: string, filters: string[]): Promise<void> {
  const mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  const fileKey = norm(basename(file, '.ts'));
  const names = Array.isArray(mod.figureNames) ? (mod.figureNames as string[]).map(norm) : [];
  for (const [exportName, fn] of Object.entries(mod)) {
    if (typeof fn !== 'function') continue;
    const keys = [fileKey, norm(exportName), ...names];
    if (filters.length && !filters.some((f) => keys.some((k) => k === norm(f)))) continue;
    const out = await (fn as () => Promise<unknown>)();
    for (const fig of Array.isArray(out) ? out : [out]) {
      if (fig && typeof fig === 'object') {
        const f = fig as { name?: string };
        if (filters.length && f.name && !filters.some((x) => [fileKey, norm(exportName), norm(f.name!)].includes(norm(x))) && !names.length) continue;
        process.stdout.write(JSON.stringify(fig) + '\n');
        const problem = ruleProblem(fig as Record<string, unknown>);
        if (problem) { process.stderr.write(`bench ${basename(file)}: figure ${f.name}: ${problem}\n`); process.exitCode = 1; }
      }
    }
  }
}

const args = process.argv.slice(2);
if (args[0] === 'compare') {
  const { compareMain } = await import('./compare.ts');
  process.exit(await compareMain(args.slice(1)));
} else if (args[0] === '--module') {
  await runModule(args[1], args.slice(2));
} else {
  const files = readdirSync(here).filter((f) => f.endsWith('.ts') && !['run.ts', 'util.ts', 'compare.ts'].includes(f)).sort();
  let failed = 0;
  for (const f of files) {
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--expose-gc', join(here, 'run.ts'), '--module', join(here, f), ...args], { stdio: 'inherit' });
    if (r.status !== 0) { failed++; process.stderr.write(`bench ${f} failed (exit ${r.status})\n`); }
  }
  process.exit(failed ? 1 : 0);
}
