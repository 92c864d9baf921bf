// Calibration of class probabilities: Brier score, expected calibration error, reliability bins, and temperature
// scaling (Guo et al. 2017) fitted on one set of forecasts and applied to another. probs are (n, V) row-major;
// truths >= V are missing and skipped.
import { goldenSection } from '../market/optimize.ts';

/** Mean over rows of sum_j (p_j - [y = j])^2 (multi-class Brier score, range 0..2). */
export function brier(probs: ArrayLike<number>, truth: ArrayLike<number>, V: number): number {
  let s = 0, n = 0;
  for (let i = 0; i < truth.length; i++) {
    const y = truth[i];
    if (y >= V) continue;
    n++;
    for (let j = 0; j < V; j++) { const d = probs[i * V + j] - (j === y ? 1 : 0); s += d * d; }
  }
  return n ? s / n : NaN;
}

export interface ReliabilityBin {
  /** bin [low, high) of the predicted probability */
  low: number;
  high: number;
  count: number;
  /** mean predicted probability in the bin (NaN when empty) */
  confidence: number;
  /** observed frequency in the bin (NaN when empty) */
  frequency: number;
}

/**
 * Reliability of one-vs-rest probabilities: every (row, class) pair, binned by its predicted probability into
 * `bins` equal-width bins, against how often that class happened. `cls` restricts to one class.
 */
export function reliability(probs: ArrayLike<number>, truth: ArrayLike<number>, V: number, bins = 10, cls?: number): ReliabilityBin[] {
  const cnt = new Float64Array(bins), sp = new Float64Array(bins), hit = new Float64Array(bins);
  for (let i = 0; i < truth.length; i++) {
    const y = truth[i];
    if (y >= V) continue;
    for (let j = cls ?? 0; j < (cls === undefined ? V : cls + 1); j++) {
      const p = probs[i * V + j], b = Math.min(bins - 1, Math.max(0, Math.floor(p * bins)));
      cnt[b]++; sp[b] += p; if (y === j) hit[b]++;
    }
  }
  return Array.from({ length: bins }, (_, b) => ({
    low: b / bins, high: (b + 1) / bins, count: cnt[b], confidence: cnt[b] ? sp[b] / cnt[b] : NaN, frequency: cnt[b] ? hit[b] / cnt[b] : NaN,
  }));
}

/**
 * Expected calibration error: the count-weighted mean |frequency - confidence| over reliability bins. `top` (default)
 * uses each row's largest probability and whether that class happened (Guo et al.); `classwise` every class's.
 */
export function ece(probs: ArrayLike<number>, truth: ArrayLike<number>, V: number, opts: { bins?: number; kind?: 'top' | 'classwise' } = {}): number {
  const bins = opts.bins ?? 10;
  if ((opts.kind ?? 'top') === 'classwise') {
    let s = 0;
    for (let c = 0; c < V; c++) s += eceOf(reliability(probs, truth, V, bins, c));
    return s / V;
  }
  const cnt = new Float64Array(bins), sp = new Float64Array(bins), hit = new Float64Array(bins);
  for (let i = 0; i < truth.length; i++) {
    const y = truth[i];
    if (y >= V) continue;
    let best = 0;
    for (let j = 1; j < V; j++) if (probs[i * V + j] > probs[i * V + best]) best = j;
    const p = probs[i * V + best], b = Math.min(bins - 1, Math.floor(p * bins));
    cnt[b]++; sp[b] += p; if (y === best) hit[b]++;
  }
  let n = 0, s = 0;
  for (let b = 0; b < bins; b++) { n += cnt[b]; if (cnt[b]) s += Math.abs(hit[b] - sp[b]); }
  return n ? s / n : NaN;
}

function eceOf(bins: ReliabilityBin[]): number {
  let n = 0, s = 0;
  for (const b of bins) if (b.count) { n += b.count; s += b.count * Math.abs(b.frequency - b.confidence); }
  return n ? s / n : NaN;
}

/** Probabilities softmax(log p / temperature), row by row. */
export function applyTemperature(probs: ArrayLike<number>, V: number, temperature: number): Float64Array {
  const n = Math.floor(probs.length / V), out = new Float64Array(n * V);
  for (let i = 0; i < n; i++) {
    let mx = -Infinity;
    for (let j = 0; j < V; j++) { const z = Math.log(Math.max(probs[i * V + j], 1e-12)) / temperature; out[i * V + j] = z; if (z > mx) mx = z; }
    let s = 0;
    for (let j = 0; j < V; j++) { out[i * V + j] = Math.exp(out[i * V + j] - mx); s += out[i * V + j]; }
    for (let j = 0; j < V; j++) out[i * V + j] /= s;
  }
  return out;
}

/** The temperature in [0.05, 20] minimising the log loss of `probs` against `truth` (golden section on log T). */
export function fitTemperature(probs: ArrayLike<number>, truth: ArrayLike<number>, V: number): number {
  const logits: number[] = [], ys: number[] = [];
  for (let i = 0; i < truth.length; i++) {
    if (truth[i] >= V) continue;
    ys.push(truth[i]);
    for (let j = 0; j < V; j++) logits.push(Math.log(Math.max(probs[i * V + j], 1e-12)));
  }
  if (ys.length === 0) return 1;
  const nll = (logT: number): number => {
    const inv = Math.exp(-logT);
    let s = 0;
    for (let i = 0; i < ys.length; i++) {
      let mx = -Infinity;
      for (let j = 0; j < V; j++) mx = Math.max(mx, logits[i * V + j] * inv);
      let z = 0;
      for (let j = 0; j < V; j++) z += Math.exp(logits[i * V + j] * inv - mx);
      s -= logits[i * V + ys[i]] * inv - mx - Math.log(z);
    }
    return s / ys.length;
  };
  return Math.exp(goldenSection(nll, Math.log(0.05), Math.log(20), 1e-6));
}
