// Step 1 download (docs/architecture.md#steps): the configured coins' hourly OHLCV from the configured source -> one wide table
// `download.parquet` (open_time int64 ms, <COIN>_open..volume float64, NaN/NULL where a coin lacks the hour) + coverage stats + plots.
import { join } from 'node:path';
import { z } from 'zod';
import type { StepContext } from '../context.ts';
import { startTimer, stepDir, writeArtifact, type Artifact } from '../artifact.ts';
import { HOUR_MS, type CoinCandles } from '../../data/candles.ts';
import { alignCoins, tableToColumns } from '../../data/align.ts';
import { writeParquet } from '../../data/parquet.ts';
import { loadCandles } from '../../data/sources.ts';
import type { Clock } from '../../data/binance/limiter.ts';
import { renderSvg, svgToPng } from '../../plots/render.ts';
import { pricesSpec } from '../../plots/specs/prices.ts';
import { coverageSpec } from '../../plots/specs/coverage.ts';
import { writeFileAtomic } from '../../util/fs.ts';
import { UserError } from '../../util/errors.ts';
import { retractArtifact } from './clean.ts';
import { profileFromConfig, writeRunProfile } from '../run-profile.ts';

export const DOWNLOAD_FILE = 'download.parquet';
export const PRICES_PNG = 'prices.png';
export const COVERAGE_PNG = 'coverage.png';

export const coinCoverageSchema = z.object({
  coin: z.string(),
  /** file or URL + symbol the rows came from */
  source: z.string(),
  rows: z.number().int().min(0),
  first_hour: z.string(),
  last_hour: z.string(),
  /** hours absent between the coin's first and last hour */
  missing_hours: z.number().int().min(0),
  gaps: z.number().int().min(0),
  longest_gap_hours: z.number().int().min(0),
  /** rows / grid hours */
  coverage: z.number().min(0).max(1),
  zero_volume_rows: z.number().int().min(0),
}).strict();

export const downloadStatsSchema = z.object({
  source: z.enum(['binance', 'csv', 'synthetic']),
  coins: z.array(z.string()),
  /** the requested range (first and last hour, inclusive) */
  start: z.string(),
  end: z.string(),
  /** the table's hourly grid: the earliest to the latest hour of any coin */
  grid_first_hour: z.string(),
  grid_last_hour: z.string(),
  grid_hours: z.number().int().positive(),
  /** hours where every coin has a candle, and the span where all coins are listed */
  hours_all_coins: z.number().int().min(0),
  common_first_hour: z.string(),
  common_last_hour: z.string(),
  per_coin: z.array(coinCoverageSchema),
  /** binance: HTTP requests made this run (0 = all from the cache) */
  requests: z.number().int().min(0),
  load_seconds: z.number().min(0),
}).strict();
export type DownloadStats = z.infer<typeof downloadStatsSchema>;
export type CoinCoverage = z.infer<typeof coinCoverageSchema>;

export interface DownloadOptions {
  /** binance source: fetch implementation and clock (tests) */
  fetch?: typeof globalThis.fetch;
  clock?: Clock;
}

const iso = (t: number) => new Date(t).toISOString().replace('.000Z', 'Z');

/** Coverage of one coin on a grid of `gridHours` hours. */
export function coinCoverage(c: CoinCandles, gridHours: number): CoinCoverage {
  const n = c.openTime.length;
  let gaps = 0, longest = 0, zero = 0;
  for (let i = 0; i < n; i++) {
    if (c.volume[i] === 0) zero++;
    if (i > 0) {
      const missing = (c.openTime[i] - c.openTime[i - 1]) / HOUR_MS - 1;
      if (missing > 0) { gaps++; longest = Math.max(longest, missing); }
    }
  }
  const span = (c.openTime[n - 1] - c.openTime[0]) / HOUR_MS + 1;
  return {
    coin: c.coin, source: c.source ?? '', rows: n, first_hour: iso(c.openTime[0]), last_hour: iso(c.openTime[n - 1]),
    missing_hours: span - n, gaps, longest_gap_hours: longest, coverage: n / gridHours, zero_volume_rows: zero,
  };
}

/** Every coin must have candles in the range and all must share at least one hour of listing span. */
function checkOverlap(candles: CoinCandles[], startMs: number, endMs: number, source: string): { first: number; last: number } {
  for (const c of candles)
    if (c.openTime.length === 0)
      throw new UserError(`data.coins: ${c.coin} has no candles in ${iso(startMs)} .. ${iso(endMs)} (source ${source}${c.source ? `: ${c.source}` : ''}); choose another range or drop the coin`);
  const firsts = candles.map((c) => c.openTime[0]);
  const lasts = candles.map((c) => c.openTime[c.openTime.length - 1]);
  const first = Math.max(...firsts), last = Math.min(...lasts);
  if (first > last) {
    const late = candles[firsts.indexOf(first)], early = candles[lasts.indexOf(last)];
    throw new UserError(`data.coins: ${late.coin} starts at ${iso(first)}, after ${early.coin} ends at ${iso(last)}; the coins share no hour (no overlap), so no window can hold them all`);
  }
  return { first, last };
}

/** Runs step 1: load, check, write run.json (the run profile), download.parquet + plots + download_artifact.json (files replaced only when all succeeded). */
export async function runDownload(ctx: StepContext, opts: DownloadOptions = {}): Promise<Artifact<DownloadStats>> {
  const timer = startTimer();
  const { config, artifactsDir, reporter } = ctx;
  const dir = stepDir(artifactsDir, 'download');
  const t0 = performance.now();
  const loaded = await loadCandles(config, { reporter, cacheDir: join(dir, 'cache'), fetch: opts.fetch, clock: opts.clock });
  const loadSeconds = (performance.now() - t0) / 1000;
  const { candles, startMs, endMs } = loaded;
  const common = checkOverlap(candles, startMs, endMs, config.data.source);

  const table = alignCoins(candles);
  const gridHours = table.openTime.length;
  let allCoins = 0;
  for (let h = 0; h < gridHours; h++) {
    let ok = true;
    for (let c = 0; c < table.coins.length && ok; c++) ok = !Number.isNaN(table.close[c][h]);
    if (ok) allCoins++;
  }
  const stats: DownloadStats = {
    source: config.data.source, coins: table.coins, start: iso(startMs), end: iso(endMs),
    grid_first_hour: iso(table.openTime[0]), grid_last_hour: iso(table.openTime[gridHours - 1]), grid_hours: gridHours,
    hours_all_coins: allCoins, common_first_hour: iso(common.first), common_last_hour: iso(common.last),
    per_coin: candles.map((c) => coinCoverage(c, gridHours)),
    requests: loaded.requests, load_seconds: loadSeconds,
  };
  for (const p of stats.per_coin)
    reporter.log(`${p.coin}: ${p.rows} rows ${p.first_hour} .. ${p.last_hour}, ${p.missing_hours} missing hours in ${p.gaps} gaps, coverage ${(100 * p.coverage).toFixed(1)} %`);

  const columns = tableToColumns(table);
  columns.open_time = BigInt64Array.from(table.openTime, (t) => BigInt(t));
  const pricesPng = svgToPng(await renderSvg(pricesSpec(candles)));
  const coveragePng = svgToPng(await renderSvg(coverageSpec(candles, table.openTime[0], table.openTime[gridHours - 1])));

  // everything is computed: record the run's identity, then replace the files (each atomically), the artifact last
  writeRunProfile(artifactsDir, profileFromConfig(config, ctx.configHash));
  retractArtifact(artifactsDir, 'download');
  await writeParquet(join(dir, DOWNLOAD_FILE), columns);
  writeFileAtomic(join(dir, PRICES_PNG), pricesPng);
  writeFileAtomic(join(dir, COVERAGE_PNG), coveragePng);
  const artifact: Artifact<DownloadStats> = {
    step: 'download', version: 1, created_at: new Date().toISOString(), config_hash: ctx.configHash, seed: config.seed,
    inputs: [], timings: timer.finish(), files: [DOWNLOAD_FILE, PRICES_PNG, COVERAGE_PNG], stats,
  };
  writeArtifact(artifactsDir, 'download', downloadStatsSchema, artifact);
  return artifact;
}
