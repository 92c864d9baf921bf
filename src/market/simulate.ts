// Market simulator: streams hourly log returns and log-volume changes from MarketParams (AR(1)-GARCH(1,1)-X-t
// marginals joined by a t-copula, hour-of-day seasonality), and builds OHLCV paths with Brownian-bridge highs and lows.
import { Rng } from '../util/rng.ts';
import type { MarketParams } from './params.ts';
import { applyMarginalMap, buildMarginalMap, type MarginalMap } from './copula.ts';
import { cholesky, repairCorrelation } from './linalg.ts';
import { absMeanUnitT } from './special.ts';
import { zigguratNormal } from './normal.ts';

/** log returns are clipped to ±R_MAX (a ±63 % / 172 % hour) so a rare t draw cannot produce absurd prices */
export const R_MAX = 1;
const SIGMA2_MAX = 0.25; // conditional hourly std capped at 50 % (guards integrated/explosive fits)
/** conditional std capped at this multiple of the coin's unconditional std of eps (when the params are stationary) */
export const SIGMA_CAP_MULT = 8;
const VOL_A_MAX = 0.999; // keeps log volume mean-reverting in simulation

function flatCholesky(corr: number[][]): Float64Array {
  const l = cholesky(corr) ?? cholesky(repairCorrelation(corr))!;
  const d = corr.length, out = new Float64Array(d * d);
  for (let i = 0; i < d; i++) for (let k = 0; k <= i; k++) out[i * d + k] = l[i][k];
  return out;
}

/** Streaming generator: each `fill` continues the same path; state (volatility, volume level) carries over. */
export class MarketStream {
  readonly coins: string[];
  readonly d: number;
  private readonly rng: Rng;
  private readonly maps: MarginalMap[];
  private readonly mapTab: Float64Array;
  private readonly level: Float64Array; // volume + floor of the last hour (floored log changes)
  private readonly lr: Float64Array;
  private readonly lv: Float64Array;
  private readonly nuC: number;
  private readonly mu: Float64Array; private readonly phi: Float64Array;
  private readonly omega: Float64Array; private readonly alpha: Float64Array; private readonly gamma: Float64Array; private readonly beta: Float64Array;
  private readonly vc: Float64Array; private readonly va: Float64Array; private readonly vb: Float64Array; private readonly vs: Float64Array; private readonly vt: Float64Array; private readonly wPrev: Float64Array;
  /** current state: conditional variance, previous deseasonalised return minus mu, deseasonalised log volume u */
  readonly s2: Float64Array; private readonly s2Max: Float64Array; readonly prev: Float64Array; readonly logVol: Float64Array;
  private readonly hv: Float64Array; private readonly hs: Float64Array; // [coin*24 + hour] seasonal factors / offsets
  /** UTC hour of day of the next simulated hour */
  phase: number;
  private readonly n: Float64Array; private readonly z: Float64Array; private readonly e2: Float64Array;

  constructor(readonly params: MarketParams, seed: number, burnIn = 200, startHour = 0) {
    const cs = params.coins;
    this.coins = cs.map((c) => c.coin);
    const d = (this.d = cs.length);
    this.rng = new Rng(seed);
    this.nuC = params.copulaNu;
    this.maps = cs.map((c) => buildMarginalMap(c.nu, params.copulaNu));
    this.mapTab = new Float64Array(this.maps.reduce((s, m) => s + m.table.length, 0));
    this.maps.forEach((m, i) => this.mapTab.set(m.table, i * m.table.length));
    this.lr = flatCholesky(params.copulaCorr);
    this.lv = flatCholesky(params.volumeCorr);
    const col = (f: (c: (typeof cs)[number]) => number) => Float64Array.from(cs, f);
    this.mu = col((c) => c.mu); this.phi = col((c) => c.phi);
    this.omega = col((c) => c.omega); this.alpha = col((c) => c.alpha); this.gamma = col((c) => c.gamma ?? 0); this.beta = col((c) => c.beta);
    this.vc = col((c) => c.volC); this.va = col((c) => Math.min(c.volA, VOL_A_MAX)); this.vb = col((c) => c.volB); this.vs = col((c) => c.volSigma); this.vt = col((c) => c.volTheta ?? 0); this.wPrev = new Float64Array(d);
    this.s2 = col((c) => { const p = c.alpha + c.beta + (c.gamma ?? 0); return Math.min(SIGMA2_MAX, p < 1 ? c.omega / (1 - p) : c.omega / 1e-3); });
    // per-coin variance cap: (SIGMA_CAP_MULT x unconditional std)², at most SIGMA2_MAX
    this.s2Max = col((c) => { const p = c.alpha + c.beta + (c.gamma ?? 0); return p < 1 ? Math.min(SIGMA2_MAX, SIGMA_CAP_MULT ** 2 * c.omega / (1 - p)) : SIGMA2_MAX; });
    this.prev = new Float64Array(d);
    this.logVol = col((c) => (c.volC + c.volB * absMeanUnitT(c.nu)) / (1 - Math.min(c.volA, VOL_A_MAX)));
    this.n = new Float64Array(d); this.z = new Float64Array(d); this.e2 = new Float64Array(d); this.level = new Float64Array(d);
    this.hv = new Float64Array(d * 24).fill(1); this.hs = new Float64Array(d * 24);
    cs.forEach((c, i) => {
      if (c.hourVol) { if (c.hourVol.length !== 24) throw new RangeError(`${c.coin}: hourVol needs 24 values`); this.hv.set(c.hourVol, i * 24); }
      if (c.hourLogVolume) { if (c.hourLogVolume.length !== 24) throw new RangeError(`${c.coin}: hourLogVolume needs 24 values`); this.hs.set(c.hourLogVolume, i * 24); }
    });
    this.phase = (((Math.round(startHour) - burnIn) % 24) + 24) % 24;
    if (burnIn > 0) this.fill(burnIn, new Float64Array(burnIn * d), new Float64Array(burnIn * d));
  }

  /** Log volume (seasonal offset included) of coin i in the last simulated hour. */
  logVolume(i: number): number {
    return this.logVol[i] + this.hs[i * 24 + ((this.phase + 23) % 24)];
  }

  /**
   * Simulates `hours` more hours. Writes ret[h*d + i] (log return of close) and dlv[h*d + i] (log change of
   * volume, or of volume + volumeFloor[i] when floors are given, as docs/model.md#tokenization) and, if given, sigma[h*d + i]
   * (conditional std of that hour's return).
   */
  fill(hours: number, ret: Float64Array, dlv: Float64Array, sigma?: Float64Array, volumeFloor?: ArrayLike<number>): void {
    const d = this.d, rng = this.rng, n = this.n, z = this.z, e2 = this.e2, lr = this.lr, lv = this.lv;
    const { mu, phi, omega, alpha, gamma, beta, vc, va, vb, vs, vt, wPrev, s2, s2Max, prev, logVol, maps } = this;
    const halfNu = this.nuC / 2, gauss = this.nuC > 500;
    const mapTab = this.mapTab, mapStride = maps[0]?.table.length ?? 0, mapPoints = mapStride - 1, invStep = 1 / (maps[0]?.step ?? 1);
    const level = this.level, hv = this.hv, hs = this.hs;
    let ph = this.phase, pp = (ph + 23) % 24;
    if (volumeFloor) for (let i = 0; i < d; i++) level[i] = Math.exp(logVol[i] + hs[i * 24 + pp]) + volumeFloor[i];
    for (let h = 0; h < hours; h++) {
      const o = h * d;
      for (let i = 0; i < d; i++) n[i] = zigguratNormal(rng);
      const iw = gauss ? 1 : 1 / Math.sqrt(rng.gamma(halfNu) / halfNu);
      let news = 0;
      for (let i = 0; i < d; i++) {
        let g = 0;
        for (let k = 0; k <= i; k++) g += lr[i * d + k] * n[k];
        // applyMarginalMap inlined on the flat table (hot loop)
        const x = g * iw, ax = x < 0 ? -x : x, f = ax * invStep, k = f | 0;
        let zi: number;
        if (k < mapPoints) { const b = i * mapStride + k; zi = mapTab[b] + (f - k) * (mapTab[b + 1] - mapTab[b]); }
        else zi = applyMarginalMap(maps[i], ax);
        if (x < 0) zi = -zi;
        z[i] = zi;
        const sd = Math.sqrt(s2[i]), sf = hv[i * 24 + ph];
        const m = mu[i] + phi[i] * prev[i];
        let rt = m + sd * zi, zc = zi, r = rt * sf; // rt: deseasonalised return
        if (r > R_MAX || r < -R_MAX) { r = r > 0 ? R_MAX : -R_MAX; rt = r / sf; zc = (rt - m) / sd; }
        ret[o + i] = r;
        if (sigma) sigma[o + i] = sd * sf;
        e2[i] = (rt - m) * (rt - m);
        news += zc * zc;
        prev[i] = rt - mu[i];
      }
      news /= d; // M_t: the hour's mean squared standardised shock
      for (let i = 0; i < d; i++) {
        let next = omega[i] + alpha[i] * e2[i] + (beta[i] + gamma[i] * news) * s2[i];
        if (next > s2Max[i]) next = s2Max[i];
        s2[i] = next;
      }
      for (let i = 0; i < d; i++) n[i] = zigguratNormal(rng);
      for (let i = 0; i < d; i++) {
        let w = 0;
        for (let k = 0; k <= i; k++) w += lv[i * d + k] * n[k];
        const zi = z[i] < 0 ? -z[i] : z[i];
        const v = vc[i] + va[i] * logVol[i] + vb[i] * zi + vs[i] * (w - vt[i] * wPrev[i]);
        wPrev[i] = w;
        const full = v + hs[i * 24 + ph];
        if (volumeFloor) { const lvl = Math.exp(full) + volumeFloor[i]; dlv[o + i] = Math.log(lvl / level[i]); level[i] = lvl; }
        else dlv[o + i] = full - (logVol[i] + hs[i * 24 + pp]);
        logVol[i] = v;
      }
      pp = ph;
      ph = ph === 23 ? 0 : ph + 1;
    }
    this.phase = ph;
  }
}

/** Simulated candles, column layout like MarketTable: [coin][hour]. */
export interface SimulatedMarket {
  coins: string[];
  open: Float64Array[];
  high: Float64Array[];
  low: Float64Array[];
  close: Float64Array[];
  volume: Float64Array[];
}

export interface SimulateOptions {
  hours: number;
  seed: number;
  /** first open per coin (one number for all, or one per coin); default each coin's params.startPrice */
  startPrice?: number | number[];
  /** UTC hour of day (0..23) of the first candle, for the hour-of-day seasonality @default 0 */
  startHour?: number;
}

/** Simulates multi-coin hourly OHLCV: open = previous close, high/low from a Brownian bridge with the hour's sigma. */
export function simulateMarket(params: MarketParams, opts: SimulateOptions): SimulatedMarket {
  const { hours, seed } = opts;
  if (!Number.isInteger(hours) || hours < 0) throw new RangeError(`simulateMarket: hours must be a non-negative integer, got ${hours}`);
  const stream = new MarketStream(params, seed, 200, opts.startHour ?? 0);
  const d = stream.d;
  const ret = new Float64Array(hours * d), dlv = new Float64Array(hours * d), sig = new Float64Array(hours * d);
  const vol0 = Float64Array.from({ length: d }, (_, i) => stream.logVolume(i));
  stream.fill(hours, ret, dlv, sig);
  const bridge = new Rng(seed ^ 0x5bd1e995);
  const mk = () => Array.from({ length: d }, () => new Float64Array(hours));
  const out: SimulatedMarket = { coins: stream.coins, open: mk(), high: mk(), low: mk(), close: mk(), volume: mk() };
  for (let i = 0; i < d; i++) {
    const sp = opts.startPrice;
    let price = typeof sp === 'number' ? sp : sp?.[i] ?? params.coins[i].startPrice;
    if (!(price > 0)) throw new RangeError(`simulateMarket: start price of ${stream.coins[i]} must be positive`);
    let lv = vol0[i];
    for (let h = 0; h < hours; h++) {
      const r = ret[h * d + i];
      const s = sig[h * d + i] * params.hlScale;
      const up = 0.5 * (r + Math.sqrt(r * r - 2 * s * s * Math.log(1 - bridge.random())));
      const dn = 0.5 * (r - Math.sqrt(r * r - 2 * s * s * Math.log(1 - bridge.random())));
      const close = price * Math.exp(r);
      out.open[i][h] = price;
      out.close[i][h] = close;
      out.high[i][h] = Math.max(price, close, price * Math.exp(up));
      out.low[i][h] = Math.min(price, close, price * Math.exp(dn));
      lv += dlv[h * d + i];
      out.volume[i][h] = Math.exp(lv);
      price = close;
    }
  }
  return out;
}
