// Target statistics for comparing real and simulated markets: moments, cross-coin correlation, ACF of returns
// and |returns|, volume-return correlation, token distributions and transition matrices (NaN / out-of-range skipped).

export interface Moments {
  n: number;
  mean: number;
  std: number;
  skew: number;
  /** excess kurtosis (0 for a normal) */
  kurtosis: number;
}

/** Mean, std, skewness and excess kurtosis of the finite values of x. */
export function moments(x: ArrayLike<number>): Moments {
  let n = 0, s = 0;
  for (let i = 0; i < x.length; i++) if (Number.isFinite(x[i])) { n++; s += x[i]; }
  const mean = s / n;
  let m2 = 0, m3 = 0, m4 = 0;
  for (let i = 0; i < x.length; i++) {
    if (!Number.isFinite(x[i])) continue;
    const d = x[i] - mean, d2 = d * d;
    m2 += d2; m3 += d2 * d; m4 += d2 * d2;
  }
  m2 /= n; m3 /= n; m4 /= n;
  return { n, mean, std: Math.sqrt(m2), skew: m3 / m2 ** 1.5, kurtosis: m4 / (m2 * m2) - 3 };
}

/** Pearson correlation over the indices where both a and b are finite (NaN when fewer than 3 pairs). */
export function pearson(a: ArrayLike<number>, b: ArrayLike<number>, lag = 0): number {
  let n = 0, sa = 0, sb = 0;
  for (let t = lag; t < a.length; t++) if (Number.isFinite(a[t]) && Number.isFinite(b[t - lag])) { n++; sa += a[t]; sb += b[t - lag]; }
  if (n < 3) return NaN;
  const ma = sa / n, mb = sb / n;
  let sab = 0, saa = 0, sbb = 0;
  for (let t = lag; t < a.length; t++) {
    const x = a[t], y = b[t - lag];
    if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
    sab += (x - ma) * (y - mb); saa += (x - ma) ** 2; sbb += (y - mb) ** 2;
  }
  return sab / Math.sqrt(saa * sbb);
}

/** Correlation matrix of several series (pairwise complete hours). */
export function correlationMatrix(series: ArrayLike<number>[]): number[][] {
  const k = series.length;
  const out = Array.from({ length: k }, () => new Array<number>(k).fill(1));
  for (let i = 0; i < k; i++) for (let j = 0; j < i; j++) out[i][j] = out[j][i] = pearson(series[i], series[j]);
  return out;
}

/** Ranks (0-based, ties in input order) of the finite values; NaN stays NaN. */
export function ranks(x: ArrayLike<number>): Float64Array {
  const idx: number[] = [];
  for (let i = 0; i < x.length; i++) if (Number.isFinite(x[i])) idx.push(i);
  idx.sort((a, b) => x[a] - x[b]);
  const r = new Float64Array(x.length).fill(NaN);
  idx.forEach((i, k) => (r[i] = k));
  return r;
}

/** Spearman rank correlation matrix (robust to the heavy tails that make Pearson noisy); hours with any NaN are dropped. */
export function rankCorrelationMatrix(series: ArrayLike<number>[]): number[][] {
  const n = series[0]?.length ?? 0;
  const keep: number[] = [];
  for (let t = 0; t < n; t++) if (series.every((s) => Number.isFinite(s[t]))) keep.push(t);
  return correlationMatrix(series.map((s) => ranks(Float64Array.from(keep, (t) => s[t]))));
}

/** Frobenius norm of a − b. */
export function frobeniusDiff(a: number[][], b: number[][]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) for (let j = 0; j < a[i].length; j++) s += (a[i][j] - b[i][j]) ** 2;
  return Math.sqrt(s);
}

/** Autocorrelation at lags 1..maxLag (index 0 = lag 1), over pairs of finite values, with the global mean. */
export function autocorrelation(x: ArrayLike<number>, maxLag = 24): Float64Array {
  const m = moments(x);
  const out = new Float64Array(maxLag);
  const v = m.std * m.std;
  for (let lag = 1; lag <= maxLag; lag++) {
    let s = 0, n = 0;
    for (let t = lag; t < x.length; t++) {
      if (Number.isFinite(x[t]) && Number.isFinite(x[t - lag])) { s += (x[t] - m.mean) * (x[t - lag] - m.mean); n++; }
    }
    out[lag - 1] = n > 0 ? s / n / v : NaN;
  }
  return out;
}

/** Autocorrelation of |x| at lags 1..maxLag (volatility clustering). */
export function absAutocorrelation(x: ArrayLike<number>, maxLag = 24): Float64Array {
  return autocorrelation(Float64Array.from(x as ArrayLike<number>, Math.abs), maxLag);
}

/** Correlation of |return| with the same hour's log-volume change (the volume-volatility relation). */
export function volumeReturnCorrelation(returns: ArrayLike<number>, logVolumeChange: ArrayLike<number>): number {
  return pearson(Float64Array.from(returns as ArrayLike<number>, Math.abs), logVolumeChange);
}

type Tokens = Int32Array | Uint8Array | Uint16Array;

/** Share of each of the V classes (tokens outside [0, V) are skipped, e.g. -1 for missing). */
export function tokenDistribution(tokens: Tokens, V: number): Float64Array {
  const p = new Float64Array(V);
  let n = 0;
  for (let i = 0; i < tokens.length; i++) { const k = tokens[i]; if (k >= 0 && k < V) { p[k]++; n++; } }
  if (n > 0) for (let k = 0; k < V; k++) p[k] /= n;
  return p;
}

/** Row-stochastic V×V transition matrix P[a*V+b] = P(next = b | current = a) of one coin's token series; empty rows stay 0. */
export function transitionMatrix(tokens: Tokens, V: number): Float64Array {
  const m = new Float64Array(V * V);
  for (let t = 1; t < tokens.length; t++) {
    const a = tokens[t - 1], b = tokens[t];
    if (a >= 0 && a < V && b >= 0 && b < V) m[a * V + b]++;
  }
  for (let a = 0; a < V; a++) {
    let s = 0;
    for (let b = 0; b < V; b++) s += m[a * V + b];
    if (s > 0) for (let b = 0; b < V; b++) m[a * V + b] /= s;
  }
  return m;
}

/** Total-variation distance ½ Σ|p − q| between two distributions of equal length. */
export function totalVariation(p: ArrayLike<number>, q: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < p.length; i++) s += Math.abs(p[i] - q[i]);
  return 0.5 * s;
}

/** Mean total-variation distance between the rows of two V×V transition matrices, weighted by `weights` (default uniform). */
export function transitionDistance(a: Float64Array, b: Float64Array, V: number, weights?: ArrayLike<number>): number {
  let s = 0, ws = 0;
  for (let r = 0; r < V; r++) {
    const w = weights ? weights[r] : 1;
    s += w * totalVariation(a.subarray(r * V, r * V + V), b.subarray(r * V, r * V + V));
    ws += w;
  }
  return ws > 0 ? s / ws : 0;
}
