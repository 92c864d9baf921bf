// Confidence intervals by moving-block bootstrap over windows: consecutive windows overlap (stride 1),
// so their errors are correlated and resampling single windows would give intervals that are too narrow.
import { Rng } from '../util/rng.ts';

/** block: the block length used, where it was chosen per interval */
export interface Interval { estimate: number; low: number; high: number; block?: number }

/** Indices of one block-bootstrap resample of n items with blocks of length L (circular). */
export function blockResample(n: number, L: number, rng: Rng, out = new Int32Array(n)): Int32Array {
  let k = 0;
  while (k < n) {
    const start = rng.int(n);
    for (let j = 0; j < L && k < n; j++) out[k++] = (start + j) % n;
  }
  return out;
}

/** Percentile interval of the mean of `values` (NaN entries skipped) under block bootstrap. */
export function bootstrapMean(values: Float64Array, opts: { samples: number; confidence: number; block: number; seed: number }): Interval {
  return bootstrapStat((idx) => meanAt(values, idx), values.length, opts);
}

/** Generic percentile bootstrap of stat(indices). */
export function bootstrapStat(stat: (idx: Int32Array | null) => number, n: number,
  opts: { samples: number; confidence: number; block: number; seed: number }): Interval {
  const estimate = stat(null);
  if (opts.samples <= 0 || n === 0) return { estimate, low: NaN, high: NaN };
  const rng = new Rng(opts.seed), idx = new Int32Array(n), stats: number[] = [];
  for (let s = 0; s < opts.samples; s++) {
    const v = stat(blockResample(n, Math.max(1, opts.block), rng, idx));
    if (Number.isFinite(v)) stats.push(v);
  }
  stats.sort((a, b) => a - b);
  const alpha = (1 - opts.confidence) / 2;
  const q = (p: number) => stats[Math.min(stats.length - 1, Math.max(0, Math.floor(p * (stats.length - 1) + 0.5)))];
  return { estimate, low: q(alpha), high: q(1 - alpha) };
}

function meanAt(v: Float64Array, idx: Int32Array | null): number {
  let s = 0, n = 0;
  const m = idx ? idx.length : v.length;
  for (let i = 0; i < m; i++) {
    const x = v[idx ? idx[i] : i];
    if (!Number.isNaN(x)) { s += x; n++; }
  }
  return n ? s / n : NaN;
}
