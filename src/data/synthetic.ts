// The `synthetic` candle source: the seeded multi-coin market of src/market (AR(1)-GARCH-X-t marginals, t-copula,
// log-volume AR(1)) with its default parameters fitted to real 2020-2022 candles; the offline demo.
import { HOUR_MS, type CoinCandles } from './candles.ts';
import { simulateMarket } from '../market/simulate.ts';
import { defaultMarketParams } from '../market/defaults.ts';

export interface SyntheticOptions {
  coins: string[];
  /** first and last hour (ms since epoch, UTC, inclusive; rounded inwards to whole hours) */
  start: number;
  end: number;
  seed: number;
}

/** Seeded hourly candles for every coin over [start, end], full coverage (no gaps); same seed, same candles. */
export function loadSynthetic(opts: SyntheticOptions): CoinCandles[] {
  const start = Math.ceil(opts.start / HOUR_MS) * HOUR_MS;
  const end = Math.floor(opts.end / HOUR_MS) * HOUR_MS;
  const hours = Math.max(0, (end - start) / HOUR_MS + 1);
  const m = simulateMarket(defaultMarketParams(opts.coins), { hours, seed: opts.seed, startHour: new Date(start).getUTCHours() });
  const openTime = Float64Array.from({ length: hours }, (_, h) => start + h * HOUR_MS);
  return opts.coins.map((coin, i) => ({
    coin, openTime: i === 0 ? openTime : openTime.slice(), open: m.open[i], high: m.high[i], low: m.low[i], close: m.close[i], volume: m.volume[i],
    source: `synthetic(seed=${opts.seed})`,
  }));
}
