// The Pareto front of a multi-objective study (Optuna's study.best_trials): COMPLETE trials no other COMPLETE trial dominates.
import type { FrozenTrial, StudyDirection } from './frozen-trial.ts';

/** Loss vectors (maximised objectives negated), so that every objective is minimised. */
export function lossValues(trials: readonly FrozenTrial[], directions: readonly StudyDirection[]): number[][] {
  return trials.map((t) => t.values!.map((v, i) => (directions[i] === 'maximize' ? -v : v)));
}

/** True when loss vector `a` is no worse than `b` everywhere and better somewhere (all objectives minimised). */
export function dominates(a: readonly number[], b: readonly number[]): boolean {
  let better = false;
  for (let i = 0; i < a.length; i++) {
    if (a[i] > b[i]) return false;
    if (a[i] < b[i]) better = true;
  }
  return better;
}

/** COMPLETE trials on the Pareto front, in trial-number order; trials with equal values are all kept, as in Optuna. */
export function paretoFront(trials: readonly FrozenTrial[], directions: readonly StudyDirection[]): FrozenTrial[] {
  const done = trials.filter((t) => t.state === 'COMPLETE' && t.values && t.values.length === directions.length);
  const loss = lossValues(done, directions);
  return done.filter((_, i) => !loss.some((o, j) => j !== i && dominates(o, loss[i]))).sort((a, b) => a.number - b.number);
}
