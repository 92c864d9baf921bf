// `storage_tell_vs_optuna`: ask + tell with 5 params (Study API, RandomSampler, fixed search space) on one RDB storage,
// tokcast beside the real Optuna 4.9 (TOKCAST_OPTUNA_DIR on /usr/bin/python3 or TOKCAST_PYTHON) in the same run, on the
// same database kind: SQLite (a temp file each) and PostgreSQL (127.0.0.1:5432, a throw-away database both use).
// One figure per database kind: trials per second, median of 5 runs (a fresh study each) after one warm-up study,
// min and max, for both, and the ratio tokcast / Optuna. `npm run bench -- storage_tell_vs_optuna`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { CategoricalDistribution, FloatDistribution, IntDistribution } from '../src/tune/distributions.ts';
import { RandomSampler } from '../src/tune/samplers/random.ts';
import { openStorage } from '../src/tune/storage/url.ts';
import { createStudy } from '../src/tune/study.ts';
import { median, round, spread } from './util.ts';

export const figureNames = ['storage_tell_vs_optuna'];

// trials per run: Optuna's side is ~100x slower, so it runs fewer to keep the module near a minute
const N = Number(process.env.BENCH_STORAGE_TRIALS ?? 100);
const N_OPTUNA = Number(process.env.BENCH_STORAGE_OPTUNA_TRIALS ?? 20);
const RUNS = 5;
const SPACE = {
  x: new FloatDistribution(-5, 5),
  lr: new FloatDistribution(1e-4, 1e-1, { log: true }),
  n: new IntDistribution(1, 64, { log: true }),
  k: new IntDistribution(0, 100, { step: 5 }),
  c: new CategoricalDistribution(['a', 'b', 'c']),
};

// Optuna's side: the same space as fixed distributions, the same loop, in one Python process
const PY = `
import json, sys, time, warnings
warnings.simplefilter("ignore")
import optuna
from optuna.distributions import CategoricalDistribution, FloatDistribution, IntDistribution
optuna.logging.set_verbosity(optuna.logging.WARNING)
url, n, runs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
storage = optuna.storages.RDBStorage(url)
space = {"x": FloatDistribution(-5, 5), "lr": FloatDistribution(1e-4, 1e-1, log=True), "n": IntDistribution(1, 64, log=True),
         "k": IntDistribution(0, 100, step=5), "c": CategoricalDistribution(["a", "b", "c"])}
def one(name):
    st = optuna.create_study(storage=storage, study_name=name, sampler=optuna.samplers.RandomSampler(seed=1))
    t0 = time.perf_counter()
    for _ in range(n):
        t = st.ask(space)
        st.tell(t, t.params["x"] ** 2)
    return n / (time.perf_counter() - t0)
one("optuna-warmup")
print(json.dumps([one(f"optuna-{r}") for r in range(runs)]))
`;

async function tokcastRates(url: string): Promise<number[]> {
  const s = await openStorage(url);
  try {
    const one = async (name: string) => {
      const study = await createStudy({ storage: s, studyName: name, sampler: new RandomSampler({ seed: 1 }) });
      const t0 = performance.now();
      for (let i = 0; i < N; i++) {
        const trial = await study.ask(SPACE);
        await study.tell(trial, (trial.params.x as number) ** 2);
      }
      return (N * 1000) / (performance.now() - t0);
    };
    await one('bench-warmup');
    const rates: number[] = [];
    for (let r = 0; r < RUNS; r++) rates.push(await one(`bench-${r}`));
    return rates;
  } finally {
    await s.close();
  }
}

function optunaRates(url: string, optunaDir: string, python: string): number[] {
  const r = spawnSync(python, ['-c', PY, url, String(N_OPTUNA), String(RUNS)], { encoding: 'utf8', env: { ...process.env, PYTHONPATH: optunaDir }, timeout: 600_000 });
  if (r.status !== 0) throw new Error(`Optuna (${python}) failed: ${(r.stderr || String(r.error ?? '')).trim().split('\n').pop()}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as number[];
}

function figure(backend: string, tk: number[], op: number[]): object {
  return {
    name: 'storage_tell_vs_optuna', backend, params: Object.keys(SPACE).length, tokcast_trials_per_run: N, optuna_trials_per_run: N_OPTUNA, runs: RUNS, warmup: 1,
    tokcast_trials_per_s: spread(tk, 1, 1), optuna_trials_per_s: spread(op, 1, 2),
    ratio: round(median(tk) / median(op), 2), optuna: '4.9.0 RDBStorage', load_avg_1m: round(loadavg()[0], 2),
  };
}

/** tokcast and Optuna 4.9 ask+tell throughput on SQLite and PostgreSQL; skipped (with the reason) without Optuna or a server. */
export async function storageTellVsOptuna(): Promise<object[]> {
  const optunaDir = process.env.TOKCAST_OPTUNA_DIR;
  const python = process.env.TOKCAST_PYTHON ?? (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');
  if (!optunaDir || !existsSync(optunaDir)) {
    const skipped = `TOKCAST_OPTUNA_DIR ${optunaDir ? `=${optunaDir}: folder not found` : 'is not set'}; point it at Optuna 4.9.0's source`;
    return [{ name: 'storage_tell_vs_optuna', backend: 'sqlite', skipped }, { name: 'storage_tell_vs_optuna', backend: 'postgresql', skipped }];
  }
  const dir = resolve(optunaDir);
  const out: object[] = [];
  const tmp = mkdtempSync(join(tmpdir(), 'tokcast-bench-optuna-'));
  try {
    const tk = await tokcastRates(`sqlite:///${join(tmp, 'tokcast.db')}`);
    const op = optunaRates(`sqlite:///${join(tmp, 'optuna.db')}`, dir, python);
    out.push(figure('sqlite', tk, op));
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  const base = process.env.TOKCAST_BENCH_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';
  const db = `bench_optuna_${process.pid}_${Date.now().toString(36)}`;
  const admin = async (sql: string) => {
    const c = new pg.Client({ connectionString: base, connectionTimeoutMillis: 3000 });
    await c.connect();
    try { await c.query(sql); } finally { await c.end(); }
  };
  try {
    await admin(`CREATE DATABASE ${db}`);
    const u = new URL(base.replace(/^postgres(ql)?:/, 'http:'));
    const url = `postgresql://${u.username ? `${u.username}${u.password ? `:${u.password}` : ''}@` : ''}${u.host}/${db}`;
    const tk = await tokcastRates(url);
    const op = optunaRates(url, dir, python);
    out.push(figure('postgresql', tk, op));
  } catch (e) {
    out.push({ name: 'storage_tell_vs_optuna', backend: 'postgresql', skipped: (e as Error).message });
  } finally {
    await admin(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`).catch(() => undefined);
  }
  return out;
}
