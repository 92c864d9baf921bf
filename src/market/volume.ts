// Log-volume dynamics: v_t = c + a v_{t-1} + b |z_t| + sigma (w_t - theta w_{t-1}), an ARMA(1,1) with a loading on
// the hour's |standardised return| (volume-volatility relation, Clark 1973 / Tauchen & Pitts 1983), fit by conditional
// least squares: for fixed theta the model is linear in (c, a, b) after filtering by 1/(1 - theta L); theta by golden section.
import { leastSquares } from './linalg.ts';
import { goldenSection } from './optimize.ts';

export interface VolumeFit {
  volC: number;
  volA: number;
  volB: number;
  volSigma: number;
  volTheta: number;
  /** standardised residuals w_t (NaN where the hour was not used) */
  resid: Float64Array;
  n: number;
}

/** Natural log of volume; NaN for missing, zero or negative volume (halt placeholders). */
export function logVolume(volume: Float64Array): Float64Array {
  return volume.map((v) => (v > 0 ? Math.log(v) : NaN));
}

// regressors and target filtered by 1/(1 - theta L); the filter restarts after a skipped hour
function filtered(logVol: Float64Array, z: Float64Array, theta: number) {
  const rows: number[][] = [], y: number[] = [], used: number[] = [];
  let f = [0, 0, 0], fy = 0, lastT = -2;
  for (let t = 1; t < logVol.length; t++) {
    if (!(Number.isFinite(logVol[t]) && Number.isFinite(logVol[t - 1]) && Number.isFinite(z[t]))) continue;
    if (lastT !== t - 1) { f = [0, 0, 0]; fy = 0; }
    f = [1 + theta * f[0], logVol[t - 1] + theta * f[1], Math.abs(z[t]) + theta * f[2]];
    fy = logVol[t] + theta * fy;
    rows.push(f); y.push(fy); used.push(t);
    lastT = t;
  }
  return { rows, y, used };
}

/** Conditional least-squares fit of the log-volume equation; hours with a missing v_t, v_{t-1} or z_t are skipped. */
export function fitVolume(logVol: Float64Array, z: Float64Array): VolumeFit {
  const probe = filtered(logVol, z, 0);
  if (probe.y.length < 50) throw new Error(`fitVolume: need at least 50 usable hours, got ${probe.y.length}`);
  const sse = (theta: number) => { const f = filtered(logVol, z, theta); return leastSquares(f.rows, f.y).residStd; };
  const theta = goldenSection(sse, 0, 0.95, 1e-3);
  const { rows, y, used } = filtered(logVol, z, theta);
  const { coef, residStd } = leastSquares(rows, y);
  const resid = new Float64Array(logVol.length).fill(NaN);
  for (let i = 0; i < used.length; i++) {
    const r = rows[i];
    resid[used[i]] = (y[i] - coef[0] * r[0] - coef[1] * r[1] - coef[2] * r[2]) / residStd;
  }
  return { volC: coef[0], volA: coef[1], volB: coef[2], volSigma: residStd, volTheta: theta, resid, n: y.length };
}
