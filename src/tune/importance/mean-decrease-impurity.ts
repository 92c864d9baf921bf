// Mean-decrease-impurity importance: the forest's impurity-based feature importances summed per parameter.
// Follows Optuna's MeanDecreaseImpurityImportanceEvaluator (docs/tuning.md#mean-decrease-impurity) on the same data, encoding and forest as fANOVA.
import { RandomForestRegressor } from './forest.ts';
import { collectImportanceData, encodeTrials, type ImportanceTarget, type ImportanceTrial } from './search-space.ts';
import { sortByImportance, ForestImportanceSettings, type ParamImportances } from './fanova.ts';
import { UserError } from '../../util/errors.ts';

/** Mean decrease impurity evaluator; importances sum to 1 (or are all 0 when no tree splits). */
export class MeanDecreaseImpurityImportanceEvaluator extends ForestImportanceSettings {

  /** Importance per parameter, sorted by decreasing importance. */
  evaluate(trials: readonly ImportanceTrial[], params?: readonly string[], target?: ImportanceTarget): ParamImportances {
    const data = collectImportanceData(trials, params, target);
    if (data.distributions.length === 0) return {};
    if (data.trials.length === 0) throw new UserError('parameter importance: no COMPLETE trial with a finite value has all evaluated parameters');
    const enc = encodeTrials(data.trials, data.distributions);
    const forest = new RandomForestRegressor({ nEstimators: this.nTrees, maxDepth: this.maxDepth, minSamplesSplit: 2, minSamplesLeaf: 1, seed: this.seed }).fit(enc.X, data.y);
    const fi = forest.featureImportances();
    return sortByImportance(data.distributions.map(([name], p) => [name, enc.columnsOf[p].reduce((s, c) => s + fi[c], 0)]));
  }
}
