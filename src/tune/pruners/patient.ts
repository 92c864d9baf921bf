// PatientPruner: only lets the wrapped pruner act (or prunes) after `patience` reports without improvement.
// Follows optuna/pruners/_patient.py (min_delta, NaN-ignoring best before/after the patience window).
import { UserError } from '../../util/errors.ts';
import type { FrozenTrial } from '../frozen-trial.ts';
import type { Pruner, PrunerStudy } from './pruner.ts';

function nanBest(values: number[], maximize: boolean): number {
  let best = Number.NaN;
  for (const v of values) if (!Number.isNaN(v) && (Number.isNaN(best) || (maximize ? v > best : v < best))) best = v;
  return best;
}

/** Prunes (or defers to `wrapped`) when the last patience+1 reports did not improve on the earlier best by min_delta. */
export class PatientPruner implements Pruner {
  readonly wrapped: Pruner | null;
  readonly patience: number;
  readonly minDelta: number;

  /** Throws UserError for negative patience or min_delta. */
  constructor(wrapped: Pruner | null, patience: number, minDelta = 0) {
    if (!Number.isInteger(patience) || patience < 0) throw new UserError(`PatientPruner: patience must be an integer >= 0, got ${patience}`);
    if (!(minDelta >= 0)) throw new UserError(`PatientPruner: min_delta must be >= 0, got ${minDelta}`);
    this.wrapped = wrapped;
    this.patience = patience;
    this.minDelta = minDelta;
  }

  async prune(study: PrunerStudy, trial: FrozenTrial): Promise<boolean> {
    if (trial.lastStep === null) return false;
    const steps = [...trial.intermediateValues.keys()].sort((a, b) => a - b);
    if (steps.length <= this.patience + 1) return false;
    const cut = steps.length - this.patience - 1;
    const before = steps.slice(0, cut).map((s) => trial.intermediateValues.get(s)!);
    const after = steps.slice(cut).map((s) => trial.intermediateValues.get(s)!);
    const maximize = study.directions[0] === 'maximize';
    const b = nanBest(before, maximize), a = nanBest(after, maximize);
    const stalled = maximize ? b - this.minDelta > a : b + this.minDelta < a;
    if (!stalled) return false;
    return this.wrapped ? this.wrapped.prune(study, trial) : true;
  }
}
