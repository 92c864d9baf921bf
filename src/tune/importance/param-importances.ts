// getParamImportances: the public entry point for hyperparameter importance (fANOVA by default, or MDI).
// Follows optuna.importance.get_param_importances (4.x): evaluators return raw scores, normalisation happens here.
import { FanovaImportanceEvaluator, type ParamImportances } from './fanova.ts';
import { MeanDecreaseImpurityImportanceEvaluator } from './mean-decrease-impurity.ts';
import { UserError } from '../../util/errors.ts';
import type { ImportanceTarget, ImportanceTrial } from './search-space.ts';

/** Options of getParamImportances. */
export interface ParamImportanceOptions {
  /** @default 'fanova' */
  evaluator?: 'fanova' | 'mdi';
  /** forest seed (Optuna leaves it random; tokcast fixes it so importances are reproducible). @default 0 */
  seed?: number;
  /** parameters to assess; default: those present with identical distributions in every COMPLETE trial */
  params?: readonly string[];
  /** divide by the sum (all equal when the sum is 0). @default true */
  normalize?: boolean;
  /** value to explain; default: the trial's value */
  target?: ImportanceTarget;
  /** @default 64 */
  nTrees?: number;
  /** @default 64 */
  maxDepth?: number;
}

/**
 * Importance of each parameter for the objective value over COMPLETE trials with finite values, sorted by decreasing
 * importance. Throws UserError with fewer than 2 COMPLETE trials or when the values do not vary (fANOVA).
 */
export function getParamImportances(trials: readonly ImportanceTrial[], options: ParamImportanceOptions = {}): ParamImportances {
  if (options.evaluator !== undefined && options.evaluator !== 'fanova' && options.evaluator !== 'mdi') {
    throw new UserError(`parameter importance: evaluator must be 'fanova' or 'mdi', got ${JSON.stringify(options.evaluator)}`);
  }
  const forest = { seed: options.seed ?? 0, nTrees: options.nTrees, maxDepth: options.maxDepth };
  const evaluator = options.evaluator === 'mdi' ? new MeanDecreaseImpurityImportanceEvaluator(forest) : new FanovaImportanceEvaluator(forest);
  const raw = evaluator.evaluate(trials, options.params, options.target);
  if (options.normalize === false) return raw;
  const names = Object.keys(raw);
  const sum = names.reduce((s, n) => s + raw[n], 0);
  const out: ParamImportances = {};
  for (const n of names) out[n] = sum === 0 ? 1 / names.length : raw[n] / sum;
  return out;
}
