// PercentilePruner: prune when the trial's best-so-far is worse than a percentile of completed trials at the same step.
// Follows docs/tuning.md#median-pruner and optuna/pruners/_percentile.py (interval gate, warmup, n_min_trials, numpy percentile).
import { UserError } from '../../util/errors.ts';
import type { FrozenTrial, StudyDirection } from '../frozen-trial.ts';
import type { Pruner, PrunerStudy } from './pruner.ts';

export interface PercentilePrunerOptions {
  /** @default 5: no pruning until this many COMPLETE trials exist */
  nStartupTrials?: number;
  /** @default 0: no pruning before this step */
  nWarmupSteps?: number;
  /** @default 1: check once per interval of steps after warmup */
  intervalSteps?: number;
  /** @default 1: at least this many completed trials must have reported the step */
  nMinTrials?: number;
}

/** numpy.percentile(values, q) with linear interpolation (numpy's two-sided lerp), NaNs removed first; NaN if none left. */
export function nanPercentile(values: readonly number[], q: number): number {
  const v = values.filter((x) => !Number.isNaN(x)).sort((a, b) => a - b);
  if (v.length === 0) return Number.NaN;
  const virtual = (v.length - 1) * (q / 100);
  const lo = Math.floor(virtual);
  const hi = Math.min(lo + 1, v.length - 1);
  const t = virtual - lo;
  const a = v[lo], b = v[hi];
  const diff = b - a;
  return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
}

/** True when `step` is the first report at or after its pruning checkpoint. */
export function isFirstInIntervalStep(step: number, steps: Iterable<number>, nWarmupSteps: number, intervalSteps: number): boolean {
  const checkpoint = Math.floor((step - nWarmupSteps) / intervalSteps) * intervalSteps + nWarmupSteps;
  let prev = -1;
  for (const s of steps) if (s > prev && s !== step) prev = s;
  return prev < checkpoint;
}

/** Best intermediate value over all reported steps (NaNs ignored; NaN when all are NaN). */
export function bestIntermediate(trial: FrozenTrial, direction: StudyDirection): number {
  let best = Number.NaN;
  for (const v of trial.intermediateValues.values()) {
    if (Number.isNaN(v)) continue;
    if (Number.isNaN(best) || (direction === 'minimize' ? v < best : v > best)) best = v;
  }
  return best;
}

/** The percentile of COMPLETE trials' values at exactly `step` (NaN when fewer than nMinTrials reported it). */
export function percentileAtStep(completed: readonly FrozenTrial[], direction: StudyDirection, step: number, percentile: number, nMinTrials: number): number {
  const vals: number[] = [];
  for (const t of completed) {
    const v = t.intermediateValues.get(step);
    if (v !== undefined) vals.push(v);
  }
  if (vals.length < nMinTrials) return Number.NaN;
  return nanPercentile(vals, direction === 'maximize' ? 100 - percentile : percentile);
}

/** Prunes a trial whose best value so far is worse than the given percentile of completed trials at its current step. */
export class PercentilePruner implements Pruner {
  readonly percentile: number;
  readonly nStartupTrials: number;
  readonly nWarmupSteps: number;
  readonly intervalSteps: number;
  readonly nMinTrials: number;

  /** Throws UserError for percentile outside [0, 100], negative counts or interval < 1. */
  constructor(percentile: number, opts: PercentilePrunerOptions = {}) {
    this.percentile = percentile;
    this.nStartupTrials = opts.nStartupTrials ?? 5;
    this.nWarmupSteps = opts.nWarmupSteps ?? 0;
    this.intervalSteps = opts.intervalSteps ?? 1;
    this.nMinTrials = opts.nMinTrials ?? 1;
    if (!(percentile >= 0 && percentile <= 100)) throw new UserError(`percentile must be in [0, 100], got ${percentile}`);
    if (!Number.isInteger(this.nStartupTrials) || this.nStartupTrials < 0) throw new UserError(`n_startup_trials must be an integer >= 0, got ${this.nStartupTrials}`);
    if (!Number.isInteger(this.nWarmupSteps) || this.nWarmupSteps < 0) throw new UserError(`n_warmup_steps must be an integer >= 0, got ${this.nWarmupSteps}`);
    if (!Number.isInteger(this.intervalSteps) || this.intervalSteps < 1) throw new UserError(`interval_steps must be an integer >= 1, got ${this.intervalSteps}`);
    if (!Number.isInteger(this.nMinTrials) || this.nMinTrials < 1) throw new UserError(`n_min_trials must be an integer >= 1, got ${this.nMinTrials}`);
  }

  async prune(study: PrunerStudy, trial: FrozenTrial): Promise<boolean> {
    if (study.directions.length !== 1) throw new UserError('pruning is not supported for multi-objective studies');
    const completed = await study.getTrials({ states: ['COMPLETE'] });
    if (completed.length === 0 || completed.length < this.nStartupTrials) return false;
    const step = trial.lastStep;
    if (step === null || step < this.nWarmupSteps) return false;
    if (!isFirstInIntervalStep(step, trial.intermediateValues.keys(), this.nWarmupSteps, this.intervalSteps)) return false;
    const direction = study.directions[0];
    const best = bestIntermediate(trial, direction);
    if (Number.isNaN(best)) return true;
    const p = percentileAtStep(completed, direction, step, this.percentile, this.nMinTrials);
    if (Number.isNaN(p)) return false;
    return direction === 'maximize' ? best < p : best > p;
  }
}
