// Loads test/fixtures/hpo/fanova.json (Optuna 3.1.0 + scikit-learn 1.2.1 reference) and turns its trials into ImportanceTrials.
import { readFixtureJson } from '../../fixtures/data.ts';
import { distributionFromJson, type DistributionJson, type Distribution, type ParamValue } from '../../../src/tune/distributions.ts';
import assert from 'node:assert/strict';
import type { ImportanceTrial } from '../../../src/tune/importance/search-space.ts';
import { getParamImportances } from '../../../src/tune/importance/param-importances.ts';

export interface FixtureTree {
  children_left: number[]; children_right: number[]; feature: number[]; threshold: number[]; value: number[];
  n_node_samples: number[]; total_variance: number; marginal_variance: Record<string, number>;
}
export interface FixtureCase {
  name: string;
  direction: string;
  space: Record<string, DistributionJson>;
  trials: { number: number; state: string; value: number | string | null; params: Record<string, ParamValue> }[];
  fanova: { by_seed: Record<string, Record<string, number>>; mean: Record<string, number>; std: Record<string, number> };
  mean_decrease_impurity: { by_seed: Record<string, Record<string, number>>; mean: Record<string, number>; std: Record<string, number> };
  fanova_exact_trees: {
    param_order: string[]; encoded_columns: number[][]; bounds: [number, number][]; X: number[][]; y: number[];
    trees: FixtureTree[];
    per_param: Record<string, { mean_fraction: number; std_fraction: number }>;
    evaluator_output: Record<string, number>;
    evaluator_output_4x_unnormalised: Record<string, number>;
  };
}

export const fixture = readFixtureJson('hpo', 'fanova.json') as { cases: FixtureCase[] };

function num(v: number | string | null): number | null {
  if (v === null) return null;
  if (typeof v === 'number') return v;
  return v === 'nan' ? NaN : v === 'inf' ? Infinity : v === '-inf' ? -Infinity : Number(v);
}

/** The case's trials with the distributions of the parameters each one holds. */
export function fixtureTrials(c: FixtureCase): ImportanceTrial[] {
  const space: Record<string, Distribution> = {};
  for (const [name, json] of Object.entries(c.space)) space[name] = distributionFromJson(json);
  return c.trials.map((t) => ({
    number: t.number,
    state: t.state,
    value: num(t.value),
    params: t.params,
    distributions: Object.fromEntries(Object.keys(t.params).map((n) => [n, space[n]])),
  }));
}

/** Forest-based results cannot match sklearn's random stream; compare with the fixture's spread over 5 seeds. */
export function checkAgainstSeeds(c: FixtureCase, ref: FixtureCase['fanova'], evaluator: 'fanova' | 'mdi'): void {
  const trials = fixtureTrials(c);
  const seeds = [0, 1, 2, 3, 4];
  const runs = seeds.map((seed) => getParamImportances(trials, { evaluator, seed }));
  const names = Object.keys(ref.mean);
  for (const run of runs) assert.deepEqual(Object.keys(run).sort(), [...names].sort());
  const ours: Record<string, number> = {};
  for (const p of names) {
    ours[p] = runs.reduce((s, r) => s + r[p], 0) / runs.length;
    const tol = Math.max(0.05, 3 * ref.std[p]);
    for (const [k, r] of runs.entries()) {
      assert.ok(Math.abs(r[p] - ref.mean[p]) <= tol, `${c.name} ${evaluator} seed ${k} ${p}: ${r[p]} vs Optuna ${ref.mean[p]} ± ${tol}`);
    }
  }
  for (const a of names) for (const b of names) {
    if (ref.mean[a] - ref.mean[b] > 3 * Math.max(ref.std[a], ref.std[b])) {
      assert.ok(ours[a] > ours[b], `${c.name} ${evaluator}: ${a} should outrank ${b} (ours ${ours[a]} vs ${ours[b]})`);
    }
  }
}

