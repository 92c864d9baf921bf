// Per-coin AR(1)-GARCH(1,1)-X with unit-variance Student-t innovations (Bollerslev 1986, 1987; the X term is a
// market-news regressor M_t = mean_j z_{j,t}², GARCH-X as in Engle 2002 / Han & Kristensen 2014), fit by maximum
// likelihood (variance targeting) with Nelder-Mead on unconstrained transforms; NaN returns (missing hours) are skipped.
import { lgamma } from './special.ts';
import { nelderMead } from './optimize.ts';
import type { ReturnParams } from './params.ts';

/** Fitted return parameters (gamma is 0 without a market series) and the fit's log-likelihood. */
export interface GarchFit extends ReturnParams {
  logLik: number;
  n: number;
  evals: number;
}

interface Moments { mean: number; variance: number; acf1: number; n: number }

function moments(r: Float64Array): Moments {
  let n = 0, s = 0;
  for (let i = 0; i < r.length; i++) if (Number.isFinite(r[i])) { n++; s += r[i]; }
  const mean = s / Math.max(1, n);
  let ss = 0, sxy = 0;
  for (let i = 0; i < r.length; i++) {
    if (!Number.isFinite(r[i])) continue;
    ss += (r[i] - mean) ** 2;
    if (i > 0 && Number.isFinite(r[i - 1])) sxy += (r[i] - mean) * (r[i - 1] - mean);
  }
  return { mean, variance: ss / Math.max(1, n - 1), acf1: ss > 0 ? sxy / ss : 0, n };
}

/** Parameters of one coin's return equation (a subset of CoinParams). */
export interface GarchParams { mu: number; phi: number; omega: number; alpha: number; gamma: number; beta: number; nu: number }

/**
 * Negative log-likelihood of AR(1)-GARCH(1,1)-X-t: sigma²_{t+1} = omega + alpha e_t² + (beta + gamma M_t) sigma²_t.
 * Missing returns advance the variance by its expectation and reset the AR lag (no return across a gap);
 * a missing M_t counts as its mean 1.
 */
export function garchNegLogLik(r: Float64Array, p: GarchParams, sigma2Init: number, market?: Float64Array): number {
  const { mu, phi, omega, alpha, gamma, beta, nu } = p;
  const c = lgamma((nu + 1) / 2) - lgamma(nu / 2) - 0.5 * Math.log(Math.PI * (nu - 2));
  const k = (nu + 1) / 2, inv = 1 / (nu - 2);
  let s2 = sigma2Init, prev = 0, ll = 0, n = 0;
  for (let t = 0; t < r.length; t++) {
    const x = r[t];
    let mt = market ? market[t] : 1;
    if (mt !== mt) mt = 1;
    if (x !== x) { s2 = omega + (alpha + beta + gamma) * s2; prev = 0; continue; }
    const e = x - mu - phi * prev;
    ll -= 0.5 * Math.log(s2) + k * Math.log1p((e * e * inv) / s2);
    n++;
    s2 = omega + alpha * e * e + (beta + gamma * mt) * s2;
    prev = x - mu;
  }
  return -(ll + n * c);
}

/**
 * Upper bound of the fitted persistence alpha + gamma + beta. Unconstrained, hourly crypto returns fit at
 * 0.995-0.9994 with nu 3.4-4.5; simulated, that gives rare volatility explosions (BTC's conditional std at 12-22 %/h,
 * excess kurtosis 63-445 vs 11-95 real, |r| ACF at lag 24 too high). Capping it at 0.99 (volatility half-life ≈ 69 h)
 * keeps the simulated tails and the long-lag clustering near the real ones (docs/pretraining.md).
 */
export const MAX_PERSISTENCE = 0.99;

/**
 * Lower bound of the fitted Student-t dof. Unconstrained, the real coins fit at nu 3.3-4.5 (infinite kurtosis below 4);
 * on top of GARCH that made the simulated excess kurtosis 30-360 vs 11-95 real even with persistence capped. With
 * nu >= 5 it came out 20-200 depending on the seed (measured: floors 2.05 / 4.5 / 5 / 5.5, docs/pretraining.md).
 */
export const MIN_NU = 5;

// unconstrained θ → parameters, with variance targeting (Engle & Mezrich 1996): omega = Var(eps) (1 - alpha - beta),
// so the simulated unconditional variance equals the sample's; persistence stays below MAX_PERSISTENCE
interface Bounds { maxPersistence: number; minNu: number }
const SIMULATION_BOUNDS: Bounds = { maxPersistence: MAX_PERSISTENCE, minNu: MIN_NU };

function decode(th: Float64Array, m: Moments, b: Bounds = SIMULATION_BOUNDS): GarchParams {
  const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
  const sd = Math.sqrt(m.variance);
  const mu = m.mean + 0.02 * sd * th[0];
  const phi = 0.95 * Math.tanh(th[1]);
  const p = b.maxPersistence * sigmoid(th[2]);
  const news = p * sigmoid(th[3]);
  const g = th.length > 5 ? sigmoid(th[5]) : 0; // share of the news coming from the market
  const nu = b.minNu + Math.exp(th[4]);
  const omega = m.variance * (1 - phi * phi) * (1 - p);
  return { mu, phi, omega, alpha: news * (1 - g), gamma: news * g, beta: p - news, nu };
}

function logit(p: number): number { return Math.log(p / (1 - p)); }

// inverse of decode (without the market share, which the caller appends)
function encode(p: GarchParams, m: Moments, b: Bounds = SIMULATION_BOUNDS): number[] {
  const persistence = p.alpha + p.gamma + p.beta, news = p.alpha + p.gamma;
  const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));
  return [
    (p.mu - m.mean) / (0.02 * Math.sqrt(m.variance)), Math.atanh(clamp(p.phi / 0.95, -0.999, 0.999)),
    logit(clamp(persistence / b.maxPersistence, 1e-6, 1 - 1e-6)), logit(clamp(news / persistence, 1e-6, 1 - 1e-6)), Math.log(Math.max(1e-3, p.nu - b.minNu)),
  ];
}

export interface GarchFitOptions {
  /** starting point (e.g. a fit without the market term) */
  init?: GarchParams;
  /** Nelder-Mead f-spread tolerance @default 1e-10 */
  ftol?: number;
  /** simplex restarts after convergence @default 2 */
  restarts?: number;
  /** upper bound of alpha + gamma + beta @default MAX_PERSISTENCE (the simulator's cap; a forecaster may want ~0.9999) */
  maxPersistence?: number;
  /** lower bound of the Student-t dof @default MIN_NU (the simulator's floor; a forecaster may want ~2.1) */
  minNu?: number;
}

/**
 * Fits AR(1)-GARCH(1,1)-t to one coin's hourly log returns (NaN = missing); with `market` (M_t, mean 1) also the
 * market-news loading gamma. Needs ≥ 200 finite returns.
 */
export function fitGarch(r: Float64Array, market?: Float64Array, opts: GarchFitOptions = {}): GarchFit {
  const m = moments(r);
  if (m.n < 200 || !(m.variance > 0)) throw new Error(`fitGarch: need at least 200 finite, varying returns (got ${m.n})`);
  const s2init = m.variance;
  const b: Bounds = { maxPersistence: opts.maxPersistence ?? MAX_PERSISTENCE, minNu: opts.minNu ?? MIN_NU };
  const nll = (th: Float64Array): number => garchNegLogLik(r, decode(th, m, b), s2init, market);
  const th0 = opts.init ? encode(opts.init, m, b) : [0, Math.atanh(Math.max(-0.9, Math.min(0.9, m.acf1 / 0.95))), logit(0.97), logit(0.08 / 0.97), Math.log(Math.max(0.5, 4 - b.minNu))];
  if (market) th0.push(opts.init && opts.init.gamma > 0 ? logit(opts.init.gamma / (opts.init.alpha + opts.init.gamma)) : 0);
  const res = nelderMead(nll, th0, { step: opts.init ? 0.2 : 0.4, ftol: opts.ftol ?? 1e-10, maxEvals: 2500, restarts: opts.restarts ?? 2 });
  return { ...decode(res.x, m, b), logLik: -res.f, n: m.n, evals: res.evals };
}

/** Runs the fitted filter over r: standardised residuals z_t and conditional std sigma_t (NaN where r is NaN). */
export function garchFilter(r: Float64Array, p: GarchParams, market?: Float64Array): { z: Float64Array; sigma: Float64Array } {
  const persistence = p.alpha + p.beta + p.gamma;
  let s2 = moments(r).variance; // same start as the likelihood
  let prev = 0;
  const z = new Float64Array(r.length), sigma = new Float64Array(r.length);
  for (let t = 0; t < r.length; t++) {
    const x = r[t];
    if (x !== x) { z[t] = NaN; sigma[t] = NaN; s2 = p.omega + persistence * s2; prev = 0; continue; }
    let mt = market ? market[t] : 1;
    if (mt !== mt) mt = 1;
    const e = x - p.mu - p.phi * prev;
    sigma[t] = Math.sqrt(s2);
    z[t] = e / sigma[t];
    s2 = p.omega + p.alpha * e * e + (p.beta + p.gamma * mt) * s2;
    prev = x - p.mu;
  }
  return { z, sigma };
}

/** Hourly log returns of a close series: r_t = ln(c_t / c_{t-1}); NaN when either close is missing or ≤ 0. */
export function logReturns(close: Float64Array): Float64Array {
  const r = new Float64Array(close.length);
  r[0] = NaN;
  for (let t = 1; t < close.length; t++) {
    const a = close[t - 1], b = close[t];
    r[t] = a > 0 && b > 0 ? Math.log(b / a) : NaN;
  }
  return r;
}

/** Market news M_t = mean over coins with a finite z of z_{j,t}² (NaN when no coin has one). */
export function marketNews(zs: Float64Array[]): Float64Array {
  const n = zs[0]?.length ?? 0, out = new Float64Array(n);
  for (let t = 0; t < n; t++) {
    let s = 0, k = 0;
    for (const z of zs) if (z[t] === z[t]) { s += z[t] * z[t]; k++; }
    out[t] = k > 0 ? s / k : NaN;
  }
  return out;
}
