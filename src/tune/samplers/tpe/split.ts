// TPE's below/above split of the history and its gamma functions (single objective).
// Follows docs/tuning.md#the-split: COMPLETE by value, then PRUNED by (-last step, last value), RUNNING always above (constant liar).
import type { FrozenTrial, StudyDirection } from '../../frozen-trial.ts';

/** Optuna's default gamma: min(ceil(0.1 n), 25). */
export function defaultGamma(n: number): number {
  return Math.min(Math.ceil(0.1 * n), 25);
}

/** hyperopt's gamma: min(ceil(0.25 sqrt(n)), 25). */
export function hyperoptDefaultGamma(n: number): number {
  return Math.min(Math.ceil(0.25 * Math.sqrt(n)), 25);
}

function prunedKey(t: FrozenTrial, direction: StudyDirection): [number, number] {
  const step = t.lastStep;
  if (step === null) return [1, 0];
  const v = t.intermediateValues.get(step)!;
  if (Number.isNaN(v)) return [-step, Infinity];
  return [-step, direction === 'minimize' ? v : -v];
}

/**
 * Splits COMPLETE/PRUNED/RUNNING trials into below (good) and above (bad), each ordered by trial number.
 * `nBelow` is gamma(n) with n the number of non-RUNNING trials; RUNNING trials always go above.
 */
export function splitTrials(trials: readonly FrozenTrial[], nBelow: number, direction: StudyDirection): { below: FrozenTrial[]; above: FrozenTrial[] } {
  const complete: FrozenTrial[] = [], pruned: FrozenTrial[] = [], running: FrozenTrial[] = [];
  for (const t of trials) {
    if (t.state === 'COMPLETE') complete.push(t);
    else if (t.state === 'PRUNED') pruned.push(t);
    else if (t.state === 'RUNNING') running.push(t);
  }
  const sign = direction === 'minimize' ? 1 : -1;
  // Array.prototype.sort is stable: ties keep trial-number order
  const byValue = [...complete].sort((a, b) => cmp(sign * a.values![0], sign * b.values![0]));
  const nc = Math.max(0, Math.min(nBelow, byValue.length));
  const below = byValue.slice(0, nc);
  const above = byValue.slice(nc);
  const keyed = pruned.map((t) => ({ t, k: prunedKey(t, direction) }));
  keyed.sort((a, b) => a.k[0] - b.k[0] || cmp(a.k[1], b.k[1]));
  const np = Math.max(0, Math.min(nBelow - nc, keyed.length));
  below.push(...keyed.slice(0, np).map((x) => x.t));
  above.push(...keyed.slice(np).map((x) => x.t), ...running);
  below.sort((a, b) => a.number - b.number);
  above.sort((a, b) => a.number - b.number);
  return { below, above };
}

function cmp(a: number, b: number): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
