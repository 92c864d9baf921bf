// Cleans a MarketTable on its hourly grid (docs/architecture.md#steps): listing trim, candle repairs, one-hour spikes, gap filling,
// long gaps dropped or marked, contiguous segments; every repair counted by coin and kind. Rules: see cleanMarket.
import { HOUR_MS, type MarketTable } from './candles.ts';
import { regridTable, runsOf, selectRows, isoHour } from './align.ts';
import { UserError } from '../util/errors.ts';

export interface CleanOptions {
  maxFfillHours: number;
  longGap: 'drop' | 'mark';
  outlierLogReturn: number;
  outlierRevertFraction: number;
  minCoverage: number;
}

/** The repairs and events counted per coin. */
export const REPAIR_KINDS = [
  'invalid_price',           // a candle with a NaN / non-positive open, high, low or close: treated as a missing hour
  'missing_volume',          // valid prices but no volume: volume set to 0
  'negative_volume',         // volume < 0: set to 0 (the exchange convention for "no trades")
  'high_below_low',          // high < low: the two are swapped
  'high_widened',            // high < max(open, close): high raised to max(open, close)
  'low_widened',             // low > min(open, close): low lowered to min(open, close)
  'outlier_spike',           // one-hour spike that reverts: close replaced by the geometric mean of its neighbours' closes
  'ffill_gaps',              // gaps of <= max_ffill_hours hours forward-filled
  'ffill_hours',             // hours filled: open = high = low = close = previous close, volume 0
  'long_gaps',               // longer gaps (or a gap with no candle before it): dropped or marked
  'long_gap_hours',          // hours in those gaps
  'zero_volume_placeholder', // O = H = L = C and volume 0 (an exchange halt candle): counted, kept as is
] as const;
export type RepairKind = (typeof REPAIR_KINDS)[number];

/** Bits of the per-coin `<COIN>_flags` column. */
export const FLAG = { ffill: 1, repaired: 2, outlier: 4, placeholder: 8, missing: 16 } as const;

export interface CoinQuality {
  first_hour: string; last_hour: string; present_hours: number; coverage: number;
}
export interface GapRecord { start: string; hours: number; action: 'ffill' | 'drop' | 'mark'; coins: string[] }
export interface SegmentRecord { id: number; start: string; end: string; rows: number }

export interface CleanResult {
  table: MarketTable;
  /** contiguous run id per row (consecutive hours, every coin valid); -1 for a marked row */
  segment: Int32Array;
  /** 1 where every coin has a (possibly repaired or filled) candle */
  valid: Uint8Array;
  /** FLAG bits per coin and row */
  flags: Uint8Array[];
  quality: {
    grid_rows: number; rows_out: number; first_hour: string; last_hour: string;
    trimmed_start_hours: number; trimmed_end_hours: number; removed_hours: number; marked_hours: number;
    coins: Record<string, CoinQuality>;
    repairs: Record<string, Record<RepairKind, number>>;
    repair_totals: Record<RepairKind, number>;
    gaps: GapRecord[];
    segments: SegmentRecord[];
  };
}

function zeroCounts(): Record<RepairKind, number> {
  return Object.fromEntries(REPAIR_KINDS.map((k) => [k, 0])) as Record<RepairKind, number>;
}

/**
 * Cleans `input` (rows may skip hours; they are put on the full grid first). Rules, in order:
 * 1. A candle with any of open/high/low/close NaN, infinite or <= 0 is treated as missing (`invalid_price`).
 *    NaN volume with valid prices -> 0 (`missing_volume`); negative volume -> 0 (`negative_volume`).
 *    high < low -> swapped (`high_below_low`); then high >= max(open, close) and low <= min(open, close) by widening.
 * 2. Listing: the table is trimmed to the hours from the latest first candle to the earliest last candle of all coins
 *    (before a coin's listing there is nothing to forecast from, and windows need every coin). A coin covering less
 *    than `minCoverage` of the grid, or with no hour in common with the others, is an error naming it.
 * 3. Spikes: |log(c_t/c_{t-1})| > outlierLogReturn, with the next hour moving back by at least outlierRevertFraction of
 *    it in the opposite direction (t-1, t, t+1 all real candles) -> close_t = sqrt(c_{t-1} c_{t+1}), high/low widened.
 * 4. Gaps of one coin up to maxFfillHours hours with a candle before them are forward-filled (O=H=L=C = last close,
 *    volume 0). Longer gaps make the hour invalid for all coins: removed ('drop') or kept with NaN and valid = 0
 *    ('mark'). Segments are maximal runs of consecutive valid hours; windows never cross one.
 * 5. Zero-volume placeholder candles (O=H=L=C, volume 0) are counted, not changed.
 */
export function cleanMarket(input: MarketTable, opts: CleanOptions, source = 'download table'): CleanResult {
  const grid = regridTable(input, source);
  const { coins } = grid;
  const N = grid.openTime.length;
  const repairs: Record<string, Record<RepairKind, number>> = Object.fromEntries(coins.map((c) => [c, zeroCounts()]));
  const present = coins.map(() => new Uint8Array(N));
  const flagsGrid = coins.map(() => new Uint8Array(N));
  const t = copyTable(grid);
  coins.forEach((coin, c) => checkCandles(t, c, present[c]!, flagsGrid[c]!, repairs[coin]!));
  const { start, end, quality } = listingRange(grid, present, opts.minCoverage, source);
  const bad = new Uint8Array(N);
  const gapMap = new Map<string, GapRecord>();
  coins.forEach((coin, c) => {
    repairSpikes(t, c, start, end, present[c]!, flagsGrid[c]!, repairs[coin]!, opts);
    fillGaps(t, c, start, end, present[c]!, flagsGrid[c]!, repairs[coin]!, opts, bad, gapMap);
  });

  const keep = new Uint8Array(N);
  let removed = 0, marked = 0;
  for (let i = start; i <= end; i++) {
    if (bad[i] && opts.longGap === 'drop') { removed++; continue; }
    keep[i] = 1;
    if (bad[i]) marked++;
  }
  const table = selectRows(t, keep);
  const flags = flagsGrid.map((f) => f.filter((_, i) => keep[i] === 1));
  const { segment, valid, segments } = segmentsOf(table.openTime, bad.filter((_, i) => keep[i] === 1));
  const n = table.openTime.length;
  const totals = zeroCounts();
  for (const r of Object.values(repairs)) for (const k of REPAIR_KINDS) totals[k] += r[k];
  return {
    table, segment, valid, flags,
    quality: {
      grid_rows: N, rows_out: n, first_hour: isoHour(table.openTime[0]!), last_hour: isoHour(table.openTime[n - 1]!),
      trimmed_start_hours: start, trimmed_end_hours: N - 1 - end, removed_hours: removed, marked_hours: marked,
      coins: quality, repairs, repair_totals: totals,
      gaps: [...gapMap.values()].sort((x, y) => x.start.localeCompare(y.start)),
      segments,
    },
  };
}

// rule 1: one coin's candles, in place
function checkCandles(t: MarketTable, c: number, present: Uint8Array, flags: Uint8Array, rep: Record<RepairKind, number>): void {
  const o = t.open[c]!, h = t.high[c]!, l = t.low[c]!, cl = t.close[c]!, v = t.volume[c]!;
  for (let i = 0; i < o.length; i++) {
    const any = !(Number.isNaN(o[i]!) && Number.isNaN(h[i]!) && Number.isNaN(l[i]!) && Number.isNaN(cl[i]!) && Number.isNaN(v[i]!));
    if (!any) continue;
    const ok = o[i]! > 0 && h[i]! > 0 && l[i]! > 0 && cl[i]! > 0 && Number.isFinite(o[i]! + h[i]! + l[i]! + cl[i]!);
    if (!ok) { rep.invalid_price++; o[i] = h[i] = l[i] = cl[i] = v[i] = NaN; continue; }
    present[i] = 1;
    let fl = 0;
    if (Number.isNaN(v[i]!)) { v[i] = 0; rep.missing_volume++; fl = FLAG.repaired; }
    else if (v[i]! < 0) { v[i] = 0; rep.negative_volume++; fl = FLAG.repaired; }
    if (h[i]! < l[i]!) { const x = h[i]!; h[i] = l[i]!; l[i] = x; rep.high_below_low++; fl = FLAG.repaired; }
    const hi = Math.max(o[i]!, cl[i]!), lo = Math.min(o[i]!, cl[i]!);
    if (h[i]! < hi) { h[i] = hi; rep.high_widened++; fl = FLAG.repaired; }
    if (l[i]! > lo) { l[i] = lo; rep.low_widened++; fl = FLAG.repaired; }
    if (o[i] === h[i] && h[i] === l[i] && l[i] === cl[i] && v[i] === 0) { rep.zero_volume_placeholder++; fl |= FLAG.placeholder; }
    flags[i] = fl;
  }
}

// rule 2: the hours every coin is listed for, and each coin's coverage
function listingRange(grid: MarketTable, present: Uint8Array[], minCoverage: number, source: string) {
  const N = grid.openTime.length;
  const quality: Record<string, CoinQuality> = {};
  let start = 0, end = N - 1;
  let latestFirst = grid.coins[0]!, earliestLast = grid.coins[0]!;
  grid.coins.forEach((coin, c) => {
    const p = present[c]!;
    const first = p.indexOf(1), last = p.lastIndexOf(1);
    let count = 0;
    for (let i = 0; i < N; i++) count += p[i]!;
    const coverage = count / N;
    if (first < 0 || coverage < minCoverage) {
      throw new UserError(`${source}: coin ${coin} has ${count} valid hours of ${N} (coverage ${coverage.toFixed(4)} < clean.min_coverage ${minCoverage}); drop it from data.coins or fix its data`);
    }
    quality[coin] = { first_hour: isoHour(grid.openTime[first]!), last_hour: isoHour(grid.openTime[last]!), present_hours: count, coverage };
    if (first > start) { start = first; latestFirst = coin; }
    if (last < end) { end = last; earliestLast = coin; }
  });
  if (start > end) {
    throw new UserError(`${source}: coin ${latestFirst} starts at ${quality[latestFirst]!.first_hour}, after ${earliestLast} ends at ${quality[earliestLast]!.last_hour}: the coins share no hour`);
  }
  return { start, end, quality };
}

// rule 4: one coin's gaps inside [start, end]: fill the short ones, mark the hours of the long ones in `bad`
function fillGaps(t: MarketTable, c: number, start: number, end: number, present: Uint8Array, flags: Uint8Array,
  rep: Record<RepairKind, number>, opts: CleanOptions, bad: Uint8Array, gapMap: Map<string, GapRecord>): void {
  const missing = new Uint8Array(present.length);
  for (let i = start; i <= end; i++) missing[i] = present[i] ? 0 : 1;
  for (const [g, len] of runsOf(missing)) {
    const fill = len <= opts.maxFfillHours && g > 0 && present[g - 1] === 1;
    if (fill) {
      rep.ffill_gaps++; rep.ffill_hours += len;
      const prev = t.close[c]![g - 1]!;
      for (let i = g; i < g + len; i++) {
        t.open[c]![i] = t.high[c]![i] = t.low[c]![i] = t.close[c]![i] = prev;
        t.volume[c]![i] = 0;
        flags[i]! |= FLAG.ffill;
      }
    } else {
      rep.long_gaps++; rep.long_gap_hours += len;
      for (let i = g; i < g + len; i++) { bad[i] = 1; flags[i]! |= FLAG.missing; }
    }
    const key = `${g}:${len}`;
    const rec = gapMap.get(key) ?? { start: isoHour(t.openTime[g]!), hours: len, action: fill ? 'ffill' : opts.longGap, coins: [] };
    rec.coins.push(t.coins[c]!);
    gapMap.set(key, rec);
  }
}

// segments: maximal runs of valid rows that are consecutive hours
function segmentsOf(openTime: Float64Array, bad: Uint8Array): { segment: Int32Array; valid: Uint8Array; segments: SegmentRecord[] } {
  const n = openTime.length;
  const segment = new Int32Array(n);
  const valid = new Uint8Array(n);
  const segments: SegmentRecord[] = [];
  let id = -1;
  for (let i = 0; i < n; i++) {
    if (bad[i]) { segment[i] = -1; continue; }
    valid[i] = 1;
    const continues = i > 0 && !bad[i - 1] && openTime[i]! - openTime[i - 1]! === HOUR_MS;
    if (!continues) { id++; segments.push({ id, start: isoHour(openTime[i]!), end: '', rows: 0 }); }
    segment[i] = id;
    const s = segments[id]!;
    s.rows++; s.end = isoHour(openTime[i]!);
  }
  return { segment, valid, segments };
}

function repairSpikes(t: MarketTable, c: number, start: number, end: number, present: Uint8Array, flags: Uint8Array,
  rep: Record<RepairKind, number>, opts: CleanOptions): void {
  const cl = t.close[c]!;
  for (let i = start + 1; i < end; i++) {
    if (!present[i - 1] || !present[i] || !present[i + 1]) continue;
    const r1 = Math.log(cl[i]! / cl[i - 1]!);
    if (!(Math.abs(r1) > opts.outlierLogReturn)) continue;
    const r2 = Math.log(cl[i + 1]! / cl[i]!);
    if (!(Math.sign(r2) === -Math.sign(r1) && Math.abs(r2) >= opts.outlierRevertFraction * Math.abs(r1))) continue;
    cl[i] = Math.sqrt(cl[i - 1]! * cl[i + 1]!);
    t.high[c]![i] = Math.max(t.high[c]![i]!, t.open[c]![i]!, cl[i]!);
    t.low[c]![i] = Math.min(t.low[c]![i]!, t.open[c]![i]!, cl[i]!);
    rep.outlier_spike++;
    flags[i]! |= FLAG.outlier;
  }
}

function copyTable(t: MarketTable): MarketTable {
  const cp = (a: Float64Array[]) => a.map((x) => x.slice());
  return { coins: [...t.coins], openTime: t.openTime.slice(), open: cp(t.open), high: cp(t.high), low: cp(t.low), close: cp(t.close), volume: cp(t.volume) };
}
