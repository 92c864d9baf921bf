// Hour-of-day seasonality (intraday pattern of crypto volatility and volume, cf. Andersen & Bollerslev 1997):
// multiplicative volatility factors s_h from mean |return| by UTC hour, additive log-volume offsets S_h from mean log volume.
import { HOUR_MS } from '../util/calendar.ts';


/** UTC hour of day (0..23) of each open time (ms since epoch). */
export function hourOfDay(openTime: Float64Array): Uint8Array {
  return Uint8Array.from(openTime, (t) => ((Math.floor(t / HOUR_MS) % 24) + 24) % 24);
}

/** Volatility factors s_h ∝ mean |r - mean| in hour h, scaled so the mean of s_h² is 1 (NaN skipped; flat if an hour has no data). */
export function fitHourVol(r: Float64Array, hour: Uint8Array): number[] {
  let s = 0, n = 0;
  for (let t = 0; t < r.length; t++) if (Number.isFinite(r[t])) { s += r[t]; n++; }
  const mean = s / Math.max(1, n);
  const sum = new Float64Array(24), cnt = new Float64Array(24);
  for (let t = 0; t < r.length; t++) if (Number.isFinite(r[t])) { sum[hour[t]] += Math.abs(r[t] - mean); cnt[hour[t]]++; }
  if (cnt.some((c) => c === 0)) return new Array(24).fill(1);
  const f = Array.from(sum, (x, h) => x / cnt[h]);
  const rms = Math.sqrt(f.reduce((a, x) => a + x * x, 0) / 24);
  return rms > 0 ? f.map((x) => x / rms) : new Array(24).fill(1);
}

/** Log-volume offsets S_h = mean log volume in hour h minus the mean over hours (NaN skipped; flat if an hour has no data). */
export function fitHourLogVolume(logVol: Float64Array, hour: Uint8Array): number[] {
  const sum = new Float64Array(24), cnt = new Float64Array(24);
  for (let t = 0; t < logVol.length; t++) if (Number.isFinite(logVol[t])) { sum[hour[t]] += logVol[t]; cnt[hour[t]]++; }
  if (cnt.some((c) => c === 0)) return new Array(24).fill(0);
  const m = Array.from(sum, (x, h) => x / cnt[h]);
  const avg = m.reduce((a, x) => a + x, 0) / 24;
  return m.map((x) => x - avg);
}
