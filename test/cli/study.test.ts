// `tokcast study` verbs in-process on temp SQLite files: Optuna's output shapes and exit codes (0, 1 on failure, 2 for bad
// arguments), ask/tell round trips, seeds, pruning reports, logging flags, storage upgrade, and bad input rejected before
// anything is written. The byte-for-byte comparison with Optuna's own CLI is study-golden.test.ts.
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pyJsonLoads } from '../../src/tune/python-json.ts';
import { openStorage } from '../../src/tune/storage/url.ts';
import { fixturePath } from '../fixtures/data.ts';
import { runStudy, type StudyRun } from '../fixtures/study-cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'tokcast-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let dbN = 0;
const freshDb = () => `sqlite:///${join(dir, `s${dbN++}.db`)}`;

const cli = (args: string[]) => runStudy(args, { OPTUNA_STORAGE: undefined, TOKCAST_STORAGE: undefined });
async function ok(args: string[]): Promise<StudyRun> {
  const r = await cli(args);
  if (r.code !== 0) assert.fail(`${args.join(' ')} exited ${r.code}: ${r.err}`);
  return r;
}
async function fails(args: string[], code: 1 | 2, re?: RegExp): Promise<StudyRun> {
  const r = await cli(args);
  assert.equal(r.code, code, `${args.join(' ')}: exit ${r.code}, stderr ${r.err}`);
  assert.equal(r.out, '', 'nothing on stdout');
  if (re) assert.match(r.err, re);
  return r;
}
const json = (r: StudyRun) => pyJsonLoads(r.out) as any;

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

async function trialsOf(storage: string, name: string) {
  const s = await openStorage(storage);
  try {
    return await s.getAllTrials(await s.getStudyIdFromName(name));
  } finally {
    await s.close();
  }
}

describe('tokcast study', () => {
  it('create-study prints the name; duplicates exit 1 unless --skip-if-exists; studies and study-names list it', async () => {
    const s = freshDb();
    const created = await ok(['create-study', '--storage', s, '--study-name', 'alpha', '--direction', 'maximize']);
    assert.equal(created.out, 'alpha\n');
    assert.match(created.err, /^\[I \d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}\] A new study created in RDB with name: alpha\n$/);
    await fails(['create-study', '--storage', s, '--study-name', 'alpha', '--direction', 'maximize'], 1, /Another study with name 'alpha' already exists/);
    assert.equal((await ok(['create-study', '--storage', s, '--study-name', 'alpha', '--direction', 'maximize', '--skip-if-exists'])).out, 'alpha\n');
    await fails(['create-study', '--storage', s, '--study-name', 'beta', '--direction', 'maximize', '--directions', 'minimize'], 1, /only one of `direction` and `directions`/);
    await fails(['create-study', '--storage', s, '--directions', 'minimize', 'sideways'], 2);
    const auto = (await ok(['create-study', '--storage', s])).out.trim();
    assert.ok(auto.length > 0 && auto !== 'alpha');
    const list = json(await ok(['studies', '--storage', s, '-f', 'json']));
    assert.deepEqual(list.map((x: { name: string }) => x.name), ['alpha', auto]);
    assert.deepEqual(list[0].direction, ['MAXIMIZE']);
    assert.deepEqual(list[1].direction, ['MINIMIZE']);
    assert.equal(list[0].n_trials, 0);
    assert.equal(list[0].datetime_start, null);
    assert.ok(!('user_attrs' in list[0]), 'user_attrs only once a study has some');
    await ok(['study', 'set-user-attr', '--storage', s, '--study-name', 'alpha', '--key', 'owner', '--value', 'me']);
    await ok(['set-user-attr', '--storage', s, '--study', 'alpha', '-k', 'budget', '--value', '{"trials": 30}']);
    assert.deepEqual(json(await ok(['studies', '--storage', s, '-f', 'json']))[0].user_attrs, { owner: 'me', budget: '{"trials": 30}' }, 'values are strings, as in Optuna');
    await fails(['study', 'set-user-attr', '--storage', s, '--study-name', 'alpha', '--key', 'k'], 2, /required: --value/);
    assert.equal((await ok(['study-names', '--storage', s])).out, `alpha\n${auto}\n`);
    assert.deepEqual(json(await ok(['study-names', '--storage', s, '-f', 'json'])), [{ name: 'alpha' }, { name: auto }]);
    await ok(['delete-study', '--storage', s, '--study-name', 'alpha']);
    assert.deepEqual(json(await ok(['studies', '--storage', s, '-f', 'json'])).map((x: { name: string }) => x.name), [auto]);
    await fails(['delete-study', '--storage', s, '--study-name', 'alpha'], 1, /no study named 'alpha'/);
  });

  it('without --storage (or OPTUNA_STORAGE) every verb fails with one line and creates no file', async () => {
    const cwd = process.cwd();
    const empty = mkdtempSync(join(dir, 'cwd-'));
    process.chdir(empty);
    try {
      for (const args of [['studies'], ['study-names'], ['create-study', '--study-name', 'x'], ['trials', '--study-name', 'x'], ['storage', 'upgrade']]) {
        await fails(args, 1, /^error: Storage URL is not specified: give --storage/);
      }
      assert.deepEqual(readdirSync(empty), []);
      const viaEnv = await runStudy(['create-study', '--study-name', 'e'], { OPTUNA_STORAGE: `sqlite:///${join(empty, 'env.db')}`, TOKCAST_STORAGE: undefined });
      assert.equal(viaEnv.code, 0, viaEnv.err);
      assert.deepEqual(readdirSync(empty).filter((n) => n.endsWith('.db')), ['env.db']);
    } finally {
      process.chdir(cwd);
    }
  });

  it('-q keeps only warnings, -v adds debug lines, --log-file gets the same lines, --debug shows the stack', async () => {
    const s = freshDb();
    assert.equal((await ok(['create-study', '--storage', s, '--study-name', 'q', '-q'])).err, '');
    assert.match((await ok(['create-study', '--storage', s, '--study-name', 'v', '-v'])).err, /\[D [^\]]+\] Opening storage/);
    await fails(['studies', '--storage', s, '-q', '-v'], 2);
    const logFile = join(dir, 'cli.log');
    await ok(['study', 'set-user-attr', '--storage', s, '--study-name', 'q', '--key', 'a', '--value', 'b', '--log-file', logFile]);
    await fails(['delete-study', '--storage', s, '--study-name', 'nope', '--log-file', logFile], 1);
    const lines = readFileSync(logFile, 'utf8').trim().split('\n');
    assert.equal(lines.length, 2);
    assert.match(lines[0], /^\[I [^\]]+\] Attribute successfully written\.$/);
    assert.match(lines[1], /^\[E [^\]]+\] no study named 'nope'/);
    const plain = await fails(['trials', '--storage', s, '--study-name', 'nope'], 1);
    assert.equal(plain.err.trim().split('\n').length, 1);
    const debug = await fails(['trials', '--storage', s, '--study-name', 'nope', '--debug'], 1);
    assert.match(debug.err, /no study named 'nope'[^]*\n\s+at /);
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
    const trials = json(await ok(['trials', '--storage', s, '--study-name', 'run', '-f', 'json']));
    assert.equal(trials.length, 12);
    assert.ok(trials.every((t: { state: string }) => t.state === 'COMPLETE'));
    assert.deepEqual(trials.map((t: { params: unknown }) => t.params), asked.map((a) => a.params));
    assert.deepEqual(Object.keys(trials[0]), ['number', 'value', 'datetime_start', 'datetime_complete', 'duration', 'params', 'state']);
    assert.deepEqual(Object.keys(trials[0].params), ['c', 'k', 'lr', 'n', 'x'], 'params sorted by name, as Optuna lists them');
    const best = json(await ok(['best-trial', '--storage', s, '--study-name', 'run', '-f', 'json']));
    assert.equal(best.value, Math.min(...asked.map((a) => f(a.params))));
    assert.match(best.duration, /^0:00:\d\d(\.\d{6})?$/);
    assert.match(best.datetime_start, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    assert.ok(best.datetime_start <= best.datetime_complete);
    assert.deepEqual(json(await ok(['best-trials', '--storage', s, '--study-name', 'run', '-f', 'json'])), [best]);
    const flat = json(await ok(['best-trial', '--storage', s, '--study-name', 'run', '-f', 'json', '--flatten']));
    assert.equal(flat.params_x, best.params.x);
    const table = (await ok(['trials', '--storage', s, '--study-name', 'run'])).out.split('\n');
    assert.match(table[1], /^\| number \|\s+value \| datetime_start\s+\| datetime_complete\s+\| duration\s+\| params\s+\| state\s+\|$/);
    assert.equal(table.length, 12 + 5);
    const yaml = (await ok(['ask', '--storage', s, '--study-name', 'run', '--search-space', JSON.stringify({ x: SPACE.x }), '-f', 'yaml'])).out;
    assert.match(yaml, /^number: 12\nparams:\n  x: -?\d/);
    assert.match((await ok(['ask', '--storage', s, '--study-name', 'run', '-f', 'value'])).out, /^13 \{\}\n$/);
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

  it('tell as Optuna: unusable values FAIL the trial (never left RUNNING), pruned keeps the last intermediate value, finished trials exit 1', async () => {
    const s = freshDb();
    const base = ['--storage', s, '--study', 'tells'];
    await ok(['create-study', '--storage', s, '--study-name', 'tells']);
    for (let i = 0; i < 8; i++) await ok(['ask', ...base, '--search-space', space, '--sampler', 'RandomSampler']);
    await ok(['tell', ...base, '--trial-number', '0', '--step', '0', '--intermediate', '4', '--pruner', 'NopPruner']);
    await ok(['tell', ...base, '--trial-number', '0', '--step', '3', '--intermediate', '2.5', '--pruner', 'NopPruner']);
    const pruned = await ok(['tell', ...base, '--trial-number', '0', '--state', 'pruned']);
    assert.equal(pruned.out, '', 'tell prints nothing on stdout, as Optuna');
    assert.match(pruned.err, /Told trial 0 with values None and state TrialState\.PRUNED\./);
    await ok(['tell', ...base, '--trial-number', '1', '--state', 'fail']);
    assert.match((await ok(['tell', ...base, '--trial-number', '2', '--value', 'nan'])).err, /\[W [^\]]+\] Trial 2 is marked FAIL: The value nan is not acceptable/);
    await ok(['tell', ...base, '--trial-number', '3', '--values', '-inf']);
    await fails(['tell', ...base, '--trial-number', '3', '--values', '1'], 1, /Cannot tell a COMPLETE trial\./);
    assert.match((await ok(['tell', ...base, '--trial-number', '3', '--values', '1', '--skip-if-finished'])).err, /Skipped telling trial 3/);
    const wrongCount = await ok(['tell', ...base, '--trial-number', '4', '--values', '1', '2']);
    assert.match(wrongCount.err, /Trial 4 is marked FAIL: The number of the values 2 did not match the number of the objectives 1/);
    await ok(['tell', ...base, '--trial-number', '5']);
    // refused before anything is written: trial 6 stays RUNNING and can still be told
    for (const [bad, code] of [[['--values', 'abc'], 2], [['--state', 'done'], 2], [['--state', 'fail', '--values', '1'], 1], [['--state', 'complete'], 1], [['--state', 'complete', '--values', '1', '2'], 1], [['--trial-number', 'x'], 2]] as [string[], 1 | 2][]) {
      await fails(['tell', ...base, '--trial-number', '6', ...bad], code);
    }
    await fails(['tell', ...base, '--values', '1'], 1, /--trial-number is not given/);
    await fails(['tell', ...base, '--trial-number', '99', '--values', '1'], 1, /Cannot tell for trial with number 99 since it has not been created\./);
    await ok(['tell', ...base, '--trial-number', '6', '--state', 'complete', '--values', '0.5']);
    const trials = await trialsOf(s, 'tells');
    assert.deepEqual(trials.map((t) => t.state), ['PRUNED', 'FAIL', 'FAIL', 'COMPLETE', 'FAIL', 'FAIL', 'COMPLETE', 'RUNNING']);
    assert.deepEqual(trials.map((t) => t.values), [[2.5], null, null, [-Infinity], null, null, [0.5], null]);
    const listed = json(await ok(['trials', ...base, '-f', 'json']));
    assert.equal(listed[3].value, -Infinity);
  });

  it('best-trial and best-trials: multi-objective Pareto front, no completed trial exits 1', async () => {
    const s = freshDb();
    const base = ['--storage', s, '--study-name', 'mo'];
    await ok(['create-study', ...base, '--directions', 'minimize', 'maximize']);
    await fails(['best-trials', '--storage', s], 2, /required: --study-name/);
    assert.equal((await ok(['best-trials', ...base, '-f', 'json'])).out, '[]\n');
    const vals = [[1, 1], [2, 3], [0.5, 0.1], [2, 2], [1, 1]];
    for (const [i, v] of vals.entries()) {
      await ok(['ask', ...base]);
      await ok(['tell', ...base, '--trial-number', String(i), '--values', ...v.map(String)]);
    }
    const front = json(await ok(['best-trials', ...base, '-f', 'json']));
    assert.deepEqual(front.map((t: { number: number }) => t.number), [0, 1, 2, 4]);
    assert.deepEqual(front[1].values, [2, 3]);
    await fails(['best-trial', ...base], 1, /cannot be retrieved from a multi-objective study/);
    const so = ['--storage', s, '--study-name', 'so'];
    await ok(['create-study', ...so]);
    await fails(['best-trial', ...so], 1, /No trials are completed yet\./);
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
    const trials = await trialsOf(s, 'prune');
    assert.equal(trials[good].state, 'RUNNING');
    assert.deepEqual([...trials[good].intermediateValues], [[0, 0.5]]);
    await fails(['tell', ...base, '--trial-number', String(good), '--step', '1', '--intermediate', '1', '--pruner', 'FooPruner'], 1);
  });

  it('storage upgrade: an earlier tokcast file is backed up and upgraded, then up-to-date; foreign revisions exit 1', async () => {
    const legacy = join(dir, 'legacy.db');
    copyFileSync(fixturePath('storage', 'v1.sqlite'), legacy);
    const up = await ok(['storage', 'upgrade', '--storage', `sqlite:///${legacy}`]);
    assert.match(up.err, /Upgrading the storage schema to the latest version\.\n.*Completed to upgrade the storage\. The earlier database is kept as .*legacy\.db\.bak-/);
    assert.equal(readdirSync(dir).filter((n) => n.startsWith('legacy.db.bak-')).length, 1);
    assert.match((await ok(['storage', 'upgrade', '--storage', `sqlite:///${legacy}`])).err, /This storage is up-to-date\./);
    assert.equal(json(await ok(['studies', '--storage', `sqlite:///${legacy}`, '-f', 'json'])).length, 1);
    await fails(['storage', 'upgrade', '--storage', `sqlite:///${join(dir, 'absent.db')}`], 1, /no such SQLite file/);
    assert.ok(!existsSync(join(dir, 'absent.db')));
  });

  it('bad input exits 1 (2 for malformed arguments) with one line and writes nothing', async () => {
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
      [['--search-space', JSON.stringify({ x: SPACE.x }), '--sampler', 'TPESampler', '--sampler-kwargs', '{"bogus": 1}'], /unknown argument/],
      [['--search-space', JSON.stringify({ x: SPACE.x }), '--sampler-kwargs', '{"seed": 1}'], /`--sampler-kwargs` is set without `--sampler`/],
      [['--search-space', JSON.stringify({ x: SPACE.x }), '--seed', 'abc'], /--seed/],
    ];
    for (const [args, re] of cases) {
      const r = await fails(['ask', ...base, ...args], 1, re);
      assert.equal(r.err.trim().split('\n').length, 1, r.err);
    }
    await fails(['ask', '--storage', s, '--study-name', 'nope', '--search-space', JSON.stringify({ x: SPACE.x })], 1, /no study named 'nope'.*run create-study first/);
    assert.equal((await trialsOf(s, 'bad')).length, 1);
    const t0 = Date.now();
    const dead = await fails(['studies', '--storage', 'postgresql://postgres:pw@127.0.0.1:1/test'], 1, /cannot open PostgreSQL storage/);
    assert.ok(!dead.err.includes(':pw@'), 'the password is not echoed');
    assert.ok(Date.now() - t0 < 8000);
    await fails(['studies', '--storage', 'mysql://x@y/z'], 1);
    await fails(['studies', '--storage', s, '--storage-class', 'JournalFileBackend'], 1, /no journal storage/);
    await fails(['studies', '--storage', s, '--storage-class', 'Nope'], 2);
    await fails(['trials', ...base, '-f', 'xml'], 2);
    await fails(['study-names', '--storage', s, '--flatten'], 2);
    await fails(['bogus'], 2, /'bogus' is not a tokcast study verb/);
    // argparse's unambiguous prefixes work; an ambiguous one is an argument error
    assert.equal(json(await ok(['trials', '--storage', s, '--study-n', 'bad', '-f', 'json', '--fl', '--deb'])).length, 1);
    await fails(['trials', '--storage', s, '--study-name', 'bad', '--st', 'x'], 2, /ambiguous option: --st could match --storage, --storage-class, --study-name/);
    const help = await cli([]);
    assert.equal(help.code, 0);
    assert.match(help.out, /Commands:[^]*best-trials[^]*storage/);
    assert.match((await ok(['--version'])).out, /^tokcast \S+ \(optuna 4\.9\.0 CLI\)\n$/);
  });
});
