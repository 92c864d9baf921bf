// Optuna workers and tokcast workers asking and telling on one study at the same time, with the real Optuna 4.9
// (TOKCAST_OPTUNA_DIR, on Debian's python3 packages): 2 Optuna processes (library ask/tell) + 2 tokcast processes
// (`tokcast study ask/tell`) x 20 trials on one SQLite study and on one PostgreSQL study end with 80 trials numbered
// exactly 0..79, every one final, and Optuna's `study.trials` equal to what tokcast reads back. Skipped loudly without
// Optuna (or without the PostgreSQL server); under CI=true both fail instead.
import { describe, it, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
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
const dir = mkdtempSync(join(tmpdir(), 'tokcast-optuna-conc-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const TRIALS = 20;
const STUDY = 'shared';
const SPACE = JSON.stringify({
  x: { name: 'FloatDistribution', attributes: { low: -3, high: 3, log: false, step: null } },
  n: { name: 'IntDistribution', attributes: { low: 1, high: 9, log: false, step: 1 } },
});

/** Runs a process to its end; resolves with its stdout, rejects naming the worker and its stderr on a failure. */
function finish(what: string, cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { err += d; });
    const timer = setTimeout(() => child.kill('SIGKILL'), 150_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(out);
      else reject(new Error(`${what} exited ${code ?? signal}: ${err.trim().split('\n').slice(-5).join('\n')}`));
    });
  });
}

const pyEnv = () => ({ ...process.env, PYTHONPATH: externalDir('TOKCAST_OPTUNA_DIR') });

// one Optuna worker: Study.ask / Study.tell through the library, the same objective as the tokcast workers
const PY_WORKER = `
import json, sys, warnings
warnings.simplefilter("ignore")
import optuna
optuna.logging.set_verbosity(optuna.logging.WARNING)
url, name, n, seed = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
st = optuna.load_study(study_name=name, storage=url, sampler=optuna.samplers.RandomSampler(seed=seed))
numbers = []
for _ in range(n):
    t = st.ask()
    x = t.suggest_float("x", -3, 3)
    k = t.suggest_int("n", 1, 9)
    st.tell(t, x * x + k)
    numbers.append(t.number)
print(json.dumps({"numbers": numbers}))
`;

// what Optuna's library sees of every trial
const PY_DUMP = `
import json, sys, warnings
warnings.simplefilter("ignore")
import optuna
from optuna.distributions import distribution_to_json
optuna.logging.set_verbosity(optuna.logging.WARNING)
st = optuna.load_study(study_name=sys.argv[2], storage=sys.argv[1])
print(json.dumps([{
    "number": t.number, "state": t.state.name, "values": t.values, "params": t.params,
    "distributions": {k: json.loads(distribution_to_json(d)) for k, d in t.distributions.items()},
    "started": t.datetime_start is not None, "completed": t.datetime_complete is not None,
} for t in st.trials]))
`;

async function tokcastView(url: string) {
  const s = await openStorage(url);
  try {
    const id = await s.getStudyIdFromName(STUDY);
    return (await s.getAllTrials(id)).map((t) => ({
      number: t.number, state: t.state, values: t.values, params: t.params,
      distributions: Object.fromEntries(Object.entries(t.distributions).map(([k, d]) => [k, d.toJSON()])),
      started: t.datetimeStart !== null, completed: t.datetimeComplete !== null,
    }));
  } finally {
    await s.close();
  }
}

async function fourWorkers(url: string): Promise<void> {
  const made = await runStudy(['create-study', '--storage', url, '--study-name', STUDY, '--direction', 'minimize'], { OPTUNA_STORAGE: undefined });
  assert.equal(made.code, 0, made.err);
  const worker = fixturePath('optuna', 'tokcast-worker.ts');
  const outs = await Promise.all([
    finish('Optuna worker 1', python, ['-c', PY_WORKER, url, STUDY, String(TRIALS), '1'], pyEnv()),
    finish('tokcast worker 1', process.execPath, ['--import', 'tsx', worker, JSON.stringify({ url, study: STUDY, trials: TRIALS, space: SPACE, seed: 11 })], process.env),
    finish('Optuna worker 2', python, ['-c', PY_WORKER, url, STUDY, String(TRIALS), '2'], pyEnv()),
    finish('tokcast worker 2', process.execPath, ['--import', 'tsx', worker, JSON.stringify({ url, study: STUDY, trials: TRIALS, space: SPACE, seed: 12 })], process.env),
  ]);
  const given = outs.map((o) => (JSON.parse(o.trim().split('\n').pop()!) as { numbers: number[] }).numbers);
  for (const g of given) assert.equal(g.length, TRIALS);
  const all = given.flat().sort((a, b) => a - b);
  assert.deepEqual(all, Array.from({ length: 4 * TRIALS }, (_, i) => i), 'the 80 trial numbers handed out are exactly 0..79');

  const seen = pyJsonLoads(await finish('Optuna dump', python, ['-c', PY_DUMP, url, STUDY], pyEnv())) as { number: number; state: string; values: number[]; params: { x: number; n: number } }[];
  assert.deepEqual(seen.map((t) => t.number), Array.from({ length: 4 * TRIALS }, (_, i) => i));
  assert.ok(seen.every((t) => t.state === 'COMPLETE'), `every trial final: ${[...new Set(seen.map((t) => t.state))]}`);
  for (const t of seen) assert.equal(t.values[0], t.params.x * t.params.x + t.params.n, `trial ${t.number}'s value belongs to its params`);
  assert.deepEqual(seen, await tokcastView(url));
}

describe('Optuna and tokcast workers on one study at the same time (real Optuna 4.9)', { skip: skipOptuna }, () => {
  before(() => {
    const probe = spawnSync(python, ['-c', 'import optuna, sqlalchemy, alembic; print(optuna.__version__)'], { encoding: 'utf8', env: pyEnv(), timeout: 120_000 });
    if (probe.stdout.trim() !== '4.9.0') {
      throw new Error(`${python} cannot import Optuna 4.9 from TOKCAST_OPTUNA_DIR (${probe.stderr.trim().split('\n').pop()}); install python3-sqlalchemy python3-alembic python3-colorlog python3-tqdm python3-yaml python3-psycopg2 python3-numpy python3-scipy (see .ci/run)`);
    }
  });

  it('SQLite: 2 Optuna + 2 tokcast workers x 20 trials -> trials 0..79, all final, the same in both', async () => {
    await fourWorkers(`sqlite:///${join(dir, 'shared.db')}?timeout=60`);
  });

  it('PostgreSQL: 2 Optuna + 2 tokcast workers x 20 trials -> trials 0..79, all final, the same in both', async (t) => {
    const why = await postgresUnavailable();
    if (why) {
      if (process.env.CI === 'true') throw new Error(`PostgreSQL is required under CI=true: ${why}`);
      console.error(`\n!!!!! SKIPPING the Optuna PostgreSQL concurrency test: ${why} !!!!!\n`);
      return t.skip(why);
    }
    // a fresh database per run (Optuna and tokcast both create their tables in it), dropped afterwards
    const name = `tokcast_optuna_conc_${process.pid}_${Date.now().toString(36)}`;
    const admin = async (sql: string) => {
      const c = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3000 });
      await c.connect();
      try { await c.query(sql); } finally { await c.end(); }
    };
    await admin(`CREATE DATABASE ${name}`);
    try {
      const u = new URL(PG_URL.replace(/^postgres(ql)?:/, 'http:'));
      await fourWorkers(`postgresql://${u.username ? `${u.username}${u.password ? `:${u.password}` : ''}@` : ''}${u.host}/${name}`);
    } finally {
      await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    }
  });
});
