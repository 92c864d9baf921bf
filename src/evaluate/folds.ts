// Walk-forward folds over the cleaned hours (docs/walk-forward.md): the last part of the data is cut into K
// consecutive test blocks; fold k trains on everything before its block (expanding window), its last share as
// validation, with `embargo` hours dropped before the validation and before the test rows so that no window or
// target straddles two parts; and the mean of each metric over the folds with a Student-t interval.
import { tQuantile } from '../market/special.ts';
import { HOUR_MS } from '../data/candles.ts';
import { UserError } from '../util/errors.ts';

export interface FoldPlan {
  fold: number;
  /** inclusive row indices: train [0, trainEnd], validation (trainEnd, valEnd], test [testStart, testEnd] */
  trainEnd: number;
  valEnd: number;
  testStart: number;
  testEnd: number;
}

/**
 * K folds over n hours (openTime: each row's open time, ms, ascending). The test blocks split [round(n x
 * initialFraction), n) into K nearly equal parts. Before block k: the `embargoHours` hours right before it belong to
 * no split, the rest is train + validation with the last `valFraction` of it as validation (whose first embargo hours
 * the split step also drops).
 */
export function planFolds(openTime: ArrayLike<number>, opts: { folds: number; initialFraction: number; valFraction: number; embargoHours: number; minRows: number }): FoldPlan[] {
  const n = openTime.length, K = opts.folds;
  if (!Number.isInteger(K) || K < 1) throw new UserError(`--folds: expected a positive integer, got ${K}`);
  const s0 = Math.round(n * opts.initialFraction), block = Math.floor((n - s0) / K);
  const need = opts.minRows + opts.embargoHours;
  if (block < need) {
    throw new UserError(`walk-forward: ${K} folds over the last ${n - s0} of ${n} hours give test blocks of ${block} hours, fewer than the ` +
      `${need} needed (embargo ${opts.embargoHours} + window and target ${opts.minRows}); use fewer folds or a smaller walk_forward.initial_train_fraction`);
  }
  const folds: FoldPlan[] = [];
  for (let k = 0; k < K; k++) {
    const testStart = s0 + k * block, testEnd = k === K - 1 ? n - 1 : testStart + block - 1;
    // the last row before the test block that lies more than embargoHours before it
    let valEnd = testStart - 1;
    while (valEnd >= 0 && openTime[testStart] - openTime[valEnd] <= opts.embargoHours * HOUR_MS) valEnd--;
    const valRows = Math.round((valEnd + 1) * opts.valFraction);
    const trainEnd = valEnd - valRows;
    if (trainEnd + 1 < opts.minRows || valRows < need) {
      throw new UserError(`walk-forward: fold ${k + 1} has ${trainEnd + 1} training and ${valRows} validation hours before its test block, too few ` +
        `(need ${opts.minRows} and ${need}); raise walk_forward.initial_train_fraction or use fewer folds`);
    }
    folds.push({ fold: k + 1, trainEnd, valEnd, testStart, testEnd });
  }
  return folds;
}

export interface FoldMean { values: (number | null)[]; mean: number | null; low: number | null; high: number | null }

/** Mean over folds of the finite values, with a Student-t interval (null with fewer than two values). */
export function meanOverFolds(values: (number | null)[], confidence: number): FoldMean {
  const v = values.filter((x): x is number => x !== null && Number.isFinite(x));
  if (v.length === 0) return { values, mean: null, low: null, high: null };
  const m = v.reduce((a, b) => a + b, 0) / v.length;
  if (v.length < 2) return { values, mean: m, low: null, high: null };
  const sd = Math.sqrt(v.reduce((a, x) => a + (x - m) ** 2, 0) / (v.length - 1));
  const half = tQuantile(0.5 + confidence / 2, v.length - 1) * sd / Math.sqrt(v.length);
  return { values, mean: m, low: m - half, high: m + half };
}
