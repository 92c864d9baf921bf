// Column types for hourly OHLCV candles: one coin's series, and many coins aligned on one UTC hourly grid.

export { HOUR_MS } from '../util/calendar.ts';

/** One coin's candles, sorted by open time (ms since epoch, UTC), one row per hour present in the source. */
export interface CoinCandles {
  coin: string;          // e.g. "BTC" (without the quote asset)
  openTime: Float64Array; // ms since epoch, on the hour
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;   // base-asset volume
  source?: string;        // file or URL the rows came from, for error messages
}

/** The wide table: every coin on one hourly grid; NaN where a coin has no candle that hour. */
export interface MarketTable {
  coins: string[];
  openTime: Float64Array;                 // the grid, ms, strictly increasing by HOUR_MS
  open: Float64Array[];                   // [coin][hour]
  high: Float64Array[];
  low: Float64Array[];
  close: Float64Array[];
  volume: Float64Array[];
}

export const OHLCV_FIELDS = ['open', 'high', 'low', 'close', 'volume'] as const;
export type OhlcvField = (typeof OHLCV_FIELDS)[number];

/** Column name of a coin's field in the wide Parquet table, e.g. "BTC_close". */
export function wideColumn(coin: string, field: OhlcvField): string {
  return `${coin}_${field}`;
}

/** Makes an empty CoinCandles of n rows. */
export function allocCandles(coin: string, n: number): CoinCandles {
  return {
    coin,
    openTime: new Float64Array(n), open: new Float64Array(n), high: new Float64Array(n),
    low: new Float64Array(n), close: new Float64Array(n), volume: new Float64Array(n),
  };
}
