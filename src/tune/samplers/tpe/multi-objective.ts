// Multi-objective TPE (Optuna 4.9's TPESampler with several directions, docs/tuning.md#multi-objective-tpe): COMPLETE
// trials split by non-domination rank, the last rank that does not fit whole tie-broken by greedy hypervolume subset
// selection; the below trials weighted by their hypervolume contribution.
import type { FrozenTrial, StudyDirection } from '../../frozen-trial.ts';
import { dominates, lossValues } from '../../pareto.ts';

const EPS = 1e-12;

/** Non-domination rank of each point (0 = Pareto front), Deb's fast non-dominated sort. */
export function nonDominationRanks(points: readonly (readonly number[])[]): number[] {
  const n = points.length;
  const ranks = new Array<number>(n).fill(-1);
  const dominatedBy = new Array<number>(n).fill(0);
  const dominating: number[][] = points.map(() => []);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (i === j) continue;
      if (dominates(points[i], points[j])) dominating[i].push(j);
      else if (dominates(points[j], points[i])) dominatedBy[i]++;
    }
  }
  let front = [...Array(n).keys()].filter((i) => dominatedBy[i] === 0);
  for (let r = 0; front.length; r++) {
    const next: number[] = [];
    for (const i of front) {
      ranks[i] = r;
      for (const j of dominating[i]) if (--dominatedBy[j] === 0) next.push(j);
    }
    front = next;
  }
  return ranks;
}

/** Optuna's reference point: 1.1 x the worst value per objective (0.9 x when negative, EPS when 0). */
export function referencePoint(points: readonly (readonly number[])[]): number[] {
  const worst = points[0].map((_, k) => Math.max(...points.map((p) => p[k])));
  return worst.map((w) => (w === 0 ? EPS : w > 0 ? 1.1 * w : 0.9 * w));
}

/** Exact hypervolume dominated by `points` and bounded by `ref` (all minimised), by slicing along the last objective. */
export function hypervolume(points: readonly (readonly number[])[], ref: readonly number[]): number {
  const pts = points.filter((p) => p.every((v, k) => v < ref[k]));
  if (!pts.length) return 0;
  const d = ref.length;
  if (d === 1) return ref[0] - Math.min(...pts.map((p) => p[0]));
  if (d === 2) {
    const s = [...pts].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    let hv = 0, y = ref[1];
    for (const p of s) if (p[1] < y) { hv += (ref[0] - p[0]) * (y - p[1]); y = p[1]; }
    return hv;
  }
  const s = [...pts].sort((a, b) => a[d - 1] - b[d - 1]);
  let hv = 0;
  for (let i = 0; i < s.length; i++) {
    const top = i + 1 < s.length ? s[i + 1][d - 1] : ref[d - 1];
    if (top > s[i][d - 1]) hv += (top - s[i][d - 1]) * hypervolume(s.slice(0, i + 1).map((p) => p.slice(0, d - 1)), ref.slice(0, d - 1));
  }
  return hv;
}

/** Greedy hypervolume subset selection (Optuna's _solve_hssp): `k` indices of `points`, each adding the most hypervolume. */
export function solveHssp(points: readonly (readonly number[])[], k: number, ref: readonly number[]): number[] {
  if (k >= points.length) return [...points.keys()];
  const chosen: number[] = [];
  const left = new Set(points.keys());
  for (let s = 0; s < k; s++) {
    const base = hypervolume(chosen.map((i) => points[i]), ref);
    let best = -1, bestGain = -Infinity;
    for (const i of left) {
      const gain = hypervolume([...chosen, i].map((j) => points[j]), ref) - base;
      if (gain > bestGain) { bestGain = gain; best = i; }
    }
    chosen.push(best);
    left.delete(best);
  }
  return chosen;
}

/** COMPLETE trials split into below (the nBelow best by rank, then hypervolume) and above, each in trial-number order. */
export function splitCompleteMultiObjective(trials: readonly FrozenTrial[], nBelow: number, directions: readonly StudyDirection[]):
  { below: FrozenTrial[]; above: FrozenTrial[] } {
  if (nBelow <= 0) return { below: [], above: [...trials] };
  if (nBelow >= trials.length) return { below: [...trials], above: [] };
  const lvals = lossValues(trials, directions);
  const ranks = nonDominationRanks(lvals);
  const belowSet = new Set<number>();
  for (let r = 0; belowSet.size < nBelow; r++) {
    const idx = ranks.flatMap((x, i) => (x === r ? [i] : []));
    if (belowSet.size + idx.length <= nBelow) idx.forEach((i) => belowSet.add(i));
    else {
      const rankPts = idx.map((i) => lvals[i]);
      for (const j of solveHssp(rankPts, nBelow - belowSet.size, referencePoint(rankPts))) belowSet.add(idx[j]);
    }
  }
  return { below: trials.filter((_, i) => belowSet.has(i)), above: trials.filter((_, i) => !belowSet.has(i)) };
}

/** Weights of the below trials (Optuna's _calculate_weights_below_for_multi_objective): hypervolume contribution / max, EPS off the front. */
export function weightsBelowMultiObjective(below: readonly FrozenTrial[], directions: readonly StudyDirection[]): number[] {
  const w = below.map(() => 1);
  if (below.length <= 1) return w;
  const lvals = lossValues(below, directions);
  const ref = referencePoint(lvals);
  const onFront = lvals.map((p) => !lvals.some((o) => dominates(o, p)));
  const front = lvals.filter((_, i) => onFront[i]);
  const hv = hypervolume(front, ref);
  if (!Number.isFinite(hv)) return w;
  const contribs = lvals.map((p, i) => (onFront[i] ? hv - hypervolume(front.filter((q) => q !== p), ref) : 0));
  const max = Math.max(EPS, ...contribs);
  return contribs.map((c) => Math.max(c / max, EPS));
}
