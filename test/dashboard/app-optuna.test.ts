// The dashboard API over studies that the real Optuna 4.9 writes (TOKCAST_OPTUNA_DIR, on
// Debian's python3 packages), on SQLite and on a fresh PostgreSQL database: every state, a multi-objective study,
// infinite values and NaN intermediate values, compared with what Optuna's own library reads back; then a trial
// Optuna tells while the dashboard is open moves the ETag and shows up. Skipped loudly without Optuna; under CI=true it fails.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { pyJsonLoads } from '../../src/tune/python-json.ts';
import { createDashboardApp } from '../../src/dashboard/app.ts';
import { openDashboardStorage } from '../../src/dashboard/storage.ts';
import { fromJsonNumber, type JsonNumber } from '../../src/dashboard/json.ts';
import { externalDir, fixturePath, needs } from '../fixtures/data.ts';
import { PG_URL, postgresUnavailable } from '../fixtures/storage/pg.ts';
import { getJson } from './api-cases.ts';

const skipOptuna = needs('TOKCAST_OPTUNA_DIR');
const python = process.env.OPTUNA_PYTHON ?? (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');

/** Runs Python with the real Optuna imported (test/fixtures/optuna/driver.py); returns what it set as `result`. */
function optuna(code: string): any {
  const r = spawnSync(python, [fixturePath('optuna', 'driver.py')], {
    input: JSON.stringify({ python: code, commands: [] }), encoding: 'utf8',
    env: { ...process.env, PYTHONPATH: externalDir('TOKCAST_OPTUNA_DIR') }, timeout: 180_000, maxBuffer: 64 << 20,
  });
  if (r.status !== 0) throw new Error(`Optuna driver failed (${r.status}): ${r.stderr || r.error}`);
  return (pyJsonLoads(r.stdout) as { result: unknown }).result;
}

const WRITE = (url: string) => `
st = optuna.create_study(study_name="dash", storage="${url}", direction="minimize", sampler=optuna.samplers.RandomSampler(seed=3))
st.set_user_attr("owner", "optuna")
def objective(trial):
    x = trial.suggest_float("x", -3, 3)
    trial.suggest_float("lr", 1e-4, 1e-1, log=True)
    trial.suggest_categorical("act", ["relu", None, "gelu"])
    for s in range(3):
        trial.report(x * x + s if s != 1 else float("nan"), s)
    if trial.number == 2:
        raise optuna.TrialPruned()
    if trial.number == 3:
        raise ValueError("boom")
    return float("inf") if trial.number == 5 else x * x
st.optimize(objective, n_trials=7, catch=(ValueError,))
running = st.ask()
running.suggest_float("x", -3, 3)
running.report(0.25, 0)
st.enqueue_trial({"x": 0.5})
mo = optuna.create_study(study_name="dash-mo", storage="${url}", directions=["minimize", "maximize"], sampler=optuna.samplers.RandomSampler(seed=4))
for i in range(5):
    t = mo.ask()
    x = t.suggest_float("x", 0, 1)
    mo.tell(t, [x, x * x if i != 2 else float("-inf")])
`;

const READ = (url: string) => `
result = {}
for s in optuna.get_all_study_summaries(storage="${url}"):
    st = optuna.load_study(study_name=s.study_name, storage="${url}")
    result[s.study_name] = {
        "directions": [d.name.lower() for d in st.directions], "user_attrs": st.user_attrs,
        "best": st.best_trial.number if len(st.directions) == 1 else None,
        "front": sorted(t.number for t in st.best_trials) if len(st.directions) > 1 else None,
        "trials": [{"number": t.number, "state": t.state.name, "values": t.values, "params": t.params,
                    "intermediate": sorted([k, v] for k, v in t.intermediate_values.items()), "user_attrs": t.user_attrs}
                   for t in st.trials],
    }
`;

const TELL = (url: string) => `
st = optuna.load_study(study_name="dash", storage="${url}")
t = st.ask({"x": optuna.distributions.FloatDistribution(-3, 3)})
st.tell(t, -1.0)
result = t.number
`;

/** NaN-aware equality of an API number and Optuna's. */
function same(a: JsonNumber | null, b: number | null, what: string): void {
  const x = fromJsonNumber(a);
  if (b !== null && Number.isNaN(b)) return assert.ok(Number.isNaN(x), `${what}: ${a}`);
  assert.equal(x, b, what);
}

async function check(url: string): Promise<void> {
  optuna(WRITE(url));
  const ds = await openDashboardStorage(url);
  const { app, close } = createDashboardApp({ storage: ds, artifactsDir: tmpdir(), webDir: join(tmpdir(), 'no-web') });
  try {
    const truth = optuna(READ(url)) as Record<string, any>;
    const list = (await getJson(app, '/api/studies')).body.studies as any[];
    assert.deepEqual(list.map((s) => s.name).sort(), Object.keys(truth).sort());
    for (const [name, o] of Object.entries(truth)) {
      const row = list.find((s) => s.name === name);
      assert.deepEqual(row.directions, o.directions, name);
      assert.equal(row.n_trials, o.trials.length, name);
      for (const st of ['COMPLETE', 'PRUNED', 'FAIL', 'RUNNING', 'WAITING']) assert.equal(row.states[st], o.trials.filter((t: any) => t.state === st).length, `${name} ${st}`);
      const study = (await getJson(app, `/api/studies/${row.id}`)).body;
      assert.deepEqual(study.user_attrs, o.user_attrs, name);
      if (o.best !== null) assert.equal(study.best_trial, o.best, name);
      else assert.deepEqual(study.pareto_front, o.front, name);
      for (const t of o.trials) {
        const d = (await getJson(app, `/api/studies/${row.id}/trials/${t.number}`)).body;
        const what = `${name} trial ${t.number}`;
        assert.equal(d.state, t.state, what);
        assert.deepEqual(d.params, t.params, what);
        assert.deepEqual(d.user_attrs, t.user_attrs, what);
        if (t.values === null) assert.equal(d.values, null, what);
        else t.values.forEach((v: number, i: number) => same(d.values[i], v, `${what} value ${i}`));
        assert.deepEqual(d.intermediate_values.map((x: any) => x.step), t.intermediate.map((x: [number, number]) => x[0]), what);
        d.intermediate_values.forEach((x: any, i: number) => same(x.value, t.intermediate[i][1], `${what} step ${x.step}`));
      }
    }
    // Optuna tells one more trial while the dashboard is open: a new ETag, and the trial is there
    const id = list.find((s) => s.name === 'dash').id;
    const before = await getJson(app, `/api/studies/${id}`);
    const n = optuna(TELL(url)) as number;
    const afterTell = await getJson(app, `/api/studies/${id}`, { 'if-none-match': before.etag! });
    assert.equal(afterTell.status, 200);
    assert.notEqual(afterTell.etag, before.etag);
    assert.equal(afterTell.body.best_trial, n);
    assert.equal(afterTell.body.best_value, -1);
  } finally {
    close();
    await ds.close();
  }
}

describe('dashboard API on studies the real Optuna 4.9 writes', { skip: skipOptuna }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'tokcast-dash-optuna-live-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('SQLite', async () => {
    await check(`sqlite:///${join(dir, 'optuna.db')}`);
  });

  describe('PostgreSQL', () => {
    const name = `tokcast_dash_optuna_${process.pid}`;
    const admin = () => new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3000 });
    let made = false;
    after(async () => {
      if (!made) return;
      const c = admin();
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    });

    it('a fresh database', async (t) => {
      const why = await postgresUnavailable();
      if (why) {
        if (process.env.CI === 'true') throw new Error(`PostgreSQL is required under CI=true: ${why}`);
        console.error(`\n!!!!! SKIPPING the Optuna PostgreSQL dashboard test: ${why} !!!!!\n`);
        return t.skip(why);
      }
      const c = admin();
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await c.query(`CREATE DATABASE ${name}`);
        made = true;
      } finally {
        await c.end();
      }
      const u = new URL(PG_URL.replace(/^postgres(ql)?:/, 'http:'));
      await check(`postgresql://${u.username ? `${u.username}${u.password ? `:${u.password}` : ''}@` : ''}${u.host}/${name}`);
    });
  });
});
