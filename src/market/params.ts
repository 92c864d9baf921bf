// Parameter types of the multi-coin market model (AR(1)-GARCH(1,1)-X-t per coin, t-copula across coins,
// AR(1) log volume loaded on |standardised return|). Plain JSON: every field is a number, string or array.

/** The return equation of one coin, AR(1) mean and GARCH(1,1)-X variance with Student-t innovations. */
export interface ReturnParams {
  /** mean equation: r_t = mu + phi (r_{t-1} - mu) + eps_t */
  mu: number;
  phi: number;
  /** GARCH(1,1)-X: eps_t = sigma_t z_t, sigma²_{t+1} = omega + alpha eps_t² + (beta + gamma M_t) sigma²_t,
   *  M_t = mean over coins of z_{j,t}² (market news; E M = 1), so volatility moves together across coins */
  omega: number;
  alpha: number;
  gamma: number;
  beta: number;
  /** degrees of freedom of the unit-variance Student-t marginal of z_t (> 2) */
  nu: number;
}

/** One coin's marginal model (hourly log returns r_t of close, log volume v_t). */
export interface CoinParams extends ReturnParams {
  coin: string;
  /** log volume: v_t = volC + volA v_{t-1} + volB |z_t| + volSigma (w_t - volTheta w_{t-1}), w_t ~ N(0,1) correlated across coins */
  volC: number;
  volA: number;
  volB: number;
  volSigma: number;
  volTheta: number;
  /** first open of simulated paths (quote units) */
  startPrice: number;
  /** hour-of-day (UTC 0..23) volatility factors s_h (mean of s_h² = 1): r_t = s_h r̃_t, r̃ follows the model above; absent = flat */
  hourVol?: number[];
  /** hour-of-day log-volume offsets S_h (mean 0): v_t = S_h + u_t, u follows the volume equation above; absent = flat */
  hourLogVolume?: number[];
}

/** The whole market: per-coin marginals plus the dependence between coins. */
export interface MarketParams {
  version: 1;
  coins: CoinParams[];
  /** t-copula of the innovations z_t: correlation matrix (coin order as `coins`) and its degrees of freedom */
  copulaCorr: number[][];
  copulaNu: number;
  /** correlation matrix of the log-volume shocks w_t */
  volumeCorr: number[][];
  /** intrahour Brownian-bridge scale: high/low use sigma_t × hlScale */
  hlScale: number;
  /** how the numbers were obtained (free text) */
  note?: string;
}

/** Long-run mean of log volume implied by a coin's parameters (E|z| supplied by the caller). */
export function stationaryLogVolume(p: CoinParams, absMeanZ: number): number {
  return (p.volC + p.volB * absMeanZ) / (1 - p.volA);
}

/** Unconditional variance of eps implied by the GARCH parameters (Infinity when not stationary). */
export function unconditionalVariance(p: CoinParams): number {
  const persistence = p.alpha + p.beta + p.gamma;
  return persistence < 1 ? p.omega / (1 - persistence) : Infinity;
}
