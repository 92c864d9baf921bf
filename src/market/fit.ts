// fitMarket: the whole market model from aligned hourly close/volume series (training split only): hour-of-day
// seasonality (season.ts), per-coin AR(1)-GARCH(1,1)-X-t (garch.ts, two passes for the market-news term),
// ARMA(1,1) log volume (volume.ts), t-copula and volume-shock correlation, then a median-|r| scale calibration.
import type { CoinParams, MarketParams } from './params.ts';
import { fitGarch, garchFilter, logReturns, marketNews } from './garch.ts';
import { fitVolume, logVolume } from './volume.ts';
import { fitHourLogVolume, fitHourVol, hourOfDay } from './season.ts';
import { fitTCopula } from './copula.ts';
import { correlationOfColumns, repairCorrelation } from './linalg.ts';
import { MarketStream } from './simulate.ts';

/** Aligned hourly series of several coins; NaN marks a missing hour. */
export interface MarketFitInput {
  coins: string[];
  close: Float64Array[];
  volume: Float64Array[];
  /** open time of each row (ms, UTC); enables the hour-of-day seasonality. Without it the fit has none. */
  openTime?: Float64Array;
}

export interface FitOptions {
  /** match the simulated median |return| to the real one by rescaling omega @default true */
  calibrateScale?: boolean;
  /** simulated hours used for that calibration @default 400000 */
  calibrationHours?: number;
}

/** Rows where every column is finite, as dense columns. */
export function completeRows(cols: Float64Array[]): Float64Array[] {
  const n = cols[0]?.length ?? 0;
  const keep: number[] = [];
  for (let t = 0; t < n; t++) if (cols.every((c) => Number.isFinite(c[t]))) keep.push(t);
  return cols.map((c) => Float64Array.from(keep, (t) => c[t]));
}

/** Fits the market model; returns JSON-serialisable parameters. Throws when a coin has too few data. */
export function fitMarket(data: MarketFitInput, opts: FitOptions = {}): MarketParams {
  const { coins } = data;
  if (coins.length === 0 || data.close.length !== coins.length || data.volume.length !== coins.length) {
    throw new Error('fitMarket: need one close and one volume series per coin');
  }
  // pass 1: each coin alone; pass 2: with the market news M_t built from the pass-1 residuals
  const returns = data.close.map(logReturns);
  const logVols = data.volume.map(logVolume);
  // hour-of-day seasonality first: the dynamics are fitted to deseasonalised returns r/s_h and log volume v - S_h
  const hour = data.openTime ? hourOfDay(data.openTime) : undefined;
  const hourVol = returns.map((r) => (hour ? fitHourVol(r, hour) : undefined));
  const hourLogVolume = logVols.map((v) => (hour ? fitHourLogVolume(v, hour) : undefined));
  const rt = returns.map((r, i) => (hour ? r.map((x, t) => x / hourVol[i]![hour[t]]) : r));
  const ut = logVols.map((v, i) => (hour ? v.map((x, t) => x - hourLogVolume[i]![hour[t]]) : v));
  const named = <T>(i: number, f: () => T): T => {
    try { return f(); } catch (e) { throw new Error(`fitMarket: coin ${coins[i]}: ${(e as Error).message}`); }
  };
  const pass1 = rt.map((r, i) => named(i, () => fitGarch(r, undefined, { ftol: 1e-7, restarts: 0 }))); // only feeds M_t and the start of pass 2
  const news = coins.length > 1 ? marketNews(rt.map((r, i) => garchFilter(r, pass1[i]).z)) : undefined;
  const zs: Float64Array[] = [], ws: Float64Array[] = [];
  const coinParams: CoinParams[] = coins.map((coin, i) => {
    const r = rt[i];
    const g = named(i, () => fitGarch(r, news, { init: pass1[i] }));
    const { z } = garchFilter(r, g, news);
    const v = named(i, () => fitVolume(ut[i], z));
    zs.push(z);
    ws.push(v.resid);
    const startPrice = data.close[i].find((c) => c > 0) ?? 1;
    return {
      coin, mu: g.mu, phi: g.phi, omega: g.omega, alpha: g.alpha, gamma: g.gamma, beta: g.beta, nu: g.nu,
      volC: v.volC, volA: v.volA, volB: v.volB, volSigma: v.volSigma, volTheta: v.volTheta, startPrice,
      ...(hour ? { hourVol: hourVol[i], hourLogVolume: hourLogVolume[i] } : {}),
    };
  });
  const cop = fitTCopula(completeRows(zs));
  const wRows = completeRows(ws);
  const volumeCorr = coins.length === 1 ? [[1]] : repairCorrelation(correlationOfColumns(wRows));
  const params: MarketParams = {
    version: 1,
    coins: coinParams,
    copulaCorr: cop.corr,
    copulaNu: cop.nu,
    volumeCorr,
    hlScale: 1,
    note: `fitMarket: ${coins.length} coins, copula on ${cop.n} complete hours`,
  };
  if (opts.calibrateScale ?? true) calibrateScale(params, returns, opts.calibrationHours ?? 400_000);
  return params;
}

function medianAbsDev(x: ArrayLike<number>): number {
  const v: number[] = [];
  let s = 0;
  for (let t = 0; t < x.length; t++) if (Number.isFinite(x[t])) { v.push(x[t]); s += x[t]; }
  const m = s / v.length;
  const a = Float64Array.from(v, (y) => Math.abs(y - m)).sort();
  return a[a.length >> 1];
}

/**
 * Rescales each omega so the simulated median |r - mean| equals the real one (simulated method of moments).
 * Scaling omega by k scales the whole variance path by k (the recursion is homogeneous; M_t is scale-free), so
 * one simulation suffices. Why: with persistence near 1 and nu < 4 the variance-targeted sigma² is very skewed,
 * and the typical hour (which sets the token classes) comes out too calm without this.
 */
export function calibrateScale(params: MarketParams, realReturns: Float64Array[], hours: number): void {
  const d = params.coins.length, chunk = 10_000;
  const stream = new MarketStream(params, 0x7c0ffee);
  const ret = new Float64Array(chunk * d), dlv = new Float64Array(chunk * d);
  const sims = params.coins.map(() => new Float64Array(hours));
  for (let h0 = 0; h0 < hours; h0 += chunk) {
    const m = Math.min(chunk, hours - h0);
    stream.fill(m, ret, dlv);
    for (let h = 0; h < m; h++) for (let i = 0; i < d; i++) sims[i][h0 + h] = ret[h * d + i];
  }
  params.coins.forEach((c, i) => {
    const k = medianAbsDev(realReturns[i]) / medianAbsDev(sims[i]);
    if (Number.isFinite(k) && k > 0) c.omega *= k * k;
  });
}
