// The Parzen estimator of TPE (Optuna 4.9): a weighted mixture of product kernels, one component per observation plus a prior.
// Follows docs/tuning.md#parzen-estimator (bandwidth rules, magic clip, truncated-normal / grid-mass / categorical kernels) and Bergstra et al. 2011.
import type { Distribution } from '../../distributions.ts';
import type { Rng } from '../../../util/rng.ts';
import { logGaussMass, truncnormPpf } from './truncnorm.ts';

export interface ParzenParams {
  /** Weight of the prior component before normalisation (Optuna's prior_weight). */
  priorWeight: number;
  considerMagicClip: boolean;
  considerEndpoints: boolean;
  /** Unnormalised weights of m observations ordered by trial number. */
  weights: (m: number) => number[];
  /** Multivariate (Scott-like, shared) bandwidth instead of the univariate neighbour-gap rule. */
  multivariate: boolean;
}

/** Numerical kernels of one parameter in the transformed (widened, log) space. */
export interface NumericalKernels {
  kind: 'numerical';
  mus: Float64Array;
  sigmas: Float64Array;
  /** transformed, widened domain */
  lo: number;
  hi: number;
  log: boolean;
  step: number | null;
  low: number;
  high: number;
  /** per component: -log sigma - log sqrt(2π) - log Z (continuous) or -log Z (discrete) */
  logNorm: Float64Array;
  invSigmas: Float64Array;
  logSigmas: Float64Array;
  /** uid[i]: index of component i's distinct (mu, sigma) pair; nUnique pairs in all */
  uid: Int32Array;
  nUnique: number;
}

export interface CategoricalKernels {
  kind: 'categorical';
  /** rows = components, columns = choices */
  probs: Float64Array[];
  logProbs: Float64Array[];
}

export type Kernels = NumericalKernels | CategoricalKernels;

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);
const EPS = 1e-12;

/** Optuna's default_weights: ones below 25 observations, then a linear ramp for the oldest ones. */
export function defaultWeights(m: number): number[] {
  if (m === 0) return [];
  if (m < 25) return new Array(m).fill(1);
  const n = m - 25;
  const ramp: number[] = [];
  // numpy.linspace(1/m, 1, n): i * step + start, last point exactly 1
  const step = n > 1 ? (1 - 1 / m) / (n - 1) : 0;
  for (let i = 0; i < n; i++) ramp.push(i === n - 1 && n > 1 ? 1 : i * step + 1 / m);
  return ramp.concat(new Array(25).fill(1));
}

/** Univariate bandwidths: larger neighbour gap with the domain edges as outer neighbours; stable order for ties. */
function univariateSigmas(mus: Float64Array, lo: number, hi: number, considerEndpoints: boolean): Float64Array {
  const m = mus.length;
  const order = Array.from({ length: m }, (_, i) => i).sort((a, b) => mus[a] - mus[b]);
  const sorted = [lo, ...order.map((i) => mus[i]), hi];
  const out = new Float64Array(m);
  for (let k = 0; k < m; k++) {
    let s = Math.max(sorted[k + 1] - sorted[k], sorted[k + 2] - sorted[k + 1]);
    if (!considerEndpoints && m >= 2) {
      if (k === 0) s = sorted[2] - sorted[1];
      else if (k === m - 1) s = sorted[m] - sorted[m - 1];
    }
    out[order[k]] = s;
  }
  return out;
}

function numericalKernels(obs: readonly number[], d: Exclude<Distribution, { kind: 'categorical' }>, p: ParzenParams, nParams: number): NumericalKernels {
  const step = d.kind === 'int' ? d.step : d.step;
  let lo = step === null ? d.low : d.low - step / 2;
  let hi = step === null ? d.high : d.high + step / 2;
  if (d.log) {
    lo = Math.log(lo);
    hi = Math.log(hi);
  }
  const m = obs.length;
  const mus = new Float64Array(m + 1);
  for (let i = 0; i < m; i++) mus[i] = d.log ? Math.log(obs[i]) : obs[i];
  let sig: Float64Array;
  if (p.multivariate) {
    sig = new Float64Array(m).fill(0.2 * Math.max(m, 1) ** (-1 / (nParams + 4)) * (hi - lo));
  } else {
    sig = univariateSigmas(mus.subarray(0, m), lo, hi, p.considerEndpoints);
  }
  const maxSigma = hi - lo;
  const minSigma = p.considerMagicClip ? (hi - lo) / Math.min(100, m + 2) : EPS;
  const sigmas = new Float64Array(m + 1);
  for (let i = 0; i < m; i++) sigmas[i] = Math.min(Math.max(sig[i], minSigma), maxSigma);
  mus[m] = 0.5 * (lo + hi);
  sigmas[m] = hi - lo;
  // components with the same (mu, sigma) share every kernel value; grids and shared bandwidths make such repeats common
  const { uid, first } = uniquePairs(mus, sigmas);
  const logNormU = new Float64Array(first.length);
  for (let u = 0; u < first.length; u++) {
    const i = first[u];
    const a = (lo - mus[i]) / sigmas[i], b = (hi - mus[i]) / sigmas[i];
    // both edges beyond 10 sigma: Z = 1 - O(1e-23), log Z = 0 to far below the parity tolerance
    const logZ = a < -10 && b > 10 ? 0 : logGaussMass(a, b);
    logNormU[u] = step === null ? -Math.log(sigmas[i]) - LOG_SQRT_2PI - logZ : -logZ;
  }
  const logNorm = Float64Array.from(uid, (u) => logNormU[u]);
  const invSigmas = sigmas.map((v) => 1 / v);
  const logSigmas = sigmas.map(Math.log);
  return { kind: 'numerical', mus, sigmas, lo, hi, log: d.log, step, low: d.low, high: d.high, logNorm, invSigmas, logSigmas, uid, nUnique: first.length };
}

/** uid[i] = index of component i's (mu, sigma) pair among the distinct pairs; first[u] = first component with pair u. */
function uniquePairs(mus: Float64Array, sigmas: Float64Array): { uid: Int32Array; first: number[] } {
  const byMu = new Map<number, number[]>();
  const uid = new Int32Array(mus.length);
  const first: number[] = [];
  for (let i = 0; i < mus.length; i++) {
    let list = byMu.get(mus[i]);
    if (!list) byMu.set(mus[i], (list = []));
    let u = -1;
    for (const c of list) if (sigmas[first[c]] === sigmas[i]) { u = c; break; }
    if (u < 0) {
      u = first.length;
      first.push(i);
      list.push(u);
    }
    uid[i] = u;
  }
  return { uid, first };
}

function categoricalKernels(obs: readonly number[], nChoices: number, priorWeight: number): CategoricalKernels {
  const m = obs.length;
  const probs: Float64Array[] = [];
  if (m === 0) {
    probs.push(new Float64Array(nChoices).fill(1 / nChoices));
  } else {
    for (let i = 0; i <= m; i++) {
      const row = new Float64Array(nChoices).fill(priorWeight / (m + 1));
      if (i < m) row[Math.round(obs[i])] += 1;
      let sum = 0;
      for (const v of row) sum += v;
      if (sum === 0) sum = 1;
      for (let c = 0; c < nChoices; c++) row[c] /= sum;
      probs.push(row);
    }
  }
  return { kind: 'categorical', probs, logProbs: probs.map((r) => r.map(Math.log)) };
}

/** A fitted Parzen estimator over a search space; values are internal (categorical = choice index). */
export class ParzenEstimator {
  readonly weights: Float64Array;
  readonly logWeights: Float64Array;
  readonly kernels: Record<string, Kernels> = {};
  readonly names: string[];

  /** observations[name][i] = internal value of observation i (ordered by trial number); every name has the same length. */
  constructor(observations: Record<string, readonly number[]>, searchSpace: Record<string, Distribution>, params: ParzenParams) {
    if (params.priorWeight < 0) throw new RangeError(`prior_weight must be >= 0, got ${params.priorWeight}`);
    this.names = Object.keys(searchSpace);
    const m = this.names.length ? observations[this.names[0]]?.length ?? 0 : 0;
    let w: number[];
    if (m === 0) w = [1];
    else w = params.weights(m).slice(0, m).concat([params.priorWeight]);
    const sum = w.reduce((a, b) => a + b, 0);
    this.weights = Float64Array.from(w, (x) => x / sum);
    this.logWeights = this.weights.map(Math.log);
    for (const name of this.names) {
      const d = searchSpace[name];
      const obs = observations[name] ?? [];
      this.kernels[name] = d.kind === 'categorical'
        ? categoricalKernels(obs, d.choices.length, params.priorWeight)
        : numericalKernels(obs, d, params, this.names.length);
    }
  }

  /**
   * Log density (log mass for discrete parameters) of each point; samples[name][j] is point j's internal value.
   * Components whose cheap upper bound lies 40 nats below an exact component are skipped: they change the
   * logsumexp by less than K·e^-40 (~1e-15 relative), far inside the 1e-9 parity tolerance.
   */
  logPdf(samples: Record<string, ArrayLike<number>>): Float64Array {
    const K = this.weights.length;
    const n = this.names.length ? samples[this.names[0]].length : 0;
    const out = new Float64Array(n);
    const base = new Float64Array(K), ub = new Float64Array(K);
    const disc = this.names.map((k) => this.kernels[k]).filter((k): k is NumericalKernels => k.kind === 'numerical' && k.step !== null);
    const cellA = new Float64Array(disc.length), cellB = new Float64Array(disc.length);
    // per discrete parameter: cell lower edge -> row of lazily filled log masses over components (candidates repeat cells);
    // rows live in one shared scratch buffer so a call allocates (almost) nothing
    const caches = disc.map(() => new Map<number, number>());
    const rowOf: number[] = new Array(disc.length);
    let nRows = 0;
    const scratch = scratchRows(disc.length * n, K);
    for (let j = 0; j < n; j++) {
      base.set(this.logWeights);
      ub.fill(0);
      let di = 0;
      for (const name of this.names) {
        const k = this.kernels[name];
        const x = samples[name][j];
        if (k.kind === 'categorical') {
          const c = Math.round(x);
          for (let i = 0; i < K; i++) base[i] += k.logProbs[i][c];
        } else if (k.step === null) {
          const t = k.log ? Math.log(x) : x;
          const { mus, invSigmas, logNorm } = k;
          for (let i = 0; i < K; i++) {
            const z = (t - mus[i]) * invSigmas[i];
            base[i] += -0.5 * z * z + logNorm[i];
          }
        } else {
          let a = x - k.step / 2, b = x + k.step / 2;
          if (k.log) { a = Math.log(Math.max(a, 0)); b = Math.log(b); }
          a = Math.max(a, k.lo);
          b = Math.min(b, k.hi);
          cellA[di] = a;
          cellB[di] = b;
          let row = caches[di].get(a);
          if (row === undefined) {
            caches[di].set(a, (row = nRows++));
            scratch.fill(Number.NaN, row * K, row * K + k.nUnique);
          }
          rowOf[di] = row * K;
          di++;
          // mass of [a, b] <= (b - a)/sigma * φ(distance to the cell) and <= Z
          const logWidth = Math.log(b - a) - LOG_SQRT_2PI;
          const { mus, invSigmas, logSigmas, logNorm } = k;
          for (let i = 0; i < K; i++) {
            const m = mus[i];
            const d = (a > m ? a - m : m > b ? m - b : 0) * invSigmas[i];
            const bound = logWidth - logSigmas[i] - 0.5 * d * d;
            ub[i] += (bound < 0 ? bound : 0) + logNorm[i];
          }
        }
      }
      if (disc.length === 0) {
        out[j] = logSumExp(base, K);
        continue;
      }
      let imax = 0;
      for (let i = 1; i < K; i++) if (base[i] + ub[i] > base[imax] + ub[imax]) imax = i;
      const exactMax = base[imax] + discreteLogMass(disc, cellA, cellB, scratch, rowOf, imax);
      const threshold = exactMax - 40;
      for (let i = 0; i < K; i++) base[i] = i === imax ? exactMax : base[i] + ub[i] >= threshold ? base[i] + discreteLogMass(disc, cellA, cellB, scratch, rowOf, i) : -Infinity;
      out[j] = logSumExp(base, K);
    }
    return out;
  }

  /** Draws `size` points: one component per point (probability = weight), then each parameter from that component. */
  sample(rng: Rng, size: number): Record<string, Float64Array> {
    const cum = new Float64Array(this.weights.length);
    let c = 0;
    for (let i = 0; i < cum.length; i++) cum[i] = c += this.weights[i];
    const comps = new Int32Array(size);
    for (let j = 0; j < size; j++) {
      const u = rng.random() * c;
      let i = 0;
      while (i < cum.length - 1 && cum[i] <= u) i++;
      comps[j] = i;
    }
    const out: Record<string, Float64Array> = {};
    for (const name of this.names) out[name] = sampleKernels(this.kernels[name], comps, rng);
    return out;
  }
}

let scratchBuf = new Float64Array(0);
function scratchRows(rows: number, K: number): Float64Array {
  if (scratchBuf.length < rows * K) scratchBuf = new Float64Array(rows * K);
  return scratchBuf;
}

function discreteLogMass(disc: NumericalKernels[], cellA: Float64Array, cellB: Float64Array, cache: Float64Array, rowOf: number[], i: number): number {
  let s = 0;
  for (let p = 0; p < disc.length; p++) {
    const k = disc[p];
    const at = rowOf[p] + k.uid[i];
    let v = cache[at];
    if (Number.isNaN(v)) v = cache[at] = logGaussMass((cellA[p] - k.mus[i]) * k.invSigmas[i], (cellB[p] - k.mus[i]) * k.invSigmas[i]) + k.logNorm[i];
    s += v;
  }
  return s;
}

function logSumExp(v: Float64Array, K: number): number {
  let max = -Infinity;
  for (let i = 0; i < K; i++) if (v[i] > max) max = v[i];
  if (max === -Infinity) return -Infinity;
  let s = 0;
  for (let i = 0; i < K; i++) s += Math.exp(v[i] - max);
  return max + Math.log(s);
}

function sampleKernels(k: Kernels, comps: Int32Array, rng: Rng): Float64Array {
  const out = new Float64Array(comps.length);
  for (let j = 0; j < comps.length; j++) {
    const i = comps[j];
    if (k.kind === 'categorical') {
      const row = k.probs[i];
      let u = rng.random(), c = 0;
      while (c < row.length - 1 && (u -= row[c]) >= 0) c++;
      out[j] = c;
      continue;
    }
    const mu = k.mus[i], sigma = k.sigmas[i];
    const t = truncnormPpf(rng.random(), (k.lo - mu) / sigma, (k.hi - mu) / sigma) * sigma + mu;
    let x = k.log ? Math.exp(t) : t;
    if (k.step !== null) x = Math.min(Math.max(k.low + Math.round((x - k.low) / k.step) * k.step, k.low), k.high);
    else x = Math.min(Math.max(x, k.low), k.high);
    out[j] = x;
  }
  return out;
}
