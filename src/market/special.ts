// Special functions for the market model: log-gamma (Lanczos), Student-t CDF via the regularised incomplete beta
// (Numerical Recipes 3rd ed. §6.4, continued fraction), t quantile by bisection, and E|Z| of a unit-variance t.

const LANCZOS = [
  676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** ln Γ(x) for x > 0 (Lanczos g=7, ~15 significant digits). */
export function lgamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - lgamma(1 - x);
  x -= 1;
  let a = 0.99999999999980993;
  const t = x + 7.5;
  for (let i = 0; i < 8; i++) a += LANCZOS[i] / (x + i + 1);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

// continued fraction for the incomplete beta (modified Lentz), NR betacf
function betacf(a: number, b: number, x: number): number {
  const FPMIN = 1e-300;
  const qab = a + b, qap = a + 1, qam = a - 1;
  let c = 1, d = 1 - (qab * x) / qap;
  if (Math.abs(d) < FPMIN) d = FPMIN;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 300; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d; if (Math.abs(d) < FPMIN) d = FPMIN;
    c = 1 + aa / c; if (Math.abs(c) < FPMIN) c = FPMIN;
    d = 1 / d; h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d; if (Math.abs(d) < FPMIN) d = FPMIN;
    c = 1 + aa / c; if (Math.abs(c) < FPMIN) c = FPMIN;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-15) break;
  }
  return h;
}

/** Regularised incomplete beta I_x(a, b). */
export function betaInc(a: number, b: number, x: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const lbt = lgamma(a + b) - lgamma(a) - lgamma(b) + a * Math.log(x) + b * Math.log(1 - x);
  if (x < (a + 1) / (a + b + 2)) return (Math.exp(lbt) * betacf(a, b, x)) / a;
  return 1 - (Math.exp(lbt) * betacf(b, a, 1 - x)) / b;
}

/** CDF of the standard Student-t with nu degrees of freedom (unit scale). */
export function tCdf(x: number, nu: number): number {
  const p = 0.5 * betaInc(nu / 2, 0.5, nu / (nu + x * x));
  return x > 0 ? 1 - p : p;
}

/** Quantile of the standard Student-t; bisection on asinh(x), exact to ~1e-12 relative. */
export function tQuantile(p: number, nu: number): number {
  if (p <= 0) return -Infinity;
  if (p >= 1) return Infinity;
  if (p > 0.5) return -tQuantile(1 - p, nu);
  if (p === 0.5) return 0;
  let lo = -Math.asinh(1e150), hi = 0;
  for (let i = 0; i < 200 && hi - lo > 1e-13; i++) {
    const mid = 0.5 * (lo + hi);
    if (tCdf(Math.sinh(mid), nu) < p) lo = mid; else hi = mid;
  }
  return Math.sinh(0.5 * (lo + hi));
}

/** Log density of a standard (unit scale) Student-t at x. */
export function tLogPdf(x: number, nu: number): number {
  return lgamma((nu + 1) / 2) - lgamma(nu / 2) - 0.5 * Math.log(nu * Math.PI) - ((nu + 1) / 2) * Math.log1p((x * x) / nu);
}

/** E|Z| for Z a Student-t with nu > 2 rescaled to unit variance (→ sqrt(2/π) as nu → ∞). */
export function absMeanUnitT(nu: number): number {
  if (nu > 1e6) return Math.sqrt(2 / Math.PI);
  const eAbsT = (2 * Math.sqrt(nu) * Math.exp(lgamma((nu + 1) / 2) - lgamma(nu / 2))) / (Math.sqrt(Math.PI) * (nu - 1));
  return eAbsT * Math.sqrt((nu - 2) / nu);
}

/** Standard normal CDF (erfc via Numerical Recipes' Chebyshev fit, |error| < 1.2e-7). */
export function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.5 * z);
  const r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 +
    t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  return x >= 0 ? 1 - 0.5 * r : 0.5 * r;
}
