// `tokcast study` verbs in-process on a temp SQLite file: Optuna-shaped JSON output, ask/tell round trips, seeds,
// pruning reports, and bad input rejected before anything is written.
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { registerStudyCommands } from '../../src/cli/commands/study.ts';
import { UserError } from '../../src/util/errors.ts';

const dir = mkdtempSync(join(tmpdir(), 'tokcast-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let dbN = 0;
const freshDb = () => `sqlite:///${join(dir, `s${dbN++}.db`)}`;

interface Run { out: string; err: string; error?: Error }
async function cli(args: string[]): Promise<Run> {
  const r: Run = { out: '', err: '' };
  const program = new Command('tokcast').exitOverride().configureOutput({ writeOut: (t) => { r.out += t; }, writeErr: (t) => { r.err += t; } });
  registerStudyCommands(program, { out: (t) => { r.out += t; }, err: (t) => { r.err += t; } });
  try {
    await program.parseAsync(['node', 'tokcast', 'study', ...args]);
  } catch (e) {
    r.error = e as Error;
  }
  return r;
}
async function ok(args: string[]): Promise<Run> {
  const r = await cli(args);
  if (r.error) assert.fail(`${args.join(' ')} failed: ${r.error.message}\n${r.err}`);
  return r;
}
const json = (r: Run) => JSON.parse(r.out);

const SPACE = {
  x: { name: 'FloatDistribution', attributes: { low: -5, high: 5, log: false, step: null } },
  lr: { name: 'FloatDistribution', attributes: { low: 1e-5, high: 1e-1, log: true, step: null } },
  n: { name: 'IntDistribution', attributes: { low: 1, high: 64, log: true, step: 1 } },
  k: { name: 'IntDistribution', attributes: { low: 0, high: 10, log: false, step: 2 } },
  c: { name: 'CategoricalDistribution', attributes: { choices: ['a', 1, true, null] } },
};
const space = JSON.stringify(SPACE);
const f = (p: Record<string, unknown>) => (p.x as number) ** 2 + (p.n as number) / 64 + (p.c === 'a' ? 0 : 1);

async function askTellRun(storage: string, n: number, seed: string): Promise<{ number: number; params: Record<string, unknown> }[]> {
  await ok(['create-study', '--storage', storage, '--study-name', 'run', '--direction', 'minimize']);
  const asked = [];
  for (let i = 0; i < n; i++) {
    const a = json(await ok(['ask', '--storage', storage, '--study-name', 'run', '--search-space', space, '--sampler', 'TPESampler', '--sampler-kwargs', '{"n_startup_trials": 4}', '--seed', seed]));
    asked.push(a);
    await ok(['tell', '--storage', storage, '--study-name', 'run', '--trial-number', String(a.number), '--values', String(f(a.params))]);
  }
  return asked;
}

describe('tokcast study', () => {
  it('create-study prints the name; duplicates fail unless --skip-if-exists; studies lists it', async () => {
    const s = freshDb();
    assert.equal((await ok(['create-study', '--storage', s, '--study-name', 'alpha', '--direction', 'maximize'])).out, 'alpha\n');
    const dup = await cli(['create-study', '--storage', s, '--study-name', 'alpha', '--direction', 'maximize']);
    assert.ok(dup.error instanceof UserError);
    assert.equal(dup.out, '');
    assert.equal((await ok(['create-study', '--storage', s, '--study-name', 'alpha', '--direction', 'maximize', '--skip-if-exists'])).out, 'alpha\n');
    const auto = (await ok(['create-study', '--storage', s])).out.trim();
    assert.ok(auto.length > 0 && auto !== 'alpha');
    const list = json(await ok(['studies', '--storage', s, '-f', 'json']));
    assert.deepEqual(list.map((x: { name: string }) => x.name), ['alpha', auto]);
    assert.equal(list[0].direction, 'MAXIMIZE');
    assert.equal(list[0].n_trials, 0);
    await ok(['set-user-attr', '--storage', s, '--study-name', 'alpha', '--key', 'owner', '--value', 'me']);
    await ok(['set-user-attr', '--storage', s, '--study', 'alpha', '--key', 'budget', '--value', '{"trials": 30}']);
    assert.deepEqual(json(await ok(['studies', '--storage', s]))[0].user_attrs, { owner: 'me', budget: { trials: 30 } });
    assert.deepEqual(json(await ok(['study-names', '--storage', s])), ['alpha', auto]);
    await ok(['delete-study', '--storage', s, '--study-name', 'alpha']);
    assert.deepEqual(json(await ok(['studies', '--storage', s])).map((x: { name: string }) => x.name), [auto]);
    assert.ok((await cli(['delete-study', '--storage', s, '--study-name', 'alpha'])).error instanceof UserError);
  });

  it('ask/tell round trip: params inside their distributions with JSON types kept, trials and best-trial agree', async () => {
    const s = freshDb();
    const asked = await askTellRun(s, 12, '3');
    assert.deepEqual(asked.map((a) => a.number), Array.from({ length: 12 }, (_, i) => i));
    for (const { params: p } of asked) {
      assert.deepEqual(Object.keys(p), ['x', 'lr', 'n', 'k', 'c']);
      assert.ok((p.x as number) >= -5 && (p.x as number) <= 5);
      assert.ok((p.lr as number) >= 1e-5 && (p.lr as number) <= 1e-1);
      assert.ok(Number.isInteger(p.n) && (p.n as number) >= 1 && (p.n as number) <= 64);
      assert.ok([0, 2, 4, 6, 8, 10].includes(p.k as number));
      assert.ok(['a', 1, true, null].includes(p.c as string));
    }
    const trials = json(await ok(['trials', '--storage', s, '--study-name', 'run']));
    assert.equal(trials.length, 12);
    assert.ok(trials.every((t: { state: string }) => t.state === 'COMPLETE'));
    assert.deepEqual(trials.map((t: { params: unknown }) => t.params), asked.map((a) => a.params));
    const best = json(await ok(['best-trial', '--storage', s, '--study-name', 'run', '-f', 'json']));
    assert.equal(best.value, Math.min(...asked.map((a) => f(a.params))));
    assert.ok(typeof best.duration === 'number' && best.datetime_start <= best.datetime_complete);
  });

  it('--seed makes a run reproducible while successive asks differ', async () => {
    const a = await askTellRun(freshDb(), 6, '11');
    const b = await askTellRun(freshDb(), 6, '11');
    assert.deepEqual(a, b);
    assert.equal(new Set(a.map((t) => t.params.x)).size, 6);
    const c = await askTellRun(freshDb(), 4, '12');
    const startup = new Set(a.slice(0, 4).map((t) => t.params.x));
    assert.deepEqual(c.filter((t) => startup.has(t.params.x)), [], 'seed 12 replays none of seed 11\'s start-up asks');
  });

  it('tell: pruned takes the last intermediate value, fail stores none, NaN fails, finished trials are refused', async () => {
    const s = freshDb();
    const base = ['--storage', s, '--study', 'tells'];
    await ok(['create-study', '--storage', s, '--study-name', 'tells']);
    for (let i = 0; i < 5; i++) await ok(['ask', ...base, '--search-space', space, '--sampler', 'RandomSampler']);
    await ok(['tell', ...base, '--trial-number', '0', '--step', '0', '--intermediate', '4', '--pruner', 'NopPruner']);
    await ok(['tell', ...base, '--trial-number', '0', '--step', '3', '--intermediate', '2.5', '--pruner', 'NopPruner']);
    assert.deepEqual(json(await ok(['tell', ...base, '--trial-number', '0', '--state', 'pruned'])), { number: 0, state: 'PRUNED', values: [2.5] });
    assert.deepEqual(json(await ok(['tell', ...base, '--trial-number', '1', '--state', 'fail'])), { number: 1, state: 'FAIL', values: null });
    const nan = await ok(['tell', ...base, '--trial-number', '2', '--value', 'nan']);
    assert.equal(json(nan).state, 'FAIL');
    assert.match(nan.err, /NaN/);
    assert.deepEqual(json(await ok(['tell', ...base, '--trial-number', '3', '--values', '-inf'])).values, ['-Infinity']);
    const again = await cli(['tell', ...base, '--trial-number', '3', '--values', '1']);
    assert.ok(again.error instanceof UserError);
    assert.equal(json(await ok(['tell', ...base, '--trial-number', '3', '--values', '1', '--skip-if-finished'])).skipped, true);
    for (const bad of [['--values', '1', '2'], ['--values', 'abc'], ['--state', 'done'], ['--state', 'fail', '--values', '1'], []]) {
      const r = await cli(['tell', ...base, '--trial-number', '4', ...bad]);
      assert.ok(r.error instanceof UserError, `expected an error for ${bad.join(' ')}`);
      assert.equal(r.out, '');
    }
    assert.ok((await cli(['tell', ...base, '--trial-number', '99', '--values', '1'])).error instanceof UserError);
    const trials = json(await ok(['trials', ...base]));
    assert.deepEqual(trials.map((t: { state: string }) => t.state), ['PRUNED', 'FAIL', 'FAIL', 'COMPLETE', 'RUNNING']);
    assert.equal(trials[3].value, '-Infinity');
  });

  it('tell --step/--intermediate records once, asks the pruner and keeps the trial running', async () => {
    const s = freshDb();
    const base = ['--storage', s, '--study-name', 'prune'];
    await ok(['create-study', ...base, '--direction', 'minimize']);
    const one = JSON.stringify({ x: SPACE.x });
    for (let i = 0; i < 5; i++) {
      const { number } = json(await ok(['ask', ...base, '--search-space', one]));
      await ok(['tell', ...base, '--trial-number', String(number), '--step', '0', '--intermediate', String(1 + i / 10)]);
      await ok(['tell', ...base, '--trial-number', String(number), '--values', '1']);
    }
    const bad = json(await ok(['ask', ...base, '--search-space', one])).number;
    const good = json(await ok(['ask', ...base, '--search-space', one])).number;
    const median = ['--pruner', 'MedianPruner', '--pruner-kwargs', '{"n_startup_trials": 5}'];
    assert.deepEqual(json(await ok(['tell', ...base, '--trial-number', String(bad), '--step', '0', '--intermediate', '10', ...median])), { number: bad, step: 0, should_prune: true });
    assert.deepEqual(json(await ok(['tell', ...base, '--trial-number', String(good), '--step', '0', '--intermediate', '0.5', ...median])), { number: good, step: 0, should_prune: false });
    const rep = await ok(['tell', ...base, '--trial-number', String(good), '--step', '0', '--intermediate', '99', ...median]);
    assert.equal(json(rep).should_prune, false);
    assert.match(rep.err, /already reported step 0/);
    const trials = json(await ok(['trials', ...base]));
    assert.equal(trials[good].state, 'RUNNING');
    assert.deepEqual(trials[good].intermediate_values, { 0: 0.5 });
    assert.ok((await cli(['tell', ...base, '--trial-number', String(good), '--step', '1', '--intermediate', '1', '--pruner', 'FooPruner'])).error instanceof UserError);
  });

  it('bad input is a clear UserError and writes nothing', async () => {
    const s = freshDb();
    const base = ['--storage', s, '--study-name', 'bad'];
    await ok(['create-study', ...base]);
    await ok(['ask', ...base, '--search-space', JSON.stringify({ x: SPACE.x })]);
    const cases: [string[], RegExp][] = [
      [['--search-space', '{not json'], /invalid JSON/],
      [['--search-space', '{"x": {"name": "BetaDistribution", "attributes": {}}}'], /unknown distribution/],
      [['--search-space', '{"y": {"name": "FloatDistribution", "attributes": {"low": 2, "high": 1}}}'], /low <= high/],
      [['--search-space', '{"y": {"name": "IntDistribution", "attributes": {"low": 0, "high": 5, "log": true}}}'], /low >= 1/],
      [['--search-space', '{"x": {"name": "IntDistribution", "attributes": {"low": 0, "high": 5}}}'], /cannot change distribution class/],
      [['--search-space', '{"y": {"name": "IntDistribution", "attributes": {"low": 0.5, "high": 3}}}'], /integer low and high/],
      [['--search-space', '{"y": {"name": "FloatDistribution", "attributes": {"low": 0, "high": 1, "step": -1}}}'], /step > 0/],
      [['--search-space', '{"y": {"name": "CategoricalDistribution", "attributes": {"choices": [{"a": 1}]}}}'], /choices must be/],
      [['--search-space', '{"y": {"name": "CategoricalDistribution", "attributes": {"choices": []}}}'], /non-empty/],
      [['--search-space', '["x"]'], /JSON object expected/],
      [['--search-space', JSON.stringify({ x: SPACE.x }), '--sampler', 'GridSampler'], /unknown sampler/],
      [['--search-space', JSON.stringify({ x: SPACE.x }), '--sampler-kwargs', '{"bogus": 1}'], /unknown argument/],
      [['--search-space', JSON.stringify({ x: SPACE.x }), '--seed', 'abc'], /--seed/],
      [[], /--search-space is required/],
    ];
    for (const [args, re] of cases) {
      const r = await cli(['ask', ...base, ...args]);
      assert.ok(r.error instanceof UserError, `expected a UserError for ${args.join(' ')}`);
      assert.match(r.error!.message, re);
      assert.equal(r.out, '');
    }
    const missing = await cli(['ask', '--storage', s, '--study-name', 'nope', '--search-space', JSON.stringify({ x: SPACE.x })]);
    assert.match(missing.error!.message, /no study named 'nope'/);
    assert.equal(json(await ok(['trials', ...base])).length, 1);
    const t0 = Date.now();
    const dead = await cli(['studies', '--storage', 'postgresql://postgres@127.0.0.1:1/test']);
    assert.ok(dead.error instanceof UserError);
    assert.match(dead.error!.message, /cannot open PostgreSQL storage/);
    assert.ok(Date.now() - t0 < 8000);
    assert.ok((await cli(['studies', '--storage', 'mysql://x@y/z'])).error instanceof UserError);
    assert.ok((await cli(['trials', ...base, '-f', 'table'])).error instanceof UserError);
  });
});
