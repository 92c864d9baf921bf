// Shared fixture for the step 2-5 tests: a small seeded 3-coin market written as step 1's download.parquet + artifact.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { HOUR_MS, type MarketTable } from '../../../src/data/candles.ts';
import { tableToColumns } from '../../../src/data/align.ts';
import { writeParquet } from '../../../src/data/parquet.ts';
import { writeArtifact, startTimer, stepDir } from '../../../src/pipeline/artifact.ts';
import { validateConfig } from '../../../src/config/load.ts';
import { makeContext, type StepContext } from '../../../src/pipeline/context.ts';
import { Rng } from '../../../src/util/rng.ts';

export const T0 = Date.UTC(2022, 0, 1);
export const COINS = ['AAA', 'BBB', 'CCC'];

/** n hours of GBM candles; AAA misses hours 100-101 (filled), every coin misses 300-304 (dropped, 5 h). */
export function fixtureMarket(n = 600, seed = 5): MarketTable {
  const rng = new Rng(seed);
  const t: MarketTable = { coins: [...COINS], openTime: Float64Array.from({ length: n }, (_, i) => T0 + i * HOUR_MS), open: [], high: [], low: [], close: [], volume: [] };
  COINS.forEach((_, c) => {
    const close = new Float64Array(n), open = new Float64Array(n), high = new Float64Array(n), low = new Float64Array(n), vol = new Float64Array(n);
    let p = 10 ** (c + 1);
    for (let i = 0; i < n; i++) {
      open[i] = p;
      p *= Math.exp(rng.normal() * 0.01 * (c + 1));
      close[i] = p;
      high[i] = Math.max(open[i]!, p) * (1 + rng.random() * 0.005);
      low[i] = Math.min(open[i]!, p) * (1 - rng.random() * 0.005);
      vol[i] = rng.random() < 0.05 ? 0 : Math.exp(rng.normal() + 3 * c);
    }
    t.open.push(open); t.high.push(high); t.low.push(low); t.close.push(close); t.volume.push(vol);
  });
  const drop = (c: number, i: number) => { for (const f of ['open', 'high', 'low', 'close', 'volume'] as const) t[f][c]![i] = NaN; };
  drop(0, 100); drop(0, 101);
  for (let i = 300; i < 305; i++) for (let c = 0; c < 3; c++) drop(c, i);
  return t;
}

export function fixtureContext(overrides: Record<string, unknown> = {}, dir = mkdtempSync(join(tmpdir(), 'tokcast-steps-'))): StepContext {
  const config = validateConfig({
    artifacts_dir: dir,
    data: { coins: COINS, target_coin: 'BBB' },
    sequences: { window: 12 },
    evaluate: { horizon: 4 },
    ...overrides,
  });
  return makeContext(config);
}

/** Writes step 1's outputs the way the download step does: the wide table and an artifact. */
export async function writeDownload(ctx: StepContext, table: MarketTable): Promise<void> {
  await writeParquet(join(stepDir(ctx.artifactsDir, 'download'), 'download.parquet'), tableToColumns(table));
  writeArtifact(ctx.artifactsDir, 'download', z.object({}).passthrough(), {
    step: 'download', version: 1, created_at: new Date().toISOString(), config_hash: ctx.configHash, seed: ctx.config.seed,
    inputs: [], timings: startTimer().finish(), files: ['download.parquet'], stats: {},
  });
}
