// The "best baseline": for each forecast hour, the candidate with the best score on the validation forecasts. The
// choice is then applied unchanged to the test forecasts, so the model is never compared with a baseline picked
// for its luck on the data it is judged on.

/** scores[name][h] (NaN = not available); returns per hour the best candidate's name ('' when none has a score). */
export function bestPerHour(scores: Record<string, ArrayLike<number>>, candidates: string[], higherIsBetter: boolean): string[] {
  const H = Math.max(0, ...candidates.map((c) => scores[c]?.length ?? 0));
  return Array.from({ length: H }, (_, h) => {
    let best = '', bv = NaN;
    for (const c of candidates) {
      const v = scores[c]?.[h];
      if (v === undefined || !Number.isFinite(v)) continue;
      if (best === '' || (higherIsBetter ? v > bv : v < bv)) { best = c; bv = v; }
    }
    return best;
  });
}

/** The candidate with the best mean score over hours (NaN hours skipped); '' when none has a score. */
export function bestOverall(scores: Record<string, ArrayLike<number>>, candidates: string[], higherIsBetter: boolean): string {
  let best = '', bv = NaN;
  for (const c of candidates) {
    const s = scores[c];
    if (!s) continue;
    let sum = 0, n = 0;
    for (let h = 0; h < s.length; h++) if (Number.isFinite(s[h])) { sum += s[h]; n++; }
    if (!n) continue;
    const v = sum / n;
    if (best === '' || (higherIsBetter ? v > bv : v < bv)) { best = c; bv = v; }
  }
  return best;
}
