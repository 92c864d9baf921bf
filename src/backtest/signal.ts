// From class probabilities to a position each hour: which token bins mean "up" and "down" (from their log-return
// ranges), the score P(up) - P(down), and the threshold rule long / flat / short.

export type Range = readonly [number | null, number | null]; // [low, high) of a bin's log return; null = -inf / +inf

/** Bins whose whole range lies above zero are "up", below zero "down"; a bin that straddles zero is "flat". */
export function directionOfBins(ranges: readonly Range[]): { up: number[]; down: number[] } {
  const up: number[] = [], down: number[] = [];
  ranges.forEach(([lo, hi], j) => {
    if (lo !== null && lo >= 0) up.push(j);
    else if (hi !== null && hi <= 0) down.push(j);
  });
  return { up, down };
}

/** score_i = P(up) - P(down) for each row of probs (n, V). */
export function upMinusDown(probs: ArrayLike<number>, V: number, dir: { up: number[]; down: number[] }): Float64Array {
  const n = probs.length / V, s = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let v = 0;
    for (const j of dir.up) v += probs[i * V + j];
    for (const j of dir.down) v -= probs[i * V + j];
    s[i] = v;
  }
  return s;
}

/** +1 when score > threshold, -1 when score < -threshold (0 instead when shorting is off), else 0. */
export function positionsFromScore(score: ArrayLike<number>, threshold: number, allowShort: boolean): Int8Array {
  const p = new Int8Array(score.length);
  for (let i = 0; i < score.length; i++) {
    if (score[i] > threshold) p[i] = 1;
    else if (allowShort && score[i] < -threshold) p[i] = -1;
  }
  return p;
}

/** Thresholds worth trying on a score series: 0 and the 50th..99th percentiles of |score| (distinct values, ascending). */
export function thresholdGrid(score: ArrayLike<number>): number[] {
  const a = Float64Array.from(score, Math.abs).sort();
  const out = new Set<number>([0]);
  if (a.length) for (const q of [0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 0.975, 0.99]) out.add(a[Math.min(a.length - 1, Math.floor(q * a.length))]);
  return [...out].sort((x, y) => x - y);
}
