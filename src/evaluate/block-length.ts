// Data-chosen block length for the block bootstrap: Politis & White (2004), "Automatic block-length selection for the
// dependent bootstrap", with the correction of Patton, Politis & White (2009). The lag up to which autocorrelation
// matters is found from the sample autocorrelations, the spectral quantities are estimated with the flat-top lag
// window, and the MSE-optimal block length follows for the stationary and the circular block bootstrap.

export interface BlockLengths {
  /** expected block length of the stationary bootstrap */
  stationary: number;
  /** block length of the circular (moving) block bootstrap */
  circular: number;
  /** the bandwidth M of the flat-top window (twice the lag where the autocorrelation dies out) */
  bandwidth: number;
}

function flatTop(t: number): number {
  const a = Math.abs(t);
  return a <= 0.5 ? 1 : a <= 1 ? 2 * (1 - a) : 0;
}

/**
 * Optimal block lengths for the mean of x (NaN entries dropped). Between 1 and ceil(min(3 sqrt(n), n / 3)); 1 for a series
 * without autocorrelation or with fewer than 8 values.
 */
export function optimalBlockLength(values: ArrayLike<number>): BlockLengths {
  const x: number[] = [];
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i])) x.push(values[i]);
  const n = x.length;
  if (n < 8) return { stationary: 1, circular: 1, bandwidth: 0 };
  let mean = 0;
  for (const v of x) mean += v;
  mean /= n;
  const d = x.map((v) => v - mean);
  const kn = Math.max(5, Math.ceil(Math.sqrt(Math.log10(n))));
  const mMax = Math.min(n - 1, Math.ceil(Math.sqrt(n)) + kn);
  const bMax = Math.max(1, Math.ceil(Math.min(3 * Math.sqrt(n), n / 3)));
  const acov = new Float64Array(mMax + 1);
  for (let k = 0; k <= mMax; k++) {
    let s = 0;
    for (let t = k; t < n; t++) s += d[t] * d[t - k];
    acov[k] = s / n;
  }
  if (!(acov[0] > 0)) return { stationary: 1, circular: 1, bandwidth: 0 };
  // the first lag m from which kn consecutive autocorrelations are insignificant (as the `arch` package reads the rule)
  const crit = 2 * Math.sqrt(Math.log10(n) / n);
  let mHat = -1;
  for (let m = 1; m + kn - 1 <= mMax; m++) {
    let quiet = true;
    for (let k = 0; k < kn; k++) if (Math.abs(acov[m + k] / acov[0]) >= crit) { quiet = false; break; }
    if (quiet) { mHat = m; break; }
  }
  const M = mHat < 0 ? mMax : Math.min(2 * mHat, mMax); // never dies out within mMax: the widest window
  let g = 0, s0 = acov[0];
  for (let k = 1; k <= M; k++) {
    const w = flatTop(k / M);
    g += 2 * w * k * acov[k];
    s0 += 2 * w * acov[k];
  }
  const dSB = 2 * s0 * s0, dCB = (4 / 3) * s0 * s0;
  const clamp = (b: number) => (Number.isFinite(b) ? Math.min(bMax, Math.max(1, b)) : 1);
  const cube = (v: number) => Math.cbrt(v) * Math.cbrt(n);
  return { stationary: clamp(cube((2 * g * g) / dSB)), circular: clamp(cube((2 * g * g) / dCB)), bandwidth: M };
}
