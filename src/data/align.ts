// Puts candles of several coins on one UTC hourly grid (MarketTable; NaN where a coin lacks the hour) and converts
// between that table and the wide Parquet layout `open_time, <COIN>_<field>...` (step 1 output, step 2 input: docs/architecture.md#steps).
import { HOUR_MS, OHLCV_FIELDS, wideColumn, type CoinCandles, type MarketTable } from './candles.ts';
import type { Columns } from './parquet.ts';
import { UserError } from '../util/errors.ts';

function iso(ms: number): string {
  return Number.isFinite(ms) ? new Date(ms).toISOString() : String(ms);
}

function checkHours(times: ArrayLike<number>, source: string): void {
  for (let i = 0; i < times.length; i++) {
    const t = times[i]!;
    if (!Number.isFinite(t) || t % HOUR_MS !== 0) throw new UserError(`${source}: row ${i}: open_time ${iso(t)} is not on the hour (UTC)`);
    if (i > 0 && !(t > times[i - 1]!)) {
      const what = t === times[i - 1] ? 'a duplicate of the row before' : 'earlier than the row before';
      throw new UserError(`${source}: row ${i}: open_time ${iso(t)} is ${what}; rows must be sorted by time without duplicates`);
    }
  }
}

function emptyTable(coins: string[], start: number, rows: number): MarketTable {
  const col = () => coins.map(() => new Float64Array(rows).fill(NaN));
  return {
    coins: [...coins],
    openTime: Float64Array.from({ length: rows }, (_, i) => start + i * HOUR_MS),
    open: col(), high: col(), low: col(), close: col(), volume: col(),
  };
}

/** Aligns per-coin candles on one hourly grid from the earliest to the latest hour of any coin; NaN where a coin lacks the hour. */
export function alignCoins(series: CoinCandles[]): MarketTable {
  if (series.length === 0) throw new UserError('alignCoins: no coins given');
  let start = Infinity, end = -Infinity;
  for (const s of series) {
    checkHours(s.openTime, s.source ?? s.coin);
    if (s.openTime.length === 0) continue;
    start = Math.min(start, s.openTime[0]!);
    end = Math.max(end, s.openTime[s.openTime.length - 1]!);
  }
  if (!Number.isFinite(start)) throw new UserError(`alignCoins: no candles in ${series.map((s) => s.coin).join(', ')}`);
  const table = emptyTable(series.map((s) => s.coin), start, (end - start) / HOUR_MS + 1);
  series.forEach((s, c) => {
    for (let i = 0; i < s.openTime.length; i++) {
      const r = (s.openTime[i]! - start) / HOUR_MS;
      for (const f of OHLCV_FIELDS) table[f][c]![r] = s[f][i]!;
    }
  });
  return table;
}

/** Spreads a wide table whose rows may skip hours onto the full hourly grid (NaN rows for the skipped hours). */
export function regridTable(table: MarketTable, source = 'table'): MarketTable {
  const n = table.openTime.length;
  if (n === 0) throw new UserError(`${source}: no rows`);
  checkHours(table.openTime, source);
  const start = table.openTime[0]!;
  const rows = (table.openTime[n - 1]! - start) / HOUR_MS + 1;
  if (rows === n) return table;
  const out = emptyTable(table.coins, start, rows);
  for (let i = 0; i < n; i++) {
    const r = (table.openTime[i]! - start) / HOUR_MS;
    for (const f of OHLCV_FIELDS) for (let c = 0; c < table.coins.length; c++) out[f][c]![r] = table[f][c]![i]!;
  }
  return out;
}

/** Builds a MarketTable for `coins` from wide columns (`open_time`, `<COIN>_<field>`); a missing column is an error naming it. */
export function tableFromColumns(cols: Columns, coins: string[], source = 'table'): MarketTable {
  const get = (name: string): Float64Array => {
    const c = cols[name];
    if (!c) throw new UserError(`${source}: no column "${name}" (coins: ${coins.join(', ')})`);
    if (c instanceof Float64Array) return c;
    if (Array.isArray(c)) throw new UserError(`${source}: column "${name}" holds text; expected numbers`);
    return Float64Array.from(c as ArrayLike<number | bigint>, Number);
  };
  const col = (f: (typeof OHLCV_FIELDS)[number]) => coins.map((coin) => get(wideColumn(coin, f)));
  return { coins: [...coins], openTime: get('open_time'), open: col('open'), high: col('high'), low: col('low'), close: col('close'), volume: col('volume') };
}

/** The wide Parquet layout of a MarketTable: `open_time` then `<COIN>_open .. <COIN>_volume` per coin. */
export function tableToColumns(table: MarketTable): Columns {
  const out: Columns = { open_time: table.openTime };
  table.coins.forEach((coin, c) => {
    for (const f of OHLCV_FIELDS) out[wideColumn(coin, f)] = table[f][c]!;
  });
  return out;
}

/** Keeps the rows where keep[i] is 1 (all coins), in order. */
export function selectRows(table: MarketTable, keep: Uint8Array): MarketTable {
  let n = 0;
  for (let i = 0; i < keep.length; i++) n += keep[i]! ? 1 : 0;
  const pick = (a: Float64Array) => {
    const o = new Float64Array(n);
    for (let i = 0, j = 0; i < keep.length; i++) if (keep[i]) o[j++] = a[i]!;
    return o;
  };
  return {
    coins: [...table.coins], openTime: pick(table.openTime),
    open: table.open.map(pick), high: table.high.map(pick), low: table.low.map(pick), close: table.close.map(pick), volume: table.volume.map(pick),
  };
}

/** Runs of consecutive set entries: [start, length] pairs (e.g. the missing hours of one coin). */
export function runsOf(flags: Uint8Array): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let i = 0; i < flags.length; i++) {
    if (!flags[i]) continue;
    let j = i;
    while (j + 1 < flags.length && flags[j + 1]) j++;
    out.push([i, j - i + 1]);
    i = j;
  }
  return out;
}

export { iso as isoHour };
