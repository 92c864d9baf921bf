// Normal-distribution numerics for TPE: erf/erfc (fdlibm s_erf.c algorithm), log Φ, log Gaussian mass of an interval,
// truncated-normal log density and inverse-CDF sampling. Follows docs/tuning.md#numerics (tail-safe log-space evaluation).

const ERX = 8.45062911510467529297e-01;
const EFX = 1.28379167095512586316e-01;
// fdlibm minimax coefficients (Sun Microsystems, freely distributable)
const PP = [1.28379167095512558561e-01, -3.25042107247001499370e-01, -2.84817495755985104766e-02, -5.77027029648944159157e-03, -2.37630166566501626084e-05];
const QQ = [1, 3.97917223959155352819e-01, 6.50222499887672944485e-02, 5.08130628187576562776e-03, 1.32494738004321644526e-04, -3.96022827877536812320e-06];
const PA = [-2.36211856075265944077e-03, 4.14856118683748331666e-01, -3.72207876035701323847e-01, 3.18346619901161753674e-01, -1.10894694282396677476e-01, 3.54783043256182359371e-02, -2.16637559486879084300e-03];
const QA = [1, 1.06420880400844228286e-01, 5.40397917702171048937e-01, 7.18286544141962662868e-02, 1.26171219808761642112e-01, 1.36370839120290507362e-02, 1.19844998467991074170e-02];
const RA = [-9.86494403484714822705e-03, -6.93858572707181764372e-01, -1.05586262253232909814e01, -6.23753324503260060396e01, -1.62396669462573470355e02, -1.84605092906711035994e02, -8.12874355063065934246e01, -9.81432934416914548592e00];
const SA = [1, 1.96512716674392571292e01, 1.37657754143519042600e02, 4.34565877475229228821e02, 6.45387271733267880336e02, 4.29008140027567833386e02, 1.08635005541779435134e02, 6.57024977031928170135e00, -6.04244152148580987438e-02];
const RB = [-9.86494292470009928597e-03, -7.99283237680523006574e-01, -1.77579549177547519889e01, -1.60636384855821916062e02, -6.37566443368389627722e02, -1.02509513161107724954e03, -4.83519191608651397019e02];
const SB = [1, 3.03380607434824582924e01, 3.25792512996573918826e02, 1.53672958608443695994e03, 3.19985821950859553908e03, 2.55305040643316442583e03, 4.74528541206955367215e02, -2.24409524465858183362e01];

function poly(c: readonly number[], x: number): number {
  let r = 0;
  for (let i = c.length - 1; i >= 0; i--) r = r * x + c[i];
  return r;
}

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
const LOW = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 0 : 1; // little-endian: low word first
function zeroLowWord(x: number): number {
  f64[0] = x;
  u32[LOW] = 0;
  return f64[0];
}

/** exp(-x^2 - 0.5625 + R/S) / x for x >= 1.25, with fdlibm's split of x^2 to keep full precision. */
function tail(ax: number): number {
  const s = 1 / (ax * ax);
  const rs = ax < 1 / 0.35 ? poly(RA, s) / poly(SA, s) : poly(RB, s) / poly(SB, s);
  // below 6 one exp costs at most ~36 ulp of relative error (x^2 rounding); beyond, fdlibm's split of x^2 keeps full precision
  if (ax < 6) return Math.exp(-ax * ax - 0.5625 + rs) / ax;
  const z = zeroLowWord(ax);
  return (Math.exp(-z * z - 0.5625) * Math.exp((z - ax) * (z + ax) + rs)) / ax;
}

/** Error function, accurate to about 1 ulp. */
export function erf(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  const ax = Math.abs(x);
  if (ax < 0.84375) {
    if (ax < 2 ** -28) return x + EFX * x;
    const z = x * x;
    return x + x * (poly(PP, z) / poly(QQ, z));
  }
  if (ax < 1.25) {
    const s = ax - 1;
    const v = ERX + poly(PA, s) / poly(QA, s);
    return x >= 0 ? v : -v;
  }
  if (ax >= 6) return x > 0 ? 1 : -1;
  const v = 1 - tail(ax);
  return x >= 0 ? v : -v;
}

/** Complementary error function 1 - erf(x), accurate in the upper tail (relative error ~1 ulp down to underflow). */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  const ax = Math.abs(x);
  if (ax < 0.84375) {
    if (ax < 2 ** -56) return 1 - x;
    const z = x * x;
    const y = poly(PP, z) / poly(QQ, z);
    if (x < 0.25) return 1 - (x + x * y);
    return 0.5 - (x * y + (x - 0.5));
  }
  if (ax < 1.25) {
    const s = ax - 1;
    const pq = poly(PA, s) / poly(QA, s);
    return x >= 0 ? 1 - ERX - pq : 1 + ERX + pq;
  }
  if (ax < 28) {
    if (x < -6) return 2;
    const r = tail(ax);
    return x > 0 ? r : 2 - r;
  }
  return x > 0 ? 0 : 2;
}

const SQRT1_2 = Math.SQRT1_2;
const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

/** Standard normal CDF Φ(z). */
export function ndtr(z: number): number {
  return 0.5 * erfc(-z * SQRT1_2);
}

/** log Φ(z), accurate in both tails (log1p of the upper tail above 0, asymptotic series below -20). */
export function logNdtr(z: number): number {
  if (z > 0) return Math.log1p(-ndtr(-z));
  if (z > -20) return Math.log(ndtr(z));
  if (z === -Infinity) return -Infinity;
  // log Φ(z) = -z^2/2 - log(-z) - log sqrt(2π) + log(1 - 1/z^2 + 3/z^4 - 15/z^6 + ...)
  const lhs = -0.5 * z * z - Math.log(-z) - LOG_SQRT_2PI;
  const inv = 1 / (z * z);
  let total = 1, last = 0, term = 1, sign = 1;
  for (let i = 1; Math.abs(total - last) > Number.EPSILON && i < 100; i++) {
    last = total;
    sign = -sign;
    term *= (2 * i - 1) * inv;
    total += sign * term;
  }
  return lhs + Math.log(total);
}

/** log(exp(lp) - exp(lq)) for lp >= lq. */
function logDiff(lp: number, lq: number): number {
  if (lq === -Infinity) return lp;
  return lp + Math.log1p(-Math.exp(lq - lp));
}

/** log(Φ(b) - Φ(a)) for a <= b, evaluated on the left tail by symmetry so far-away intervals do not underflow. */
export function logGaussMass(a: number, b: number): number {
  if (b <= 0) return leftMass(a, b);
  if (a > 0) return leftMass(-b, -a);
  return Math.log1p(-ndtr(a) - ndtr(-b));
}

/** log(Φ(b) - Φ(a)) for a <= b <= 0: direct when the difference keeps >= 10 significant bits, else in log space. */
function leftMass(a: number, b: number): number {
  if (b > -37) {
    const pb = ndtr(b), pa = ndtr(a);
    const diff = pb - pa;
    if (diff > 1e-3 * pb) return Math.log(diff);
  }
  return logDiff(logNdtr(b), logNdtr(a));
}

/** Log density of N(mu, sigma) truncated to [low, high] at x (-Infinity outside), including the -log sigma term. */
export function truncnormLogPdf(x: number, mu: number, sigma: number, low: number, high: number): number {
  if (x < low || x > high) return -Infinity;
  const z = (x - mu) / sigma;
  return -0.5 * z * z - LOG_SQRT_2PI - Math.log(sigma) - logGaussMass((low - mu) / sigma, (high - mu) / sigma);
}

// Acklam's rational approximation of the normal quantile (relative error < 1.2e-9), polished by Newton steps on log Φ
const AC = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
const AD = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
const AE = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
const AF = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];

function acklam(p: number, logP: number, log1mP: number): number {
  if (p < 0.02425) {
    const q = Math.sqrt(-2 * logP);
    return (((((AE[0] * q + AE[1]) * q + AE[2]) * q + AE[3]) * q + AE[4]) * q + AE[5]) / ((((AF[0] * q + AF[1]) * q + AF[2]) * q + AF[3]) * q + 1);
  }
  if (p > 1 - 0.02425) {
    const q = Math.sqrt(-2 * log1mP);
    return -(((((AE[0] * q + AE[1]) * q + AE[2]) * q + AE[3]) * q + AE[4]) * q + AE[5]) / ((((AF[0] * q + AF[1]) * q + AF[2]) * q + AF[3]) * q + 1);
  }
  const q = p - 0.5, r = q * q;
  return ((((((AC[0] * r + AC[1]) * r + AC[2]) * r + AC[3]) * r + AC[4]) * r + AC[5]) * q) / (((((AD[0] * r + AD[1]) * r + AD[2]) * r + AD[3]) * r + AD[4]) * r + 1);
}

/** Inverse of log Φ: the z with log Φ(z) = y. */
export function ndtriExp(y: number): number {
  if (y >= 0) return Infinity;
  if (y === -Infinity) return -Infinity;
  let z: number;
  if (y < -700) {
    const t = -2 * y; // far left tail: -z ≈ sqrt(t - log(2π t))
    z = -Math.sqrt(t - Math.log(2 * Math.PI * t));
  } else {
    z = acklam(Math.exp(y), y, Math.log(-Math.expm1(y)));
  }
  for (let i = 0; i < 8; i++) {
    const lf = logNdtr(z);
    const g = Math.exp(-0.5 * z * z - LOG_SQRT_2PI - lf); // d/dz log Φ(z)
    const step = (lf - y) / g;
    if (!Number.isFinite(step)) break;
    z -= step;
    if (Math.abs(step) <= 1e-13 * Math.max(1, Math.abs(z))) break;
  }
  return z;
}

/** Quantile q in [0, 1) of the standard normal truncated to [a, b] (in standard units). */
export function truncnormPpf(q: number, a: number, b: number): number {
  if (a === b) return a;
  const logMass = logGaussMass(a, b);
  let x: number;
  if (a < 0) {
    const lo = logNdtr(a);
    const t = Math.log(q) + logMass;
    const y = lo > t ? lo + Math.log1p(Math.exp(t - lo)) : t + Math.log1p(Math.exp(lo - t));
    x = ndtriExp(y);
  } else {
    const lo = logNdtr(-b);
    const t = Math.log1p(-q) + logMass;
    const y = lo > t ? lo + Math.log1p(Math.exp(t - lo)) : t + Math.log1p(Math.exp(lo - t));
    x = -ndtriExp(y);
  }
  if (!(x >= a)) x = a;
  if (x > b) x = b;
  return x;
}
