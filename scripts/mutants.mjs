#!/usr/bin/env node
// Mutation check for the engine (`npm run mutants`, not part of `npm test`): applies each deliberate break from
// scripts/mutants.list.mjs to a temporary copy of the repository, runs the engine tests there, and reports
// whether the suite failed (killed) or stayed green (survived). The working tree is never changed.
//   npm run mutants                       all mutants against the engine tests
//   npm run mutants -- --only a,b         some of them
//   npm run mutants -- --list             list them
//   npm run mutants -- --tests test/x     other test filters (substrings, as for `npm test`)
// A mutant's `first` test files run before the rest, so a kill usually costs one file; a survivor runs them all.
// Exit status: 0 when every mutant is killed, 1 when one survives or the unmutated baseline fails.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { spawnSync, execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { MUTANTS, ENGINE_TESTS } from './mutants.list.mjs';

const args = process.argv.slice(2);
const opt = (name) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
if (args.includes('--list')) {
  for (const m of MUTANTS) console.log(`${m.id.padEnd(26)} ${m.file.padEnd(28)} ${m.what}`);
  process.exit(0);
}
const only = opt('--only')?.split(',');
const chosen = only ? MUTANTS.filter((m) => only.includes(m.id)) : MUTANTS;
if (only && chosen.length !== only.length) {
  console.error(`mutants: unknown id in --only ${only.join(',')}; known: ${MUTANTS.map((m) => m.id).join(', ')}`);
  process.exit(2);
}
const tests = opt('--tests')?.split(',') ?? ENGINE_TESTS;
const timeoutS = Number(opt('--timeout') ?? 600);

const root = process.cwd();
// every mutation must still match its source exactly once, or the list is stale
for (const m of chosen) {
  const src = readFileSync(join(root, m.file), 'utf8');
  const n = src.split(m.from).length - 1;
  if (n !== 1) { console.error(`mutants: ${m.id}: the text to mutate occurs ${n} times in ${m.file} (expected once): update scripts/mutants.list.mjs`); process.exit(2); }
}

// the copy sits beside the repository so that paths relative to it resolve as they do from the repository
let parent = dirname(root);
try { writeFileSync(join(parent, `.mutants-probe-${process.pid}`), ''); rmSync(join(parent, `.mutants-probe-${process.pid}`)); } catch { parent = tmpdir(); }
const copy = mkdtempSync(join(parent, `.${basename(root)}-mutants-`));
const cleanup = () => rmSync(copy, { recursive: true, force: true });
process.on('SIGINT', () => { cleanup(); process.exit(130); });
process.on('SIGTERM', () => { cleanup(); process.exit(143); });

function runTests(filters = tests) {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['scripts/test.mjs', ...filters], {
    cwd: copy, encoding: 'utf8', timeout: timeoutS * 1000, maxBuffer: 256 * 1024 * 1024,
    env: { ...process.env, TEST_CONCURRENCY: process.env.TEST_CONCURRENCY ?? '2' },
  });
  const out = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  const failed = [...out.matchAll(/^not ok \d+ - (.+)$/gm)].map((x) => x[1]).filter((x) => !x.startsWith('test/') && !x.includes('.test.ts'));
  return { status: r.status, signal: r.signal, seconds: (performance.now() - t0) / 1000, failed, out };
}

let exit = 0;
try {
  const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard', '-z'], { cwd: root, encoding: 'utf8' }).split('\0').filter(Boolean);
  for (const f of files) {
    if (!existsSync(join(root, f))) continue;
    mkdirSync(dirname(join(copy, f)), { recursive: true });
    cpSync(join(root, f), join(copy, f));
  }
  symlinkSync(realpathSync(join(root, 'node_modules')), join(copy, 'node_modules'));
  console.log(`mutants: ${chosen.length} mutants, tests: ${tests.join(' ')}`);
  const base = runTests();
  if (base.status !== 0) {
    console.log(base.out.slice(-4000));
    console.error(`mutants: the unmutated tests fail (exit ${base.status}); fix them first`);
    exit = 1;
    throw new Error('baseline');
  }
  console.log(`baseline: green in ${base.seconds.toFixed(1)} s`);
  const results = [];
  for (const m of chosen) {
    const path = join(copy, m.file);
    const original = readFileSync(path, 'utf8');
    writeFileSync(path, original.replace(m.from, m.to));
    // the test files most likely to fail run first; only if they stay green does the whole set run
    const first = m.first && !opt('--tests') ? runTests(m.first) : null;
    const r = first && first.status !== 0 ? first : runTests();
    if (first && r !== first) r.seconds += first.seconds;
    writeFileSync(path, original);
    const killed = r.status !== 0;
    results.push({ id: m.id, killed, seconds: Number(r.seconds.toFixed(1)), failed: r.failed.length, by: r.failed[0] ?? (r.signal ? `timed out (${r.signal})` : `exit ${r.status}`) });
    console.log(`${killed ? 'KILLED  ' : 'SURVIVED'} ${m.id.padEnd(26)} ${r.seconds.toFixed(1).padStart(6)} s  ${killed ? `${r.failed.length} failing, e.g. "${results.at(-1).by}"` : m.what}`);
  }
  const survived = results.filter((r) => !r.killed);
  console.log(`mutants: ${results.length - survived.length} of ${results.length} killed${survived.length ? `; survived: ${survived.map((r) => r.id).join(', ')}` : ''}`);
  console.log(JSON.stringify({ mutants: results.length, killed: results.length - survived.length, survived: survived.map((r) => r.id), results }));
  if (survived.length) exit = 1;
} catch (e) {
  if (!(e instanceof Error && e.message === 'baseline')) throw e;
} finally {
  cleanup();
}
process.exit(exit);
