import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RandomForestRegressor, fitRegressionTree } from '../../../src/tune/importance/forest.ts';
import { Rng } from '../../../src/util/rng.ts';

test('a full-depth tree without bootstrap interpolates its training data, thresholds at midpoints', () => {
  const xs = [0.1, 0.4, 0.2, 0.9, 0.7];
  const ys = [1, 3, 2, 5, 4];
  const tree = fitRegressionTree([Float64Array.from(xs)], Float64Array.from(ys), new Float64Array(5).fill(1), { maxDepth: 64, minSamplesSplit: 2, minSamplesLeaf: 1, maxFeatures: 1 }, new Rng(0));
  const thresholds = [...tree.threshold].filter((_, k) => tree.feature[k] >= 0).sort();
  assert.deepEqual(thresholds.map((t) => +t.toFixed(12)), [0.15, 0.3, 0.55, 0.8]);
  for (let k = 0; k < tree.feature.length; k++) {
    if (tree.feature[k] >= 0) assert.ok(tree.childrenLeft[k] > k && tree.childrenRight[k] > k, 'children are numbered after their parent');
  }
  const f = new RandomForestRegressor({ nEstimators: 1, bootstrap: false }).fit(xs.map((x) => Float64Array.of(x)), ys);
  xs.forEach((x, i) => assert.equal(f.predict([x]), ys[i]));
});

test('max depth, equal feature values and bootstrap weights are respected', () => {
  const X = [0, 0, 1, 1, 2, 2].map((x) => Float64Array.of(x));
  const y = [0, 1, 2, 3, 4, 5];
  const stump = new RandomForestRegressor({ nEstimators: 1, bootstrap: false, maxDepth: 1 }).fit(X, y);
  assert.equal(stump.trees[0].feature.length, 3);
  const deep = new RandomForestRegressor({ nEstimators: 1, bootstrap: false }).fit(X, y);
  assert.equal(deep.trees[0].feature.filter((f) => f < 0).length, 3, 'identical x values cannot be separated');
  const bagged = new RandomForestRegressor({ nEstimators: 8, seed: 1 }).fit(X, y);
  for (const t of bagged.trees) assert.equal(t.weightedNNodeSamples[0], 6, 'bootstrap draws n samples with replacement');
});

test('impurity importances favour the informative feature, sum to 1 and depend only on the seed', () => {
  const rng = new Rng(11);
  const X = Array.from({ length: 80 }, () => Float64Array.of(rng.random(), rng.random(), rng.random()));
  const y = X.map((r) => 3 * r[0] + 0.3 * r[1] + 0.05 * rng.normal());
  const a = new RandomForestRegressor({ nEstimators: 16, seed: 4 }).fit(X, y);
  const fi = a.featureImportances();
  assert.ok(fi[0] > fi[1] && fi[1] > fi[2], `${fi}`);
  assert.ok(Math.abs(fi.reduce((s, v) => s + v, 0) - 1) < 1e-12);
  assert.deepEqual(new RandomForestRegressor({ nEstimators: 16, seed: 4 }).fit(X, y).featureImportances(), fi);
  assert.notDeepEqual(new RandomForestRegressor({ nEstimators: 16, seed: 5 }).fit(X, y).featureImportances(), fi);
});

test('maxFeatures below 1 still finds a split when the first drawn features are constant', () => {
  // feature 0 constant, feature 1 informative: with one feature tried per split, sklearn keeps drawing past constants
  const X = [0, 1, 2, 3].map((x) => Float64Array.of(5, x));
  for (let seed = 0; seed < 8; seed++) {
    const f = new RandomForestRegressor({ nEstimators: 1, bootstrap: false, maxFeatures: 0.5, seed }).fit(X, [0, 1, 2, 3]);
    assert.ok(f.trees[0].feature[0] === 1, `seed ${seed}`);
  }
});
