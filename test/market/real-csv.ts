// Small local reader of real candle folders (<COIN>USDT-1h.csv) for market tests and benches:
// parses `open_time,open,high,low,close,volume` and aligns all coins on one hourly grid (NaN = missing hour).
import { readFileSync } from 'node:fs';

export const DEFAULT_COINS = ['BTC', 'ETH', 'BNB', 'XRP', 'SOL', 'DOGE', 'ADA', 'AVAX', 'DOT', 'LTC'];

export interface RealMarket {
  coins: string[];
  openTime: Float64Array;
  open: Float64Array[]; high: Float64Array[]; low: Float64Array[]; close: Float64Array[]; volume: Float64Array[];
}

/** Loads coins in [fromIso, toIso) aligned on the hourly grid. */
export function loadReal(dir: string, coins: string[], fromIso: string, toIso: string): RealMarket {
  const t0 = Date.parse(fromIso), t1 = Date.parse(toIso), H = 3_600_000;
  const n = Math.round((t1 - t0) / H);
  const mk = () => coins.map(() => new Float64Array(n).fill(NaN));
  const out: RealMarket = { coins, openTime: Float64Array.from({ length: n }, (_, i) => t0 + i * H), open: mk(), high: mk(), low: mk(), close: mk(), volume: mk() };
  coins.forEach((coin, c) => {
    const lines = readFileSync(`${dir}/${coin}USDT-1h.csv`, 'utf8').split('\n');
    for (let k = 1; k < lines.length; k++) {
      const f = lines[k].split(',');
      if (f.length < 6) continue;
      const i = Math.round((Date.parse(f[0]) - t0) / H);
      if (i < 0 || i >= n) continue;
      out.open[c][i] = +f[1]; out.high[c][i] = +f[2]; out.low[c][i] = +f[3]; out.close[c][i] = +f[4]; out.volume[c][i] = +f[5];
    }
  });
  return out;
}
