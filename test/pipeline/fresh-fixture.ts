// Shared fixture for the fresh-data and inference tests: a tiny synthetic run of steps 1-6 (3 coins, 60 days, tiny
// model, 1 epoch) in a temp artifacts dir, plus helpers for contexts over other ranges and CSV folders of candles.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateConfig } from '../../src/config/load.ts';
import { makeContext, type StepContext } from '../../src/pipeline/context.ts';
import type { CoinCandles } from '../../src/data/candles.ts';
import { runDownload } from '../../src/pipeline/steps/download.ts';
import { runClean } from '../../src/pipeline/steps/clean.ts';
import { runSplit } from '../../src/pipeline/steps/split.ts';
import { runTokenize } from '../../src/pipeline/steps/tokenize.ts';
import { runSequences } from '../../src/pipeline/steps/sequences.ts';
import { runTrain } from '../../src/pipeline/steps/train.ts';

export const COINS = ['BTC', 'ETH', 'XRP'];
export const START = '2022-01-01';
export const END = '2022-03-01'; // 60 days
export const T = 12;
export const H = 4;

const made: string[] = [];
const tmp = (prefix: string) => { const d = mkdtempSync(join(tmpdir(), prefix)); made.push(d); return d; };

/** Removes every temp folder this fixture made (call in `after`). */
export function removeTempDirs(): void {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
}

const base = (dir: string) => ({
  seed: 7,
  artifacts_dir: dir,
  data: { source: 'synthetic', coins: COINS, target_coin: 'XRP', start: START, end: END },
  split: { train_ratio: 0.7, val_ratio: 0.15 },
  tokenize: { num_bins: 3 },
  sequences: { window: T },
  model: { embed_dim: 4, d_model: 16, n_heads: 2, n_layers: 1, d_ff: 32, dropout: 0 },
  train: { epochs: 1, batch_size: 256, threads: 2 },
  evaluate: { horizon: H },
  inference: { horizon: 3, max_staleness_hours: 3 },
});

/** A context on the same artifacts with other data settings (e.g. --start/--end, --source csv --data-dir). */
export function contextWith(dir: string, data: Record<string, unknown> = {}, extra: Record<string, unknown> = {}): StepContext {
  const b = base(dir);
  return makeContext(validateConfig({ ...b, ...extra, data: { ...b.data, ...data } }));
}

/** Runs steps 1-6 once on the synthetic source; returns the context. */
export async function buildPipeline(): Promise<StepContext> {
  const ctx = contextWith(tmp('tokcast-fresh-'));
  await runDownload(ctx);
  await runClean(ctx);
  await runSplit(ctx);
  await runTokenize(ctx, { plot: false });
  await runSequences(ctx);
  await runTrain(ctx, { pretrained: false });
  return ctx;
}

/** Writes one plain `open_time,open,high,low,close,volume` CSV per coin (epoch ms); `keep(t)` false drops an hour. */
export function writeCsvFolder(candles: CoinCandles[], keep: (t: number, coin: string) => boolean = () => true): string {
  const dir = tmp('tokcast-csv-');
  for (const c of candles) {
    const lines = ['open_time,open,high,low,close,volume'];
    for (let i = 0; i < c.openTime.length; i++) {
      if (!keep(c.openTime[i]!, c.coin)) continue;
      lines.push([c.openTime[i], c.open[i], c.high[i], c.low[i], c.close[i], c.volume[i]].map(String).join(','));
    }
    writeFileSync(join(dir, `${c.coin}USDT.csv`), lines.join('\n') + '\n');
  }
  return dir;
}

/** ISO hour as the config accepts it (2022-01-01T05:00Z). */
export const cfgHour = (ms: number) => new Date(ms).toISOString().slice(0, 16) + 'Z';
