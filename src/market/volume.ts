// Log-volume dynamics: v_t = c + a v_{t-1} + b |z_t| + sigma w_t, an AR(1) with a loading on the hour's
// |standardised return| (volume-volatility relation, Clark 1973 / Tauchen & Pitts 1983), fit by least squares.
import { leastSquares } from './linalg.ts';

export interface VolumeFit {
  volC: number;
  volA: number;
  volB: number;
  volSigma: number;
  /** standardised residuals w_t (NaN where the hour was not used) */
  resid: Float64Array;
  n: number;
}

/** Natural log of volume; NaN for missing, zero or negative volume (halt placeholders). */
export function logVolume(volume: Float64Array): Float64Array {
  return volume.map((v) => (v > 0 ? Math.log(v) : NaN));
}

/** Least-squares fit of the log-volume equation; hours with a missing v_t, v_{t-1} or z_t are skipped. */
export function fitVolume(logVol: Float64Array, z: Float64Array): VolumeFit {
  const rows: number[][] = [], y: number[] = [], used: number[] = [];
  for (let t = 1; t < logVol.length; t++) {
    if (Number.isFinite(logVol[t]) && Number.isFinite(logVol[t - 1]) && Number.isFinite(z[t])) {
      rows.push([1, logVol[t - 1], Math.abs(z[t])]);
      y.push(logVol[t]);
      used.push(t);
    }
  }
  if (y.length < 50) throw new Error(`fitVolume: need at least 50 usable hours, got ${y.length}`);
  const { coef, residStd } = leastSquares(rows, y);
  const resid = new Float64Array(logVol.length).fill(NaN);
  for (let i = 0; i < used.length; i++) {
    const r = rows[i];
    resid[used[i]] = (y[i] - coef[0] - coef[1] * r[1] - coef[2] * r[2]) / residStd;
  }
  return { volC: coef[0], volA: coef[1], volB: coef[2], volSigma: residStd, resid, n: y.length };
}
