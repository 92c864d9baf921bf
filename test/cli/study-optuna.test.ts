// `tokcast study` against the real Optuna 4.9 (TOKCAST_OPTUNA_DIR, on Debian's python3 packages), on SQLite and on
// PostgreSQL: Optuna writes and tokcast's CLI prints exactly what Optuna's CLI prints for the same database; tokcast
// writes (and Optuna asks and tells on the same study) and Optuna's library and CLI see every trial, param, value,
// intermediate value, attribute and state as tokcast wrote them. Skipped loudly without Optuna; under CI=true it fails.
import { describe, it, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { pyJsonLoads } from '../../src/tune/python-json.ts';
import { openStorage } from '../../src/tune/storage/url.ts';
import { externalDir, fixturePath, needs } from '../fixtures/data.ts';
import { PG_URL, postgresUnavailable } from '../fixtures/storage/pg.ts';
import { runStudy } from '../fixtures/study-cli.ts';

const skipOptuna = needs('TOKCAST_OPTUNA_DIR');
const python = process.env.OPTUNA_PYTHON ?? (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');
const dir = mkdtempSync(join(tmpdir(), 'tokcast-optuna-'));
after(() => rmSync(dir, { recursive: true, force: true }));

interface Driven { result: any; runs: { code: number; stdout: string; stderr: string }[] }

/** Runs Python code and Optuna CLI commands in one process of the real Optuna (test/fixtures/optuna/driver.py). */
function optuna(python_: string, commands: string[][] = []): Driven {
  const r = spawnSync(python, [fixturePath('optuna', 'driver.py')], {
    input: JSON.stringify({ python: python_, commands }),
    encoding: 'utf8',
    env: { ...process.env, PYTHONPATH: externalDir('TOKCAST_OPTUNA_DIR') },
    timeout: 180_000,
    maxBuffer: 64 << 20,
  });
  if (r.status !== 0) throw new Error(`Optuna driver failed (${r.status}): ${r.stderr || r.error}`);
  return pyJsonLoads(r.stdout) as Driven;
}

const tk = (args: string[]) => runStudy(args, { OPTUNA_STORAGE: undefined, TOKCAST_STORAGE: undefined });
async function tkOk(args: string[]) {
  const r = await tk(args);
  assert.equal(r.code, 0, `tokcast study ${args.join(' ')}: ${r.err}`);
  return r;
}

/** Read-only commands both CLIs must print identically for `studies`. */
function readCommands(url: string, studies: { name: string; multi: boolean }[]): string[][] {
  const s = ['--storage', url];
  const cmds: string[][] = [['study-names', ...s], ['study-names', ...s, '-f', 'json']];
  for (const f of ['json', 'table', 'yaml', 'value']) cmds.push(['studies', ...s, '-f', f], ['studies', ...s, '-f', f, '--flatten']);
  for (const { name, multi } of studies) {
    for (const f of ['json', 'table', 'yaml', 'value']) {
      cmds.push(['trials', ...s, '--study-name', name, '-f', f], ['trials', ...s, '--study-name', name, '-f', f, '--flatten']);
    }
    cmds.push(['best-trial', ...s, '--study-name', name, '-f', 'json'], ['best-trials', ...s, '--study-name', name, '-f', 'yaml']);
    if (!multi) cmds.push(['best-trial', ...s, '--study-name', name, '-f', 'table', '--flatten']);
  }
  return cmds;
}

async function sameOutput(cmds: string[][], runs: Driven['runs']): Promise<void> {
  assert.equal(runs.length, cmds.length);
  for (const [i, args] of cmds.entries()) {
    const mine = await tk(args);
    const theirs = runs[i];
    assert.equal(mine.code, theirs.code, `exit code of ${args.join(' ')} (Optuna: ${theirs.stderr.trim().split('\n').pop()}; tokcast: ${mine.err})`);
    if (theirs.code === 0) assert.equal(mine.out, theirs.stdout, `stdout of ${args.join(' ')}`);
    else assert.equal(mine.out, '');
  }
}

const PY_WRITES = (url: string) => `
import math
st = optuna.create_study(study_name="py", storage="${url}", direction="minimize", sampler=optuna.samplers.RandomSampler(seed=1))
st.set_user_attr("team", "py")
st.set_user_attr("budget", {"trials": 8, "ratio": 0.5})
def objective(trial):
    x = trial.suggest_float("x", -3, 3)
    trial.suggest_float("lr", 1e-4, 1e-1, log=True)
    trial.suggest_float("q", 0, 1, step=0.25)
    n = trial.suggest_int("n", 1, 9)
    trial.suggest_int("k", 2, 64, log=True)
    trial.suggest_categorical("c", ["a", None, 2, True, 0.5])
    trial.set_user_attr("double", x * 2)
    for s in range(3):
        trial.report(x * x + s if s != 1 else float("nan"), s)
    if trial.number == 3:
        raise optuna.TrialPruned()
    if trial.number == 4:
        raise ValueError("boom")
    return float("-inf") if trial.number == 6 else x * x + n
st.optimize(objective, n_trials=8, catch=(ValueError,))
st.enqueue_trial({"x": 0.5})
mo = optuna.create_study(study_name="py-mo", storage="${url}", directions=["minimize", "maximize"], sampler=optuna.samplers.RandomSampler(seed=2))
for i in range(5):
    t = mo.ask()
    x = t.suggest_float("x", 0, 1)
    mo.tell(t, [x, x * x if i != 2 else float("inf")])
mo.tell(mo.ask(), state=optuna.trial.TrialState.FAIL)
`;

const SPACE = JSON.stringify({
  x: { name: 'FloatDistribution', attributes: { low: -3, high: 3, log: false, step: null } },
  lr: { name: 'FloatDistribution', attributes: { low: 1e-4, high: 0.1, log: true, step: null } },
  q: { name: 'FloatDistribution', attributes: { low: 0, high: 1, log: false, step: 0.25 } },
  n: { name: 'IntDistribution', attributes: { low: 1, high: 9, log: false, step: 1 } },
  k: { name: 'IntDistribution', attributes: { low: 2, high: 64, log: true, step: 1 } },
  c: { name: 'CategoricalDistribution', attributes: { choices: ['a', null, 2, true] } },
});

// what Optuna's library sees of every trial of the named studies
const PY_DUMP = (url: string, names: string[]) => `
from optuna.distributions import distribution_to_json
import json
result = {}
for name in ${JSON.stringify(names)}:
    st = optuna.load_study(study_name=name, storage="${url}")
    result[name] = {
        "directions": [d.name for d in st.directions],
        "user_attrs": st.user_attrs,
        "trials": [{
            "number": t.number, "state": t.state.name, "values": t.values, "params": t.params,
            "distributions": {k: json.loads(distribution_to_json(d)) for k, d in t.distributions.items()},
            "intermediate_values": {str(k): v for k, v in t.intermediate_values.items()},
            "user_attrs": t.user_attrs,
            "started": t.datetime_start is not None, "completed": t.datetime_complete is not None,
        } for t in st.trials],
    }
`;

async function tokcastView(url: string, names: string[]): Promise<Record<string, unknown>> {
  const s = await openStorage(url);
  try {
    const out: Record<string, unknown> = {};
    for (const name of names) {
      const id = await s.getStudyIdFromName(name);
      out[name] = {
        directions: (await s.getStudyDirections(id)).map((d) => d.toUpperCase()),
        user_attrs: await s.getStudyUserAttrs(id),
        trials: (await s.getAllTrials(id)).map((t) => ({
          number: t.number, state: t.state, values: t.values, params: t.params,
          distributions: Object.fromEntries(Object.entries(t.distributions).map(([k, d]) => [k, d.toJSON()])),
          intermediate_values: Object.fromEntries([...t.intermediateValues].map(([k, v]) => [String(k), v])),
          user_attrs: t.userAttrs,
          started: t.datetimeStart !== null, completed: t.datetimeComplete !== null,
        })),
      };
    }
    return out;
  } finally {
    await s.close();
  }
}

/** tokcast writes two studies through its CLI; Optuna asks and tells in the middle; both then read the same data. */
async function tokcastWritesOptunaReads(url: string): Promise<void> {
  const s = ['--storage', url];
  await tkOk(['create-study', ...s, '--study-name', 'tk', '--direction', 'minimize']);
  await tkOk(['study', 'set-user-attr', ...s, '--study-name', 'tk', '--key', 'team', '--value', 'tk']);
  for (let i = 0; i < 6; i++) await tkOk(['ask', ...s, '--study-name', 'tk', '--search-space', SPACE, '--sampler', 'RandomSampler', '--seed', '7']);
  const tell = (n: number, ...rest: string[]) => tkOk(['tell', ...s, '--study-name', 'tk', '--trial-number', String(n), ...rest]);
  await tell(0, '--values', '1.5');
  await tell(1, '--step', '0', '--intermediate', '3', '--pruner', 'NopPruner');
  await tell(1, '--step', '1', '--intermediate', 'nan', '--pruner', 'NopPruner');
  await tell(1, '--step', '2', '--intermediate', '2.5', '--pruner', 'NopPruner');
  await tell(1, '--state', 'pruned');
  await tell(2, '--state', 'fail');
  await tell(3, '--values', 'inf');
  await tell(4, '--values', '0.25', '0.5'); // the wrong count: FAIL, as Optuna
  await tkOk(['create-study', ...s, '--study-name', 'tk-mo', '--directions', 'minimize', 'maximize']);
  for (let i = 0; i < 3; i++) {
    await tkOk(['ask', ...s, '--study-name', 'tk-mo', '--search-space', SPACE]);
    await tkOk(['tell', ...s, '--study-name', 'tk-mo', '--trial-number', String(i), '--values', String(i), String(i * i)]);
  }
  // Optuna's CLI asks trial 6 and tells tokcast's running trial 5
  const mid = optuna('', [
    ['ask', ...s, '--study-name', 'tk', '--search-space', SPACE, '--sampler', 'RandomSampler', '--sampler-kwargs', '{"seed": 3}'],
    ['tell', ...s, '--study-name', 'tk', '--trial-number', '5', '--values', '0.75'],
  ]);
  assert.deepEqual(mid.runs.map((r) => r.code), [0, 0], mid.runs.map((r) => r.stderr).join('\n'));
  assert.equal((pyJsonLoads(mid.runs[0].stdout) as { number: number }).number, 6);
  await tell(6, '--values', '0.1');
  assert.equal((pyJsonLoads((await tkOk(['ask', ...s, '--study-name', 'tk', '--search-space', SPACE])).out) as { number: number }).number, 7);

  const names = ['tk', 'tk-mo'];
  const cmds = readCommands(url, [{ name: 'tk', multi: false }, { name: 'tk-mo', multi: true }]);
  const seen = optuna(PY_DUMP(url, names), cmds);
  assert.deepEqual(seen.result, await tokcastView(url, names));
  const tkTrials = (seen.result as { tk: { trials: unknown } }).tk.trials as { number: number; state: string; values: number[] | null; intermediate_values: Record<string, number> }[];
  assert.deepEqual(tkTrials.map((t) => t.number), [0, 1, 2, 3, 4, 5, 6, 7]);
  assert.deepEqual(tkTrials.map((t) => t.state), ['COMPLETE', 'PRUNED', 'FAIL', 'COMPLETE', 'FAIL', 'COMPLETE', 'COMPLETE', 'RUNNING']);
  assert.deepEqual(tkTrials.map((t) => t.values), [[1.5], [2.5], null, [Infinity], null, [0.75], [0.1], null]);
  assert.deepEqual(tkTrials[1].intermediate_values, { 0: 3, 1: NaN, 2: 2.5 });
  await sameOutput(cmds, seen.runs);
}

/** Optuna writes (library, every kind of trial); tokcast's CLI prints what Optuna's CLI prints for it. */
async function optunaWritesTokcastReads(url: string): Promise<void> {
  const cmds = readCommands(url, [{ name: 'py', multi: false }, { name: 'py-mo', multi: true }]);
  const { runs } = optuna(PY_WRITES(url), cmds);
  await sameOutput(cmds, runs);
  const view = (await tokcastView(url, ['py'])).py as { trials: { state: string }[] };
  assert.deepEqual(view.trials.map((t) => t.state), ['COMPLETE', 'COMPLETE', 'COMPLETE', 'PRUNED', 'FAIL', 'COMPLETE', 'COMPLETE', 'COMPLETE', 'WAITING']);
}

describe('tokcast study with the real Optuna 4.9', { skip: skipOptuna }, () => {
  before(() => {
    const probe = spawnSync(python, ['-c', 'import optuna, sqlalchemy, alembic, yaml; print(optuna.__version__)'], {
      encoding: 'utf8', env: { ...process.env, PYTHONPATH: externalDir('TOKCAST_OPTUNA_DIR') }, timeout: 120_000,
    });
    if (probe.stdout.trim() !== '4.9.0') {
      throw new Error(`${python} cannot import Optuna 4.9 from TOKCAST_OPTUNA_DIR (${probe.stderr.trim().split('\n').pop()}); install python3-sqlalchemy python3-alembic python3-colorlog python3-tqdm python3-yaml python3-psycopg2 python3-numpy python3-scipy (see .ci/run)`);
    }
  });

  it('SQLite: Optuna writes, tokcast prints what Optuna prints', async () => {
    await optunaWritesTokcastReads(`sqlite:///${join(dir, 'py.db')}`);
  });

  it('SQLite: tokcast writes, Optuna asks and tells too, and sees everything as tokcast wrote it', async () => {
    await tokcastWritesOptunaReads(`sqlite:///${join(dir, 'tk.db')}`);
  });

  describe('PostgreSQL', () => {
    const made: string[] = [];
    const admin = () => new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3000 });
    async function freshDatabase(): Promise<string> {
      const name = `tokcast_optuna_${process.pid}_${made.length}`;
      const c = admin();
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name}`);
        await c.query(`CREATE DATABASE ${name}`);
      } finally {
        await c.end();
      }
      made.push(name);
      const u = new URL(PG_URL.replace(/^postgres(ql)?:/, 'http:'));
      return `postgresql://${u.username ? `${u.username}${u.password ? `:${u.password}` : ''}@` : ''}${u.host}/${name}`;
    }
    after(async () => {
      if (!made.length) return;
      const c = admin();
      await c.connect();
      try {
        for (const name of made) await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    });

    it('Optuna writes, tokcast prints what Optuna prints; tokcast writes, Optuna sees it all', async (t) => {
      const why = await postgresUnavailable();
      if (why) {
        if (process.env.CI === 'true') throw new Error(`PostgreSQL is required under CI=true: ${why}`);
        console.error(`\n!!!!! SKIPPING the Optuna PostgreSQL interop test: ${why} !!!!!\n`);
        return t.skip(why);
      }
      await optunaWritesTokcastReads(await freshDatabase());
      await tokcastWritesOptunaReads(await freshDatabase());
    });
  });
});
