// GARCH(1,1)-t volatility baseline: an AR(1)-GARCH(1,1) with unit-variance Student-t innovations
// (src/market/garch.ts) fitted on the target's training log returns; for each window, the filter run over every
// return up to the window's last hour gives the mean and variance of each of the next H hourly returns, and the
// probability of each price token is the mass of that return distribution between the token's bin edges.
// Hours beyond the first use the h-step conditional mean and variance with a Student-t of the same dof (the exact
// h-step law is a scale mixture; the t with matched variance is the usual approximation).
import { fitGarch, type GarchParams } from '../market/garch.ts';
import { tCdf } from '../market/special.ts';
import type { Forecast } from './baselines.ts';

export interface GarchBaseline {
  params: GarchParams;
  /** interior bin edges of the target's price token (token i covers [edges[i-1], edges[i])) */
  edges: Float64Array;
  /** number of training returns the fit used */
  n: number;
}

/**
 * Bounds of the forecaster's fit: wider than the market simulator's (persistence <= 0.99, nu >= 5), which are there to
 * keep long simulations tame; a one-step forecaster should follow the data (hourly crypto fits nu 3-4.5, persistence
 * above 0.99).
 */
export const BASELINE_MAX_PERSISTENCE = 0.9999;
export const BASELINE_MIN_NU = 2.1;

/** Fits AR(1)-GARCH(1,1)-t to `trainReturns` (NaN = missing or outside the training split). */
export function fitGarchBaseline(trainReturns: Float64Array, edges: Float64Array): GarchBaseline {
  const fit = fitGarch(trainReturns, undefined, { maxPersistence: BASELINE_MAX_PERSISTENCE, minNu: BASELINE_MIN_NU });
  const { mu, phi, omega, alpha, gamma, beta, nu } = fit;
  return { params: { mu, phi, omega, alpha, gamma, beta, nu }, edges: Float64Array.from(edges), n: fit.n };
}

/**
 * One-step-ahead filter over the whole series: after row t, the conditional variance of r_{t+1} (s2Next[t]) and the
 * AR lag r_t - mu (lag[t], 0 after a missing hour). Causal: row t's values use returns up to t only.
 */
export function garchOneStep(p: GarchParams, returns: Float64Array): { s2Next: Float64Array; lag: Float64Array } {
  const persistence = p.alpha + p.beta + p.gamma;
  const uncond = p.omega / Math.max(1e-12, 1 - persistence);
  const n = returns.length, s2Next = new Float64Array(n), lag = new Float64Array(n);
  let s2 = uncond, prev = 0;
  for (let t = 0; t < n; t++) {
    const x = returns[t];
    if (x !== x) { s2 = p.omega + persistence * s2; prev = 0; }
    else {
      const e = x - p.mu - p.phi * prev;
      s2 = p.omega + p.alpha * e * e + (p.beta + p.gamma) * s2;
      prev = x - p.mu;
    }
    s2Next[t] = s2;
    lag[t] = prev;
  }
  return { s2Next, lag };
}

/** Probability of each bin [edges[j-1], edges[j]) under mean m, std s and unit-variance Student-t(nu) noise. */
export function binProbabilities(m: number, s: number, nu: number, edges: Float64Array, out: Float64Array): Float64Array {
  const scale = s * Math.sqrt((nu - 2) / nu); // std of t(nu) is sqrt(nu / (nu - 2))
  let prev = 0;
  for (let j = 0; j < edges.length; j++) {
    const c = tCdf((edges[j] - m) / scale, nu);
    out[j] = Math.max(0, c - prev);
    prev = c;
  }
  out[edges.length] = Math.max(0, 1 - prev);
  let z = 0;
  for (let j = 0; j <= edges.length; j++) { out[j] = Math.max(out[j], 1e-12); z += out[j]; }
  for (let j = 0; j <= edges.length; j++) out[j] /= z;
  return out;
}

/**
 * Forecasts H hours for windows whose last observed hour is row `lastRows[i]` of `returns` (the target's hourly log
 * returns over all rows, NaN where missing): probs (N, H, V) with V = edges.length + 1, pred their argmax.
 */
export function garchForecast(m: GarchBaseline, returns: Float64Array, lastRows: ArrayLike<number>, H: number): Forecast {
  const p = m.params, V = m.edges.length + 1, N = lastRows.length;
  const persistence = p.alpha + p.beta + p.gamma;
  const uncond = p.omega / Math.max(1e-12, 1 - persistence);
  const { s2Next, lag } = garchOneStep(p, returns);
  const probs = new Float64Array(N * H * V), pred = new Uint8Array(N * H), tmp = new Float64Array(V);
  const ev = new Float64Array(H); // E[sigma^2_{t+k}], k = 1..H
  for (let i = 0; i < N; i++) {
    const t = lastRows[i];
    if (!(t >= 0 && t < returns.length)) throw new RangeError(`garch baseline: window ${i} ends at row ${t}, outside the ${returns.length} return rows`);
    for (let k = 0; k < H; k++) ev[k] = uncond + persistence ** k * (s2Next[t] - uncond);
    let phik = 1;
    for (let h = 0; h < H; h++) {
      phik *= p.phi; // phi^(h+1)
      const mean = p.mu + phik * lag[t];
      // r_{t+h+1} - E = sum_{j=0..h} phi^j e_{t+h+1-j}
      let v = 0, pj = 1;
      for (let j = 0; j <= h; j++) { v += pj * ev[h - j]; pj *= p.phi * p.phi; }
      binProbabilities(mean, Math.sqrt(v), p.nu, m.edges, tmp);
      let best = 0;
      for (let j = 0; j < V; j++) { probs[(i * H + h) * V + j] = tmp[j]; if (tmp[j] > tmp[best]) best = j; }
      pred[i * H + h] = best;
    }
  }
  return { pred, probs };
}
