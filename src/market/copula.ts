// t-copula of the standardised innovations (Demarta & McNeil 2005): pseudo-observations from ranks, correlation
// of the t-scores, copula dof by profile likelihood; plus the tabulated maps copula-t → unit-variance t marginal.
import { lgamma, tCdf, tLogPdf } from './special.ts';
import { cholesky, correlationOfColumns, repairCorrelation } from './linalg.ts';
import { goldenSection } from './optimize.ts';

const S_MAX = Math.asinh(1e8);
const S_POINTS = 4000;

/** Student-t quantiles by interpolating a tabulated log-CDF on an asinh grid (accurate to ~1e-6 relative). */
export class TQuantileTable {
  private readonly s = new Float64Array(S_POINTS + 1); // asinh(x), x ≤ 0, increasing
  private readonly logF = new Float64Array(S_POINTS + 1);
  constructor(readonly nu: number) {
    for (let k = 0; k <= S_POINTS; k++) {
      const s = -S_MAX + (S_MAX * k) / S_POINTS;
      this.s[k] = s;
      this.logF[k] = Math.log(Math.max(1e-320, tCdf(Math.sinh(s), nu)));
    }
  }
  /** t_nu quantile of probability p in (0, 1). */
  quantile(p: number): number {
    if (p > 0.5) return -this.quantile(1 - p);
    const lp = Math.log(p), f = this.logF;
    if (lp <= f[0]) return Math.sinh(this.s[0]);
    let lo = 0, hi = S_POINTS;
    while (hi - lo > 1) { const mid = (lo + hi) >> 1; if (f[mid] <= lp) lo = mid; else hi = mid; }
    const w = (lp - f[lo]) / (f[hi] - f[lo]);
    return Math.sinh(this.s[lo] + w * (this.s[hi] - this.s[lo]));
  }
}

/** Monotone odd map x ↦ z = sqrt((nu-2)/nu) · T_nu^{-1}(T_nuC(x)) tabulated on [0, X_MAX] with power-law tails. */
export interface MarginalMap {
  step: number;
  table: Float64Array;
  tailExp: number; // nuC / nu: T_nu^{-1}(T_nuC(x)) ~ x^{nuC/nu} for large x
}

const MAP_STEP = 0.02, MAP_POINTS = 2000;

/** Builds the copula-to-marginal map for a coin with marginal dof nu under copula dof nuC. */
export function buildMarginalMap(nu: number, nuC: number): MarginalMap {
  const q = new TQuantileTable(nu);
  const scale = Math.sqrt((nu - 2) / nu);
  const table = new Float64Array(MAP_POINTS + 1);
  for (let k = 1; k <= MAP_POINTS; k++) table[k] = -scale * q.quantile(tCdf(-k * MAP_STEP, nuC));
  return { step: MAP_STEP, table, tailExp: nuC / nu };
}

/** Applies a marginal map (fast path of the simulator). */
export function applyMarginalMap(m: MarginalMap, x: number): number {
  const ax = x < 0 ? -x : x;
  const f = ax / m.step;
  const k = f | 0;
  let z: number;
  if (k < MAP_POINTS) { const w = f - k; z = m.table[k] + w * (m.table[k + 1] - m.table[k]); }
  else z = m.table[MAP_POINTS] * Math.pow(ax / (MAP_POINTS * m.step), m.tailExp);
  return x < 0 ? -z : z;
}

/** Pseudo-observations u = rank/(n+1) of each column (rows already complete). */
export function pseudoObservations(cols: Float64Array[]): Float64Array[] {
  return cols.map((c) => {
    const n = c.length, idx = new Int32Array(n).map((_, i) => i);
    idx.sort((a, b) => c[a] - c[b]);
    const u = new Float64Array(n);
    for (let r = 0; r < n; r++) u[idx[r]] = (r + 1) / (n + 1);
    return u;
  });
}

function copulaLogLik(u: Float64Array[], nuC: number): { ll: number; corr: number[][] } {
  const d = u.length, n = u[0].length;
  const q = new TQuantileTable(nuC);
  const x = u.map((c) => c.map((p) => q.quantile(p)));
  const corr = repairCorrelation(correlationOfColumns(x));
  const l = cholesky(corr)!;
  let logDet = 0;
  for (let i = 0; i < d; i++) logDet += 2 * Math.log(l[i][i]);
  const c0 = lgamma((nuC + d) / 2) - lgamma(nuC / 2) - (d / 2) * Math.log(nuC * Math.PI) - 0.5 * logDet;
  const y = new Float64Array(d);
  const cm = tLogPdf(0, nuC), km = (nuC + 1) / 2; // univariate t log-density = cm - km log1p(x²/nu)
  let ll = 0;
  for (let t = 0; t < n; t++) {
    let qf = 0, marg = 0;
    for (let i = 0; i < d; i++) {
      let s = x[i][t];
      for (let k = 0; k < i; k++) s -= l[i][k] * y[k];
      y[i] = s / l[i][i];
      qf += y[i] * y[i];
      marg += cm - km * Math.log1p((x[i][t] * x[i][t]) / nuC);
    }
    ll += c0 - ((nuC + d) / 2) * Math.log1p(qf / nuC) - marg;
  }
  return { ll, corr };
}

const NU_GRID = [2.5, 3, 4, 5, 6, 8, 10, 14, 20, 30, 50, 100];

/** Fits a t-copula to complete rows of standardised residuals (columns = coins): correlation and dof. */
export function fitTCopula(cols: Float64Array[]): { corr: number[][]; nu: number; logLik: number; n: number } {
  const n = cols[0]?.length ?? 0;
  if (cols.length === 1) return { corr: [[1]], nu: 100, logLik: 0, n };
  if (n < 50) throw new Error(`fitTCopula: need at least 50 complete rows, got ${n}`);
  const u = pseudoObservations(cols);
  const lls = NU_GRID.map((nu) => copulaLogLik(u, nu).ll);
  let bi = 0;
  for (let i = 1; i < lls.length; i++) if (lls[i] > lls[bi]) bi = i;
  const lo = Math.log(NU_GRID[Math.max(0, bi - 1)]), hi = Math.log(NU_GRID[Math.min(NU_GRID.length - 1, bi + 1)]);
  const best = Math.exp(goldenSection((ln) => -copulaLogLik(u, Math.exp(ln)).ll, lo, hi, 0.02));
  const fit = copulaLogLik(u, best);
  return { corr: fit.corr, nu: best, logLik: fit.ll, n };
}
