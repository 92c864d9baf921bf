// Limited-memory BFGS (Nocedal & Wright 2006, algorithm 7.4/7.5) with a backtracking Armijo line search, for the
// smooth convex losses of the baselines (L2-penalised softmax regression). Deterministic; no randomness.

export interface LbfgsOptions {
  /** history pairs kept @default 10 */
  memory?: number;
  /** iteration cap @default 200 */
  maxIter?: number;
  /** stop when the gradient's max-norm falls below this @default 1e-6 */
  gtol?: number;
  /** stop when the relative decrease of f in one iteration falls below this @default 1e-10 */
  ftol?: number;
}

export interface LbfgsResult { x: Float64Array; f: number; iterations: number; converged: boolean }

/** Minimises f; `fg(x, grad)` returns f(x) and writes its gradient into grad. */
export function lbfgs(fg: (x: Float64Array, grad: Float64Array) => number, x0: Float64Array, opts: LbfgsOptions = {}): LbfgsResult {
  const m = opts.memory ?? 10, maxIter = opts.maxIter ?? 200, gtol = opts.gtol ?? 1e-6, ftol = opts.ftol ?? 1e-10;
  const n = x0.length;
  let x = x0.slice(), g = new Float64Array(n);
  let f = fg(x, g);
  const S: Float64Array[] = [], Y: Float64Array[] = [], rho: number[] = [];
  const d = new Float64Array(n), alpha = new Float64Array(m);
  let xNew = new Float64Array(n), gNew = new Float64Array(n);
  const maxAbs = (v: Float64Array) => { let a = 0; for (let i = 0; i < v.length; i++) a = Math.max(a, Math.abs(v[i])); return a; };
  for (let it = 0; it < maxIter; it++) {
    if (maxAbs(g) < gtol) return { x, f, iterations: it, converged: true };
    // two-loop recursion: d = -H g
    for (let i = 0; i < n; i++) d[i] = -g[i];
    for (let k = S.length - 1; k >= 0; k--) {
      alpha[k] = rho[k] * dot(S[k], d);
      axpy(-alpha[k], Y[k], d);
    }
    if (S.length) {
      const k = S.length - 1, gamma = dot(S[k], Y[k]) / dot(Y[k], Y[k]);
      for (let i = 0; i < n; i++) d[i] *= gamma;
    } else {
      const s = 1 / Math.max(1, maxAbs(g)); // first step: a short steepest-descent move
      for (let i = 0; i < n; i++) d[i] *= s;
    }
    for (let k = 0; k < S.length; k++) {
      const b = rho[k] * dot(Y[k], d);
      axpy(alpha[k] - b, S[k], d);
    }
    let slope = dot(g, d);
    if (!(slope < 0)) { // not a descent direction: restart from steepest descent
      S.length = 0; Y.length = 0; rho.length = 0;
      for (let i = 0; i < n; i++) d[i] = -g[i] / Math.max(1, maxAbs(g));
      slope = dot(g, d);
    }
    let step = 1, fNew = NaN;
    for (let ls = 0; ls < 40; ls++) {
      for (let i = 0; i < n; i++) xNew[i] = x[i] + step * d[i];
      fNew = fg(xNew, gNew);
      if (fNew <= f + 1e-4 * step * slope) break;
      step *= 0.5;
    }
    if (!(fNew <= f)) return { x, f, iterations: it, converged: false };
    const s = new Float64Array(n), y = new Float64Array(n);
    for (let i = 0; i < n; i++) { s[i] = xNew[i] - x[i]; y[i] = gNew[i] - g[i]; }
    const sy = dot(s, y);
    if (sy > 1e-10 * Math.sqrt(dot(s, s) * dot(y, y))) { // curvature condition, scale-free
      if (S.length === m) { S.shift(); Y.shift(); rho.shift(); }
      S.push(s); Y.push(y); rho.push(1 / sy);
    }
    const decrease = (f - fNew) / Math.max(1, Math.abs(f));
    [x, xNew] = [xNew, x];
    [g, gNew] = [gNew, g];
    f = fNew;
    if (decrease < ftol) return { x, f, iterations: it + 1, converged: true };
  }
  return { x, f, iterations: maxIter, converged: false };
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

function axpy(a: number, x: Float64Array, y: Float64Array): void {
  for (let i = 0; i < x.length; i++) y[i] += a * x[i];
}
