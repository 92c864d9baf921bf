// New candles -> windows exactly as steps 2-5 make them, with everything fitted kept from the training run (docs/architecture.md#steps, steps
// 7-8): clean.* rules, step 4's edges and volume floors (edges.json), step 5's coins, target, T and stride.
// Used by out-of-sample evaluation (loadFreshWindows) and inference (loadLatestWindow).
import { join } from 'node:path';
import { z } from 'zod';
import type { Config } from '../config/schema.ts';
import type { StepContext } from './context.ts';
import { readArtifact, stepDir } from './artifact.ts';
import { HOUR_MS, allocCandles, type CoinCandles } from '../data/candles.ts';
import { alignCoins } from '../data/align.ts';
import { cleanMarket, type CleanResult } from '../data/clean.ts';
import { configRange, loadCandles } from '../data/sources.ts';
import { sliceCandles } from '../data/csv.ts';
import { EMBARGO, SPLIT_CODE } from '../data/split.ts';
import { applyTokenizer, type CoinTokenizer } from '../tokenize/tokenizer.ts';
import { readEdgesFile, tokenizerOf, type EdgesFile } from '../tokenize/edges-file.ts';
import { buildWindows, windowStarts, K, type TokenTable } from '../tokenize/windows.ts';
import { logReturns } from '../tokenize/returns.ts';
import { INVALID_TOKEN } from '../tokenize/bins.ts';
import { UserError } from '../util/errors.ts';
import { sequencesStats } from './steps/sequences.ts';
import { isoHour } from '../util/calendar.ts';

export interface FreshWindows {
  x: Uint8Array; /** (N, T, C, K) */
  y: Uint8Array; /** (N,) */
  future: Uint8Array; /** (N, H), 255 = unknown (beyond the data or a gap) */
  t0: Float64Array; /** (N,) open time of each window's first hour, ms */
  N: number; rowSize: number; H: number;
  startMs: number; endMs: number; source: string;
  /** cleaning report: repair counts (as step 2's repair_totals) plus rows, first/last hour, segments, removed/marked hours and
   *  long gaps, over the range and the few context hours loaded before it */
  clean: Record<string, unknown>;
  /** hours of [startMs, endMs] inside the training split's span (0 = truly out of sample) */
  trainOverlapHours: number;
  /** each window's first row in the cleaned range, and the target's hourly log returns over those rows (NaN across gaps) */
  row: Int32Array;
  returns: Float64Array;
}

export interface LatestWindow {
  x: Uint8Array; /** (1, T, C, K) */
  lastHourMs: number;
  source: string;
  /** the target coin's close in the last hour (prices of the forecast are relative to it) */
  lastClose: number;
  /** the hour the data should reach (see loadLatestWindow) and how many hours the data lags it */
  asOfMs: number;
  stalenessHours: number;
}

/** Everything fitted by the training run that fresh data must reuse. */
export interface FittedPipeline {
  coins: string[]; targetCoin: string; target: number; T: number; V: number; stride: number;
  edges: EdgesFile; tokenizer: Record<string, CoinTokenizer>;
  /** first and last hour of the training split (ms), when step 3's artifact is there */
  trainSpan: [number, number] | null;
}


/** Reads step 5's artifact and step 4's edges.json (and step 3's training span), checking they agree. */
export function readFittedPipeline(ctx: StepContext): FittedPipeline {
  const seq = readArtifact(ctx.artifactsDir, 'sequences', sequencesStats).stats;
  readArtifact(ctx.artifactsDir, 'tokenize', z.unknown()); // checks edges.json against the hash tokenize recorded
  const path = join(stepDir(ctx.artifactsDir, 'tokenize'), 'edges.json');
  const edges = readEdgesFile(path);
  const missing = seq.coins.filter((c) => !edges.per_coin[c]);
  if (missing.length) throw new UserError(`${path}: no edges for ${missing.join(', ')} (step 5 used ${seq.coins.join(', ')}); rerun \`tokcast pipeline tokenize\` and \`sequences\``);
  if (edges.num_bins !== seq.V) throw new UserError(`${path}: ${edges.num_bins} bins but step 5 used V = ${seq.V}; rerun \`tokcast pipeline sequences\``);
  let trainSpan: [number, number] | null = null;
  try {
    const split = readArtifact(ctx.artifactsDir, 'split', z.object({ splits: z.array(z.object({ name: z.string(), start_ms: z.number(), end_ms: z.number() }).loose()) }).loose());
    const tr = split.stats.splits.find((s) => s.name === 'train');
    if (tr) trainSpan = [tr.start_ms, tr.end_ms];
  } catch { /* no split artifact: overlap unknown, reported as 0 */ }
  return {
    coins: seq.coins, targetCoin: seq.target_coin, target: seq.target_index, T: seq.T, V: seq.V, stride: seq.stride,
    edges, tokenizer: tokenizerOf(edges), trainSpan,
  };
}

/** The config with the fitted coins (and, for inference from a folder, the csv source). */
function dataConfig(config: Config, coins: string[], csvDir?: string): Config {
  const data = { ...config.data, coins };
  if (csvDir) Object.assign(data, { source: 'csv' as const, data_dir: csvDir });
  return { ...config, data };
}

/**
 * Loads [startMs, endMs] of the coins from the configured source. The synthetic market is one seeded series that
 * starts at the training download's first hour (its anchor): it is simulated from there and cut, so a later range
 * gives new hours of the same market, the training range gives the training candles, and there are no hours before
 * the anchor (simulating from a later start would replay the training hours under other dates). Without a synthetic
 * step 1 (e.g. trained on binance) the simulation starts at startMs. Binance shares step 1's kline cache.
 */
async function loadSource(ctx: StepContext, config: Config, startMs: number, endMs: number): Promise<{ candles: CoinCandles[]; source: string }> {
  const d = config.data;
  if (d.source === 'synthetic') {
    const anchor = syntheticAnchor(ctx);
    const from = anchor ?? startMs;
    const seed = d.synthetic.seed ?? config.seed;
    const source = `synthetic(seed=${seed}, market from ${isoHour(from)})`;
    if (endMs < from) return { candles: d.coins.map((coin) => ({ ...emptyCandles(coin), source })), source };
    const { candles } = await loadCandles(config, { range: { startMs: from, endMs } });
    return { candles: candles.map((c) => sliceCandles(c, startMs, endMs)), source };
  }
  const cacheDir = join(stepDir(ctx.artifactsDir, 'download'), 'cache');
  const { candles } = await loadCandles(config, { range: { startMs, endMs }, reporter: ctx.reporter, cacheDir });
  return { candles, source: d.source === 'csv' ? `csv:${d.data_dir}` : `binance:${d.binance.base_url}` };
}

const emptyCandles = (coin: string): CoinCandles => allocCandles(coin, 0);

/** First hour of the training run's synthetic download, or null when step 1 did not use the synthetic source. */
function syntheticAnchor(ctx: StepContext): number | null {
  try {
    const a = readArtifact(ctx.artifactsDir, 'download', z.object({ source: z.string(), start: z.string() }).loose());
    const t = Date.parse(a.stats.source === 'synthetic' ? a.stats.start : '');
    return Number.isFinite(t) ? Math.ceil(t / HOUR_MS) * HOUR_MS : null;
  } catch {
    return null;
  }
}

/** Step 2's rules (config clean.*) and step 4's fitted tokenizer applied to the candles. */
function cleanAndTokenize(config: Config, fit: FittedPipeline, candles: CoinCandles[], source: string): { res: CleanResult; tt: TokenTable } {
  const c = config.clean;
  const res = cleanMarket(alignCoins(candles), {
    maxFfillHours: c.max_ffill_hours, longGap: c.long_gap, outlierLogReturn: c.outlier_log_return,
    outlierRevertFraction: c.outlier_revert_fraction, minCoverage: c.min_coverage,
  }, source);
  const tok = applyTokenizer(fit.tokenizer, fit.coins, res.table.close, res.table.volume, res.segment);
  const tt: TokenTable = { openTime: res.table.openTime, split: new Uint8Array(res.table.openTime.length), segment: res.segment, price: tok.price, volume: tok.volume };
  return { res, tt };
}

function cleanReport(res: CleanResult): Record<string, unknown> {
  const q = res.quality;
  return {
    ...q.repair_totals, rows: q.rows_out, first_hour: q.first_hour, last_hour: q.last_hour, segments: q.segments.length,
    removed_hours: q.removed_hours, marked_hours: q.marked_hours, gaps: q.gaps.filter((g) => g.action !== 'ffill').length,
  };
}

/** Hours before the range loaded for context: the first hour's return and step 2's gap filling need earlier candles. */
const marginHours = (config: Config) => config.clean.max_ffill_hours + 2;

/**
 * Every window of the range [data.start, data.end] of the configured source (the CLI's --source/--data-dir/--start/--end),
 * made as steps 2-5 would with the training run's fitted values. The range is the hours the windows, targets and
 * futures cover; a few earlier hours are loaded for the first return and gap filling. Windows use step 5's stride and
 * never cross a gap; `future` stops at the range's end or a gap (255). The range holds no window: a UserError.
 */
export async function loadFreshWindows(ctx: StepContext, opts: { horizon: number }): Promise<FreshWindows> {
  const H = opts.horizon;
  if (!Number.isInteger(H) || H < 1) throw new UserError(`horizon: expected a positive integer, got ${H}`);
  const fit = readFittedPipeline(ctx);
  const config = dataConfig(ctx.config, fit.coins);
  const { startMs, endMs } = configRange(config.data);
  const range = `${isoHour(startMs)} .. ${isoHour(endMs)}`;
  const { candles, source } = await loadSource(ctx, config, startMs - marginHours(config) * HOUR_MS, endMs);
  for (const c of candles) {
    if (!c.openTime.some((t) => t >= startMs)) throw new UserError(`data ${range} (${source}): coin ${c.coin} has no candles in this range; choose a range the data covers`);
  }
  const { res, tt } = cleanAndTokenize(config, fit, candles, `${source} ${range}`);
  for (let r = 0; r < tt.split.length; r++) tt.split[r] = tt.openTime[r]! < startMs ? EMBARGO : SPLIT_CODE.val;
  const { starts, runEnd } = windowStarts(tt, SPLIT_CODE.val, fit.T, fit.stride);
  if (starts.length === 0) {
    const longest = res.quality.segments.reduce((m, s) => Math.max(m, s.rows), 0);
    throw new UserError(`data ${range} (${source}): no window of T = ${fit.T} hours plus a target hour inside one gap-free run ` +
      `(${res.quality.rows_out} clean hours, longest gap-free run ${longest} h); widen the range to at least ${fit.T + 1} consecutive hours`);
  }
  const w = buildWindows(tt, starts, runEnd, fit.T, fit.target, H);
  let overlap = 0;
  if (fit.trainSpan) {
    const a = Math.max(startMs, fit.trainSpan[0]), b = Math.min(endMs, fit.trainSpan[1]);
    overlap = b >= a ? (b - a) / HOUR_MS + 1 : 0;
  }
  return {
    x: w.x, y: w.y, future: w.future, t0: w.t0, N: w.N, rowSize: fit.T * fit.coins.length * K, H,
    startMs, endMs, source, clean: cleanReport(res), trainOverlapHours: overlap,
    row: w.row, returns: logReturns(res.table.close[fit.target]!, res.segment),
  };
}

/**
 * The latest T hours (plus the hour before, for the first return) as one window (1, T, C, K).
 * Source: the configured one, or the CSV folder `csvDir`. "As of" hour (the hour the data should reach):
 * - `nowMs` given, or the binance source: the last closed hour before now (the clock);
 * - csv and synthetic without `nowMs`: the last hour of data.end (the CLI's --end): these sources have no clock,
 *   so staleness is measured against the end the user asked for.
 * Errors (UserError): no candle near the as-of hour or the latest hour with every coin older than
 * inference.max_staleness_hours before it (stale); fewer than T+1 hours of data (too short); a gap longer than
 * clean.max_ffill_hours inside the last T+1 hours (shorter gaps are forward-filled as in step 2).
 */
export async function loadLatestWindow(ctx: StepContext, opts: { csvDir?: string; nowMs?: number } = {}): Promise<LatestWindow> {
  const fit = readFittedPipeline(ctx);
  const config = dataConfig(ctx.config, fit.coins, opts.csvDir);
  const maxStale = config.inference.max_staleness_hours;
  const clock = opts.nowMs ?? (config.data.source === 'binance' ? Date.now() : null);
  const asOf = clock !== null ? Math.floor(clock / HOUR_MS) * HOUR_MS - HOUR_MS : configRange(config.data).endMs;
  const asOfWhat = clock !== null ? 'the last closed hour' : 'data.end (--end)';
  const lookback = fit.T + 1 + maxStale + marginHours(config);
  const from = asOf - (lookback - 1) * HOUR_MS;
  const { candles, source } = await loadSource(ctx, config, from, asOf);
  const staleError = (what: string) => new UserError(`${source}: data is stale: ${what}, but inference needs data up to ${isoHour(asOf)} ` +
    `(${asOfWhat}) within inference.max_staleness_hours = ${maxStale}; update the data${config.data.source === 'csv' ? ` in ${config.data.data_dir}` : ''} or pass --end`);
  const lagBy = (t: number) => `${isoHour(t)}, ${(asOf - t) / HOUR_MS} h before`;
  let commonLast = Infinity, lagging = '';
  for (const c of candles) {
    const n = c.openTime.length;
    if (n === 0) {
      const last = await lastCandleBefore(config, c.coin, asOf);
      throw staleError(last === null ? `${c.coin} has no candle from ${isoHour(from)} to ${isoHour(asOf)}` : `the last candle of ${c.coin} is ${lagBy(last)}`);
    }
    if (c.openTime[n - 1]! < commonLast) { commonLast = c.openTime[n - 1]!; lagging = c.coin; }
  }
  if (asOf - commonLast > maxStale * HOUR_MS) throw staleError(`the last candle of ${lagging} is ${lagBy(commonLast)}`);

  const { res, tt } = cleanAndTokenize(config, fit, candles, `${source} ${isoHour(from)} .. ${isoHour(asOf)}`);
  const n = tt.openTime.length, r = n - 1;
  const lastHourMs = tt.openTime[r]!;
  if (asOf - lastHourMs > maxStale * HOUR_MS) throw staleError(`the last clean hour (every coin valid) is ${lagBy(lastHourMs)}`);
  let run = 0; // usable rows ending at r, consecutive hours of one segment
  while (run < fit.T && r - run >= 0 && usableRow(tt, r - run) && (run === 0 || (tt.segment[r - run] === tt.segment[r - run + 1]
    && tt.openTime[r - run + 1]! - tt.openTime[r - run]! === HOUR_MS))) run++;
  if (run < fit.T) {
    const firstHour = Math.max(...candles.map((c) => c.openTime[0]!)); // every coin is needed: the latest first candle
    const span = (lastHourMs - firstHour) / HOUR_MS + 1;
    if (span < fit.T + 1) {
      throw new UserError(`${source}: too short: the window needs T + 1 = ${fit.T + 1} consecutive hours up to ${isoHour(lastHourMs)}, ` +
        `the data has ${span} hour(s) with every coin, from ${isoHour(firstHour)}`);
    }
    const since = lastHourMs - (fit.T) * HOUR_MS;
    const gaps = res.quality.gaps.filter((g) => g.action !== 'ffill' && Date.parse(g.start) + g.hours * HOUR_MS > since);
    const what = gaps.length ? gaps.map((g) => `${g.hours} h from ${g.start} (${g.coins.join(', ')})`).join('; ') : 'invalid candles';
    throw new UserError(`${source}: gap inside the window: the ${fit.T + 1} hours up to ${isoHour(lastHourMs)} must be gap-free ` +
      `(gaps up to clean.max_ffill_hours = ${config.clean.max_ffill_hours} h are filled) but contain ${what}; only the last ${run} hour(s) are usable`);
  }
  const C = fit.coins.length;
  const x = new Uint8Array(fit.T * C * K);
  let o = 0;
  for (let t = r - fit.T + 1; t <= r; t++) for (let c = 0; c < C; c++) { x[o++] = tt.price[c]![t]!; x[o++] = tt.volume[c]![t]!; }
  return { x, lastHourMs, source, lastClose: res.table.close[fit.target]![r]!, asOfMs: asOf, stalenessHours: (asOf - lastHourMs) / HOUR_MS };
}

function usableRow(tt: TokenTable, r: number): boolean {
  if (tt.segment[r]! < 0) return false;
  for (let c = 0; c < tt.price.length; c++) if (tt.price[c]![r] === INVALID_TOKEN || tt.volume[c]![r] === INVALID_TOKEN) return false;
  return true;
}

/** csv: the coin's last candle at or before asOf anywhere in its file (for the stale message); null otherwise. */
async function lastCandleBefore(config: Config, coin: string, asOf: number): Promise<number | null> {
  if (config.data.source !== 'csv') return null;
  const one = { ...config, data: { ...config.data, coins: [coin] } };
  const { candles } = await loadCandles(one, { range: { startMs: 0, endMs: asOf } });
  const t = candles[0]?.openTime;
  return t && t.length ? t[t.length - 1]! : null;
}
