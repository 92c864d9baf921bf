// Public surface of hyperparameter importance (re-exports only): getParamImportances and the two evaluators.
// Mirrors optuna.importance (get_param_importances, FanovaImportanceEvaluator, MeanDecreaseImpurityImportanceEvaluator).
export { getParamImportances } from './param-importances.ts';
export type { ParamImportanceOptions } from './param-importances.ts';
export { FanovaImportanceEvaluator, fanovaFractions } from './fanova.ts';
export type { FanovaOptions, FanovaFraction, ParamImportances } from './fanova.ts';
export { MeanDecreaseImpurityImportanceEvaluator } from './mean-decrease-impurity.ts';
export { FanovaTree, type TreeArrays } from './fanova-tree.ts';
export { RandomForestRegressor, type ForestOptions, type RegressionTree } from './forest.ts';
export { collectImportanceData, encodeTrials } from './search-space.ts';
export type { ImportanceTrial, ImportanceTarget, ImportanceData, EncodedSpace } from './search-space.ts';
