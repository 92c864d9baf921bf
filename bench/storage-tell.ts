// `storage_tell`: ask+tell throughput of one study on SQLite (temp file) and PostgreSQL (127.0.0.1:5432, throw-away schema).
// Two figures per backend: the Study API (RandomSampler, 3 params) and the raw Storage calls one trial needs. `npm run bench -- storage_tell`.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { CategoricalDistribution, FloatDistribution, IntDistribution } from '../src/tune/distributions.ts';
import { RandomSampler } from '../src/tune/samplers/random.ts';
import type { Storage } from '../src/tune/storage/storage.ts';
import { openStorage } from '../src/tune/storage/url.ts';
import { createStudy } from '../src/tune/study.ts';
import { round, spread } from './util.ts';

export const figureNames = ['storage_tell'];

const SPACE = { x: new FloatDistribution(-5, 5), n: new IntDistribution(1, 64, { log: true }), c: new CategoricalDistribution(['a', 'b', 'c']) };
const N = Number(process.env.BENCH_STORAGE_TRIALS ?? 200);

async function studyApiPerSecond(storage: Storage, name: string): Promise<number> {
  const study = await createStudy({ storage, studyName: name, sampler: new RandomSampler({ seed: 1 }) });
  const t0 = performance.now();
  for (let i = 0; i < N; i++) {
    const trial = await study.ask(SPACE);
    await study.tell(trial, (trial.params.x as number) ** 2);
  }
  return (N * 1000) / (performance.now() - t0);
}

async function rawPerSecond(s: Storage, name: string): Promise<number> {
  const id = await s.createNewStudy(['minimize'], name);
  const t0 = performance.now();
  for (let i = 0; i < N; i++) {
    const { trialId } = await s.createNewTrial(id);
    await s.recordHeartbeat(trialId);
    await s.setTrialParam(trialId, 'x', (i % 100) / 10 - 5, SPACE.x);
    await s.setTrialParam(trialId, 'n', 1 + (i % 64), SPACE.n);
    await s.setTrialParam(trialId, 'c', i % 3, SPACE.c);
    await s.setTrialStateValues(trialId, 'COMPLETE', [i]);
  }
  return (N * 1000) / (performance.now() - t0);
}

const RUNS = 5;

/** One warm-up study, then RUNS studies of N trials each (each a fresh study in the same storage). */
async function measureBackend(backend: string, url: string): Promise<object> {
  const s = await openStorage(url);
  try {
    await studyApiPerSecond(s, 'bench-warmup');
    await rawPerSecond(s, 'bench-warmup-raw');
    const study: number[] = [], raw: number[] = [];
    for (let r = 0; r < RUNS; r++) {
      study.push(await studyApiPerSecond(s, `bench-study-${r}`));
      raw.push(await rawPerSecond(s, `bench-raw-${r}`));
    }
    return { name: 'storage_tell', backend, runs: RUNS, warmup: 1, trials_per_run: N, study_ask_tell_per_s: spread(study, 1, 1), raw_storage_trials_per_s: spread(raw, 1, 1) };
  } finally {
    await s.close();
  }
}

/** Trials per second (ask + tell) on SQLite and PostgreSQL; PostgreSQL is reported as skipped when no server answers. */
export async function storageTell(): Promise<object[]> {
  const out: object[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'tokcast-bench-'));
  try {
    out.push(await measureBackend('sqlite', `sqlite:///${join(dir, 'bench.db')}`));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const base = process.env.TOKCAST_BENCH_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';
  const schema = `bench_${process.pid}_${Date.now().toString(36)}`;
  try {
    out.push(await measureBackend('postgresql', `${base}?schema=${schema}`));
  } catch (e) {
    out.push({ name: 'storage_tell', backend: 'postgresql', skipped: (e as Error).message });
  } finally {
    const c = new pg.Client({ connectionString: base, connectionTimeoutMillis: 3000 });
    await c.connect().then(() => c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)).catch(() => undefined);
    await c.end().catch(() => undefined);
  }
  return out;
}
