// Small dense linear algebra for the market model: Cholesky with positive-definite repair, least squares
// through the normal equations, and correlation helpers. Matrices are row-major number[][] (JSON-friendly).

/** Lower Cholesky factor of a symmetric matrix, or null when it is not positive definite. */
export function cholesky(a: number[][]): number[][] | null {
  const n = a.length;
  const l = a.map(() => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i][j];
      for (let k = 0; k < j; k++) s -= l[i][k] * l[j][k];
      if (i === j) {
        if (!(s > 1e-12)) return null;
        l[i][i] = Math.sqrt(s);
      } else l[i][j] = s / l[j][j];
    }
  }
  return l;
}

/** Shrinks off-diagonals toward 0 (a correlation matrix toward I) until it is positive definite. */
export function repairCorrelation(r: number[][]): number[][] {
  const n = r.length;
  for (let shrink = 1; shrink > 0; shrink -= 0.02) {
    const m = r.map((row, i) => row.map((v, j) => (i === j ? 1 : Number.isFinite(v) ? v * shrink : 0)));
    if (cholesky(m)) return m;
  }
  return Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
}

/** Solves the symmetric positive-definite system a x = b (Cholesky); throws when a is singular. */
export function solveSpd(a: number[][], b: number[]): number[] {
  const l = cholesky(a);
  if (!l) throw new Error('solveSpd: matrix is not positive definite (collinear regressors?)');
  const n = b.length, y = new Array<number>(n), x = new Array<number>(n);
  for (let i = 0; i < n; i++) { let s = b[i]; for (let k = 0; k < i; k++) s -= l[i][k] * y[k]; y[i] = s / l[i][i]; }
  for (let i = n - 1; i >= 0; i--) { let s = y[i]; for (let k = i + 1; k < n; k++) s -= l[k][i] * x[k]; x[i] = s / l[i][i]; }
  return x;
}

/** Ordinary least squares: rows of regressors X (n × p) and target y; returns coefficients and residual std. */
export function leastSquares(rows: ArrayLike<number>[], y: ArrayLike<number>): { coef: number[]; residStd: number } {
  const p = rows[0].length, n = y.length;
  const xtx = Array.from({ length: p }, () => new Array<number>(p).fill(0));
  const xty = new Array<number>(p).fill(0);
  for (let t = 0; t < n; t++) {
    const r = rows[t];
    for (let i = 0; i < p; i++) { xty[i] += r[i] * y[t]; for (let j = 0; j <= i; j++) xtx[i][j] += r[i] * r[j]; }
  }
  for (let i = 0; i < p; i++) for (let j = i + 1; j < p; j++) xtx[i][j] = xtx[j][i];
  const coef = solveSpd(xtx, xty);
  let ss = 0;
  for (let t = 0; t < n; t++) { let f = 0; for (let i = 0; i < p; i++) f += rows[t][i] * coef[i]; ss += (y[t] - f) ** 2; }
  return { coef, residStd: Math.sqrt(ss / Math.max(1, n - p)) };
}

/** Pearson correlation matrix of equally long columns (no NaN expected). */
export function correlationOfColumns(cols: Float64Array[]): number[][] {
  const k = cols.length, n = cols[0]?.length ?? 0;
  const mean = cols.map((c) => c.reduce((s, v) => s + v, 0) / n);
  const out = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (let i = 0; i < k; i++) {
    for (let j = 0; j <= i; j++) {
      let sxy = 0, sxx = 0, syy = 0;
      const a = cols[i], b = cols[j];
      for (let t = 0; t < n; t++) { const x = a[t] - mean[i], y = b[t] - mean[j]; sxy += x * y; sxx += x * x; syy += y * y; }
      out[i][j] = out[j][i] = i === j ? 1 : sxy / Math.sqrt(sxx * syy);
    }
  }
  return out;
}
