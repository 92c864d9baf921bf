// The `synthetic` candle source: a seeded multi-coin market, the offline demo. Interim generator until src/market lands:
// one-factor correlated Student-t shocks, GARCH(1,1) volatility per coin (Bollerslev 1986), log volume AR(1) driven by |return|.
import { HOUR_MS, allocCandles, type CoinCandles } from './candles.ts';
import { Rng } from '../util/rng.ts';

export interface SyntheticOptions {
  coins: string[];
  /** first and last hour (ms since epoch, UTC, inclusive; floored to the hour) */
  start: number;
  end: number;
  seed: number;
}

// rough 2020 starting prices so plots and bins look familiar; unknown coins start at 1
const START_PRICE: Record<string, number> = {
  BTC: 7200, ETH: 130, BNB: 14, XRP: 0.19, SOL: 3, DOGE: 0.002, ADA: 0.033, AVAX: 5, DOT: 3, LTC: 41,
};
const START_VOLUME: Record<string, number> = {
  BTC: 2300, ETH: 20000, BNB: 60000, XRP: 1.2e7, SOL: 4e5, DOGE: 2.9e7, ADA: 1e7, AVAX: 2e5, DOT: 2e5, LTC: 3e4,
};

/** Seeded hourly candles for every coin over [start, end], full coverage (no gaps); same seed, same candles. */
export function loadSynthetic(opts: SyntheticOptions): CoinCandles[] {
  const start = Math.ceil(opts.start / HOUR_MS) * HOUR_MS;
  const end = Math.floor(opts.end / HOUR_MS) * HOUR_MS;
  const hours = Math.max(0, (end - start) / HOUR_MS + 1);
  const d = opts.coins.length;
  const rng = new Rng(opts.seed);
  const out = opts.coins.map((coin) => {
    const c = allocCandles(coin, hours);
    c.source = `synthetic(seed=${opts.seed})`;
    return c;
  });
  // GARCH(1,1): s2' = omega + alpha e^2 + beta s2, unconditional hourly std ~ 0.8 % (BTC) .. 1.3 % (alts)
  const alpha = 0.06, beta = 0.92, nu = 5;
  const tScale = Math.sqrt((nu - 2) / nu); // unit-variance Student t
  const base = opts.coins.map((c) => (c === 'BTC' ? 0.008 : c === 'ETH' ? 0.01 : 0.013));
  const omega = base.map((s) => s * s * (1 - alpha - beta));
  const s2 = base.map((s) => s * s);
  const rho = 0.6; // share of variance from the common market factor (crypto hourly returns correlate ~0.6-0.8)
  const price = opts.coins.map((c) => START_PRICE[c] ?? 1);
  const logVol = opts.coins.map((c) => Math.log(START_VOLUME[c] ?? 1e5));
  const logVol0 = [...logVol];
  const z = new Float64Array(d);
  for (let h = 0; h < hours; h++) {
    const f = rng.studentT(nu) * tScale;
    for (let i = 0; i < d; i++) z[i] = Math.sqrt(rho) * f + Math.sqrt(1 - rho) * rng.studentT(nu) * tScale;
    for (let i = 0; i < d; i++) {
      const c = out[i];
      const sd = Math.sqrt(s2[i]);
      const r = Math.max(-0.5, Math.min(0.5, sd * z[i] - 0.5 * s2[i]));
      const open = price[i];
      const close = open * Math.exp(r);
      // intra-hour extremes: beyond the body by a half-normal of the hour's std
      const high = Math.max(open, close) * Math.exp(Math.abs(rng.normal()) * sd * 0.5);
      const low = Math.min(open, close) * Math.exp(-Math.abs(rng.normal()) * sd * 0.5);
      logVol[i] = logVol0[i] + 0.9 * (logVol[i] - logVol0[i]) + 8 * (Math.abs(r) - 0.8 * base[i]) + 0.3 * rng.normal();
      c.openTime[h] = start + h * HOUR_MS;
      c.open[h] = open; c.high[h] = high; c.low[h] = low; c.close[h] = close; c.volume[h] = Math.exp(logVol[i]);
      price[i] = close;
      s2[i] = omega[i] + alpha * r * r + beta * s2[i];
    }
  }
  return out;
}
