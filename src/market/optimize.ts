// Derivative-free minimiser: Nelder-Mead simplex (Nelder & Mead 1965) with the adaptive coefficients of
// Gao & Han (2012) and restarts from the best vertex, used on unconstrained (transformed) parameters.

export interface MinimizeOptions {
  /** initial step per coordinate @default 0.5 */
  step?: number;
  /** stop when the simplex's f-spread is below this @default 1e-9 */
  ftol?: number;
  /** evaluation budget per run @default 400 * dim */
  maxEvals?: number;
  /** fresh simplexes built around the best point after convergence @default 2 */
  restarts?: number;
}

export interface MinimizeResult {
  x: Float64Array;
  f: number;
  evals: number;
}

/** Minimises f over R^n from x0; non-finite f values are treated as +Infinity (a barrier). */
export function nelderMead(f: (x: Float64Array) => number, x0: ArrayLike<number>, opts: MinimizeOptions = {}): MinimizeResult {
  const n = x0.length;
  const ftol = opts.ftol ?? 1e-9;
  const maxEvals = opts.maxEvals ?? 400 * n;
  let step = opts.step ?? 0.5;
  let evals = 0;
  const ev = (x: Float64Array): number => {
    evals++;
    const v = f(x);
    return Number.isFinite(v) ? v : Infinity;
  };
  let best: Float64Array = Float64Array.from(x0);
  let fbest = ev(best);
  const restarts = opts.restarts ?? 2;
  for (let run = 0; run <= restarts; run++) {
    const r = simplexRun(ev, best, step, ftol, maxEvals);
    const improved = fbest - r.f;
    if (r.f <= fbest) { best = r.x; fbest = r.f; }
    if (run > 0 && improved < ftol * 10) break;
    step *= 0.5;
  }
  return { x: best, f: fbest, evals };
}

function simplexRun(ev: (x: Float64Array) => number, x0: Float64Array, step: number, ftol: number, maxEvals: number): { x: Float64Array; f: number } {
  const n = x0.length;
  const alpha = 1, beta = 1 + 2 / n, gamma = 0.75 - 1 / (2 * n), delta = 1 - 1 / n;
  const pts: Float64Array[] = [];
  const fs: number[] = [];
  for (let i = 0; i <= n; i++) {
    const p = Float64Array.from(x0);
    if (i > 0) p[i - 1] += step;
    pts.push(p);
    fs.push(ev(p));
  }
  const order = Array.from({ length: n + 1 }, (_, i) => i);
  const cen = new Float64Array(n), xr = new Float64Array(n), xe = new Float64Array(n), xc = new Float64Array(n);
  let used = n + 1;
  while (used < maxEvals) {
    order.sort((a, b) => fs[a] - fs[b]);
    const b = order[0], w = order[n], sw = order[n - 1];
    if (Math.abs(fs[w] - fs[b]) <= ftol * (1 + Math.abs(fs[b]))) break;
    cen.fill(0);
    for (let i = 0; i < n; i++) { const p = pts[order[i]]; for (let j = 0; j < n; j++) cen[j] += p[j] / n; }
    const pw = pts[w];
    for (let j = 0; j < n; j++) xr[j] = cen[j] + alpha * (cen[j] - pw[j]);
    const fr = ev(xr); used++;
    if (fr < fs[b]) {
      for (let j = 0; j < n; j++) xe[j] = cen[j] + beta * (xr[j] - cen[j]);
      const fe = ev(xe); used++;
      if (fe < fr) { pw.set(xe); fs[w] = fe; } else { pw.set(xr); fs[w] = fr; }
      continue;
    }
    if (fr < fs[sw]) { pw.set(xr); fs[w] = fr; continue; }
    const outside = fr < fs[w];
    for (let j = 0; j < n; j++) xc[j] = outside ? cen[j] + gamma * (xr[j] - cen[j]) : cen[j] - gamma * (cen[j] - pw[j]);
    const fc = ev(xc); used++;
    if (fc < Math.min(fr, fs[w])) { pw.set(xc); fs[w] = fc; continue; }
    const pb = pts[b];
    for (let i = 1; i <= n; i++) {
      const k = order[i], p = pts[k];
      for (let j = 0; j < n; j++) p[j] = pb[j] + delta * (p[j] - pb[j]);
      fs[k] = ev(p); used++;
    }
  }
  let bi = 0;
  for (let i = 1; i <= n; i++) if (fs[i] < fs[bi]) bi = i;
  return { x: Float64Array.from(pts[bi]), f: fs[bi] };
}

/** Minimises a 1-D function on [lo, hi] by golden-section search (unimodal assumed). */
export function goldenSection(f: (x: number) => number, lo: number, hi: number, tol = 1e-6): number {
  const g = (Math.sqrt(5) - 1) / 2;
  let a = lo, b = hi, c = b - g * (b - a), d = a + g * (b - a);
  let fc = f(c), fd = f(d);
  while (b - a > tol) {
    if (fc < fd) { b = d; d = c; fd = fc; c = b - g * (b - a); fc = f(c); }
    else { a = c; c = d; fc = fd; d = a + g * (b - a); fd = f(d); }
  }
  return 0.5 * (a + b);
}
