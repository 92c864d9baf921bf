// fANOVA parameter importance: a random forest on the encoded trials, each tree decomposed by FanovaTree.
// Follows Optuna 4.x FanovaImportanceEvaluator / _Fanova (docs/tuning.md#fanova): raw mean fractions, normalised only by getParamImportances.
import { FanovaTree, type TreeArrays } from './fanova-tree.ts';
import { RandomForestRegressor } from './forest.ts';
import { collectImportanceData, encodeTrials, type ImportanceTarget, type ImportanceTrial } from './search-space.ts';
import { UserError } from '../../util/errors.ts';

/** Mean and (population) standard deviation over trees of marginal variance / total variance. */
export interface FanovaFraction {
  mean: number;
  std: number;
}

/**
 * First-order importances from already fitted trees: for each parameter (a group of encoded columns) the per-tree
 * fraction of variance it explains, over trees with non-zero total variance. Throws when every tree has zero variance.
 */
export function fanovaFractions(trees: readonly TreeArrays[], bounds: ReadonlyArray<readonly [number, number]>, columnsOf: readonly (readonly number[])[]): FanovaFraction[] {
  const fTrees = trees.map((t) => new FanovaTree(t, bounds));
  if (fTrees.every((t) => t.variance === 0)) throw new UserError('parameter importance: the objective values do not vary (zero total variance in all trees)');
  return columnsOf.map((cols) => {
    const fractions: number[] = [];
    for (const t of fTrees) {
      const total = t.variance;
      if (total > 0) fractions.push(t.getMarginalVariance(cols) / total);
    }
    const mean = fractions.reduce((a, b) => a + b, 0) / fractions.length;
    const std = Math.sqrt(fractions.reduce((a, b) => a + (b - mean) * (b - mean), 0) / fractions.length);
    return { mean, std };
  });
}

/** Settings of the fANOVA evaluator; defaults are Optuna's. */
export interface FanovaOptions {
  /** @default 64 */
  nTrees?: number;
  /** @default 64 */
  maxDepth?: number;
  /** forest seed; the same seed gives the same importances. @default 0 */
  seed?: number;
}

/** Result of an evaluator: importance per parameter, sorted by decreasing importance. */
export type ParamImportances = Record<string, number>;

/** Sorts like Optuna's _sort_dict_by_importance: ascending stable sort, then reversed (ties come out in reverse order). */
export function sortByImportance(entries: [string, number][]): ParamImportances {
  const sorted = entries.map((e, i) => [e, i] as const).sort((a, b) => a[0][1] - b[0][1] || a[1] - b[1]).reverse();
  const out: ParamImportances = {};
  for (const [[name, v]] of sorted) out[name] = v;
  return out;
}

/** The forest settings both forest-based evaluators share (Optuna's defaults: 64 trees, depth 64, seed 0). */
export class ForestImportanceSettings {
  readonly nTrees: number;
  readonly maxDepth: number;
  readonly seed: number;

  constructor(options: FanovaOptions = {}) {
    this.nTrees = options.nTrees ?? 64;
    this.maxDepth = options.maxDepth ?? 64;
    this.seed = options.seed ?? 0;
  }
}

/** fANOVA importance evaluator (Hutter et al. 2014), Optuna's default. */
export class FanovaImportanceEvaluator extends ForestImportanceSettings {

  /** Raw mean variance fractions per parameter (4.x semantics: not normalised); single-valued parameters get 0. */
  evaluate(trials: readonly ImportanceTrial[], params?: readonly string[], target?: ImportanceTarget): ParamImportances {
    return sortByImportance(this.evaluateWithStd(trials, params, target).map(([name, f]) => [name, f.mean]));
  }

  /** Like evaluate, with the spread over trees: varying parameters by name, then single-valued ones. */
  evaluateWithStd(trials: readonly ImportanceTrial[], params?: readonly string[], target?: ImportanceTarget): [string, FanovaFraction][] {
    const data = collectImportanceData(trials, params, target);
    const varying = data.distributions.filter(([, d]) => !d.single());
    const single = data.distributions.filter(([, d]) => d.single());
    if (varying.length === 0) return []; // Optuna returns {} when every parameter is single-valued
    if (data.trials.length === 0) throw new UserError('parameter importance: no COMPLETE trial with a finite value has all evaluated parameters');
    const enc = encodeTrials(data.trials, varying);
    const forest = new RandomForestRegressor({ nEstimators: this.nTrees, maxDepth: this.maxDepth, minSamplesSplit: 2, minSamplesLeaf: 1, seed: this.seed }).fit(enc.X, data.y);
    const fractions = fanovaFractions(forest.trees, enc.bounds, enc.columnsOf);
    return [
      ...varying.map(([n], i) => [n, fractions[i]] as [string, FanovaFraction]),
      ...single.map(([n]) => [n, { mean: 0, std: 0 }] as [string, FanovaFraction]),
    ];
  }
}
