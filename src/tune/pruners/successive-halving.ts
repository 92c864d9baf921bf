// Asynchronous successive halving (ASHA, Li et al. 2020) as Optuna's SuccessiveHalvingPruner: rungs stored as system attrs.
// Follows docs/tuning.md#successive-halving and optuna/pruners/_successive_halving.py.
import { UserError } from '../../util/errors.ts';
import type { FrozenTrial } from '../frozen-trial.ts';
import type { Pruner, PrunerStudy } from './pruner.ts';

export interface SuccessiveHalvingPrunerOptions {
  /** @default 'auto': max last step of the first COMPLETE trials // 100 (at least 1); nothing is pruned before that */
  minResource?: number | 'auto';
  /** @default 4 */
  reductionFactor?: number;
  /** @default 0 */
  minEarlyStoppingRate?: number;
  /** @default 0: prune while a rung holds this many values or fewer */
  bootstrapCount?: number;
}

const RUNG_PREFIX = 'completed_rung_';

/** ASHA pruner: at each rung a trial survives only if it is within the best 1/reductionFactor of that rung's values. */
export class SuccessiveHalvingPruner implements Pruner {
  private minResource: number | null;
  readonly reductionFactor: number;
  readonly minEarlyStoppingRate: number;
  readonly bootstrapCount: number;

  /** Throws UserError for invalid options (min_resource < 1, reduction_factor < 2, negative rates, bootstrap with auto). */
  constructor(opts: SuccessiveHalvingPrunerOptions = {}) {
    const mr = opts.minResource ?? 'auto';
    this.reductionFactor = opts.reductionFactor ?? 4;
    this.minEarlyStoppingRate = opts.minEarlyStoppingRate ?? 0;
    this.bootstrapCount = opts.bootstrapCount ?? 0;
    if (mr !== 'auto' && !(Number.isInteger(mr) && mr >= 1)) throw new UserError(`min_resource must be "auto" or an integer >= 1, got ${JSON.stringify(mr)}`);
    if (!Number.isInteger(this.reductionFactor) || this.reductionFactor < 2) throw new UserError(`reduction_factor must be an integer >= 2, got ${this.reductionFactor}`);
    if (!Number.isInteger(this.minEarlyStoppingRate) || this.minEarlyStoppingRate < 0) throw new UserError(`min_early_stopping_rate must be an integer >= 0, got ${this.minEarlyStoppingRate}`);
    if (!Number.isInteger(this.bootstrapCount) || this.bootstrapCount < 0) throw new UserError(`bootstrap_count must be an integer >= 0, got ${this.bootstrapCount}`);
    if (mr === 'auto' && this.bootstrapCount > 0) throw new UserError('bootstrap_count > 0 cannot be combined with min_resource="auto"');
    this.minResource = mr === 'auto' ? null : mr;
  }

  async prune(study: PrunerStudy, trial: FrozenTrial): Promise<boolean> {
    if (study.directions.length !== 1) throw new UserError('pruning is not supported for multi-objective studies');
    const step = trial.lastStep;
    if (step === null) return false;
    let rung = Object.keys(trial.systemAttrs).filter((k) => k.startsWith(RUNG_PREFIX)).length;
    const value = trial.intermediateValues.get(step)!;
    let trials: FrozenTrial[] | null = null;
    for (;;) {
      if (this.minResource === null) {
        trials ??= await study.getTrials();
        this.minResource = estimateMinResource(trials);
        if (this.minResource === null) return false;
      }
      const promotionStep = this.minResource * this.reductionFactor ** (this.minEarlyStoppingRate + rung);
      if (step < promotionStep) return false;
      if (Number.isNaN(value)) return true;
      trials ??= await study.getTrials();
      const key = `${RUNG_PREFIX}${rung}`;
      await study.setTrialSystemAttr(trial.trialId, key, value);
      const competing: number[] = [];
      for (const t of trials) if (t.trialId !== trial.trialId && typeof t.systemAttrs[key] === 'number') competing.push(t.systemAttrs[key] as number);
      competing.push(value);
      if (competing.length <= this.bootstrapCount) return true;
      if (!promotable(value, competing, this.reductionFactor, study.directions[0] === 'maximize')) return true;
      rung++;
    }
  }
}

function estimateMinResource(trials: readonly FrozenTrial[]): number | null {
  let last: number | null = null;
  for (const t of trials) {
    if (t.state !== 'COMPLETE') continue;
    const s = t.lastStep;
    if (s !== null && (last === null || s > last)) last = s;
  }
  return last === null ? null : Math.max(Math.floor(last / 100), 1);
}

function promotable(value: number, competing: number[], eta: number, maximize: boolean): boolean {
  let idx = Math.floor(competing.length / eta) - 1;
  if (idx === -1) idx = 0;
  competing.sort((a, b) => a - b);
  return maximize ? value >= competing[competing.length - 1 - idx] : value <= competing[idx];
}
