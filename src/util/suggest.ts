// "Did you mean ...?" hints for misspelt coins, verbs and config keys: the nearest candidates by edit distance.

/** Optimal-string-alignment distance: insertions, deletions, substitutions and adjacent swaps each cost 1. */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/** The candidates closest to `word` (case-insensitive), if any is within a third of its length (at least 1 edit). */
export function nearest(word: string, candidates: readonly string[]): string[] {
  const w = word.toLowerCase();
  const limit = Math.max(1, Math.floor(w.length / 3));
  let best = Infinity;
  let out: string[] = [];
  for (const c of candidates) {
    const dist = editDistance(w, c.toLowerCase());
    if (dist > limit || dist > best) continue;
    if (dist < best) { best = dist; out = []; }
    out.push(c);
  }
  return out;
}

/** ` (did you mean X?)` for the nearest candidate(s), or '' when none is close. */
export function didYouMean(word: string, candidates: readonly string[]): string {
  const near = nearest(word, candidates);
  return near.length ? ` (did you mean ${near.join(' or ')}?)` : '';
}
