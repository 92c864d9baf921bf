import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FanovaTree } from '../../../src/tune/importance/fanova-tree.ts';
import { fanovaFractions } from '../../../src/tune/importance/fanova.ts';
import { fixture } from './fixture.ts';

function toArrays(t: { children_left: number[]; children_right: number[]; feature: number[]; threshold: number[]; value: number[] }) {
  return { childrenLeft: t.children_left, childrenRight: t.children_right, feature: t.feature, threshold: t.threshold, value: t.value };
}

function close(actual: number, expected: number, tol: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= tol * Math.max(1, Math.abs(expected)), `${what}: got ${actual}, expected ${expected} (diff ${actual - expected})`);
}

for (const c of fixture.cases) {
  const e = c.fanova_exact_trees;

  test(`fanova_exact_trees ${c.name}: per-tree total and marginal variances match Optuna`, () => {
    e.trees.forEach((t, k) => {
      const tree = new FanovaTree(toArrays(t), e.bounds);
      close(tree.variance, t.total_variance, 1e-9, `tree ${k} total variance`);
      e.param_order.forEach((p, i) => {
        close(tree.getMarginalVariance(e.encoded_columns[i]), t.marginal_variance[p], 1e-9, `tree ${k} marginal variance of ${p}`);
      });
    });
  });

  test(`fanova_exact_trees ${c.name}: mean/std fractions and evaluator outputs match Optuna`, () => {
    const fr = fanovaFractions(e.trees.map(toArrays), e.bounds, e.encoded_columns);
    const sum = fr.reduce((s, f) => s + f.mean, 0);
    e.param_order.forEach((p, i) => {
      close(fr[i].mean, e.per_param[p].mean_fraction, 1e-9, `${p} mean fraction`);
      close(fr[i].std, e.per_param[p].std_fraction, 1e-9, `${p} std fraction`);
      close(fr[i].mean, e.evaluator_output_4x_unnormalised[p], 1e-9, `${p} 4.x raw output`);
      close(fr[i].mean / sum, e.evaluator_output[p], 1e-9, `${p} normalised output`);
    });
  });
}

test('a tree that splits only on x gives y no importance and x all of it', () => {
  // x <= 0.5 -> 0, else 1, on the unit square: total variance 0.25, all of it along x
  const tree = new FanovaTree({ childrenLeft: [1, -1, -1], childrenRight: [2, -1, -1], feature: [0, -2, -2], threshold: [0.5, -2, -2], value: [0.5, 0, 1] }, [[0, 1], [0, 1]]);
  assert.equal(tree.variance, 0.25);
  assert.equal(tree.getMarginalVariance([0]), 0.25);
  assert.equal(tree.getMarginalVariance([1]), 0);
});
