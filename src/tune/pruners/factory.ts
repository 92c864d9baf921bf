// Builds a pruner from its Optuna class name and keyword arguments (snake_case JSON, as the CLI's --pruner-kwargs).
// Follows Optuna's constructor signatures; camelCase keys are accepted too.
import { UserError } from '../../util/errors.ts';
import { MedianPruner } from './median.ts';
import { PercentilePruner } from './percentile.ts';
import { NopPruner, type Pruner } from './pruner.ts';
import { SuccessiveHalvingPruner } from './successive-halving.ts';
import { ThresholdPruner } from './threshold.ts';
import { HyperbandPruner } from './hyperband.ts';
import { PatientPruner } from './patient.ts';

/** snake_case -> camelCase */
export function camel(key: string): string {
  return key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}

/** Normalises kwargs to camelCase and throws UserError naming any key not in `allowed` (camelCase names). */
export function checkKwargs(className: string, kwargs: Record<string, unknown>, allowed: readonly string[]): Record<string, unknown> {
  if (typeof kwargs !== 'object' || kwargs === null || Array.isArray(kwargs)) throw new UserError(`${className}: kwargs must be a JSON object`);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(kwargs)) {
    const c = camel(k);
    if (!allowed.includes(c)) {
      const snake = allowed.map((a) => a.replace(/[A-Z]/g, (m) => '_' + m.toLowerCase()));
      throw new UserError(`${className}: unknown argument "${k}"; expected one of ${snake.join(', ')}`);
    }
    out[c] = v;
  }
  return out;
}

export const PRUNER_CLASSES = ['MedianPruner', 'PercentilePruner', 'SuccessiveHalvingPruner', 'NopPruner', 'ThresholdPruner', 'PatientPruner', 'HyperbandPruner'] as const;

/** createPruner('MedianPruner', {n_startup_trials: 5}); throws UserError for unknown classes or arguments. */
export function createPruner(className: string, kwargs: Record<string, unknown> = {}): Pruner {
  const pct = ['nStartupTrials', 'nWarmupSteps', 'intervalSteps', 'nMinTrials'];
  switch (className) {
    case 'MedianPruner':
      return new MedianPruner(checkKwargs(className, kwargs, pct) as never);
    case 'PercentilePruner': {
      const k = checkKwargs(className, kwargs, ['percentile', ...pct]);
      if (typeof k.percentile !== 'number') throw new UserError('PercentilePruner: "percentile" (a number in [0, 100]) is required');
      const { percentile, ...rest } = k;
      return new PercentilePruner(percentile, rest as never);
    }
    case 'SuccessiveHalvingPruner':
      return new SuccessiveHalvingPruner(checkKwargs(className, kwargs, ['minResource', 'reductionFactor', 'minEarlyStoppingRate', 'bootstrapCount']) as never);
    case 'NopPruner':
      checkKwargs(className, kwargs, []);
      return new NopPruner();
    case 'HyperbandPruner':
      return new HyperbandPruner(checkKwargs(className, kwargs, ['minResource', 'maxResource', 'reductionFactor', 'bootstrapCount']) as never);
    case 'ThresholdPruner':
      return new ThresholdPruner(checkKwargs(className, kwargs, ['lower', 'upper', 'nWarmupSteps', 'intervalSteps']) as never);
    case 'PatientPruner': {
      // wrapped_pruner as {"class": "MedianPruner", "kwargs": {...}} or null
      const k = checkKwargs(className, kwargs, ['wrappedPruner', 'patience', 'minDelta']);
      const w = k.wrappedPruner as { class?: string; kwargs?: Record<string, unknown> } | null | undefined;
      if (w != null && (typeof w !== 'object' || typeof w.class !== 'string')) throw new UserError('PatientPruner: wrapped_pruner must be null or {"class": ..., "kwargs": {...}}');
      if (typeof k.patience !== 'number') throw new UserError('PatientPruner: "patience" (an integer >= 0) is required');
      return new PatientPruner(w ? createPruner(w.class!, w.kwargs ?? {}) : null, k.patience, (k.minDelta as number | undefined) ?? 0);
    }
    default:
      throw new UserError(`unknown pruner "${className}"; expected one of ${PRUNER_CLASSES.join(', ')}`);
  }
}
