// Classification metrics for token forecasts: accuracy, log loss, per-class precision/recall, confusion matrices.

/** Fraction of positions where pred equals truth, ignoring truths marked invalid (>= V, e.g. 255). */
export function accuracy(pred: ArrayLike<number>, truth: ArrayLike<number>, V: number): number {
  let n = 0, hit = 0;
  for (let i = 0; i < truth.length; i++) {
    if (truth[i] >= V) continue;
    n++;
    if (pred[i] === truth[i]) hit++;
  }
  return n ? hit / n : NaN;
}

/** Mean negative log probability of the true class; probs is (n, V) row-major; clipped at 1e-12. */
export function logLoss(probs: Float32Array | Float64Array, truth: ArrayLike<number>, V: number): number {
  let n = 0, s = 0;
  for (let i = 0; i < truth.length; i++) {
    const y = truth[i];
    if (y >= V) continue;
    n++;
    s -= Math.log(Math.max(probs[i * V + y], 1e-12));
  }
  return n ? s / n : NaN;
}

/** Confusion matrix: rows = true class, columns = predicted class. */
export function confusion(pred: ArrayLike<number>, truth: ArrayLike<number>, V: number): number[][] {
  const m = Array.from({ length: V }, () => new Array<number>(V).fill(0));
  for (let i = 0; i < truth.length; i++) if (truth[i] < V && pred[i] < V) m[truth[i]][pred[i]]++;
  return m;
}

/** Per-class precision and recall from a confusion matrix (NaN where undefined). */
export function precisionRecall(cm: number[][]): { precision: number[]; recall: number[]; support: number[] } {
  const V = cm.length;
  const precision: number[] = [], recall: number[] = [], support: number[] = [];
  for (let c = 0; c < V; c++) {
    let col = 0, row = 0;
    for (let j = 0; j < V; j++) { col += cm[j][c]; row += cm[c][j]; }
    precision.push(col ? cm[c][c] / col : NaN);
    recall.push(row ? cm[c][c] / row : NaN);
    support.push(row);
  }
  return { precision, recall, support };
}

/** Fraction of windows whose forecasts are right at every one of the H hours (windows with any invalid truth skipped). */
export function sequenceAccuracy(pred: Uint8Array, truth: Uint8Array, N: number, H: number, V: number): number {
  let n = 0, hit = 0;
  outer: for (let i = 0; i < N; i++) {
    let all = true;
    for (let h = 0; h < H; h++) {
      const y = truth[i * H + h];
      if (y >= V) continue outer;
      if (pred[i * H + h] !== y) all = false;
    }
    n++;
    if (all) hit++;
  }
  return n ? hit / n : NaN;
}

