// ThresholdPruner: prune when the latest intermediate value leaves [lower, upper] or is NaN.
// Follows optuna/pruners/_threshold.py (warmup and interval gate as the percentile pruner).
import { UserError } from '../../util/errors.ts';
import type { FrozenTrial } from '../frozen-trial.ts';
import { isFirstInIntervalStep } from './percentile.ts';
import type { Pruner } from './pruner.ts';

export interface ThresholdPrunerOptions {
  lower?: number | null;
  upper?: number | null;
  /** @default 0 */
  nWarmupSteps?: number;
  /** @default 1 */
  intervalSteps?: number;
}

/** Prunes as soon as the latest reported value is below `lower`, above `upper`, or NaN. */
export class ThresholdPruner implements Pruner {
  readonly lower: number;
  readonly upper: number;
  readonly nWarmupSteps: number;
  readonly intervalSteps: number;

  /** Throws UserError when neither bound is given, lower > upper, or the step options are invalid. */
  constructor(opts: ThresholdPrunerOptions) {
    if (opts.lower == null && opts.upper == null) throw new UserError('ThresholdPruner: give lower or upper (or both)');
    this.lower = opts.lower ?? -Infinity;
    this.upper = opts.upper ?? Infinity;
    this.nWarmupSteps = opts.nWarmupSteps ?? 0;
    this.intervalSteps = opts.intervalSteps ?? 1;
    if (typeof this.lower !== 'number' || typeof this.upper !== 'number') throw new UserError('ThresholdPruner: lower and upper must be numbers');
    if (this.lower > this.upper) throw new UserError(`ThresholdPruner: lower <= upper expected, got ${this.lower} > ${this.upper}`);
    if (!Number.isInteger(this.nWarmupSteps) || this.nWarmupSteps < 0) throw new UserError(`n_warmup_steps must be an integer >= 0, got ${this.nWarmupSteps}`);
    if (!Number.isInteger(this.intervalSteps) || this.intervalSteps < 1) throw new UserError(`interval_steps must be an integer >= 1, got ${this.intervalSteps}`);
  }

  async prune(_study: unknown, trial: FrozenTrial): Promise<boolean> {
    const step = trial.lastStep;
    if (step === null || step < this.nWarmupSteps) return false;
    if (!isFirstInIntervalStep(step, trial.intermediateValues.keys(), this.nWarmupSteps, this.intervalSteps)) return false;
    const v = trial.intermediateValues.get(step)!;
    return Number.isNaN(v) || v < this.lower || v > this.upper;
  }
}
