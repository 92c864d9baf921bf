// Search-space helpers: intersection over finished trials and the group decomposition of conditional spaces.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { groupDecomposedSearchSpace, intersectionSearchSpace } from '../../../src/tune/samplers/sampler.ts';
import { FrozenTrial, type TrialState } from '../../../src/tune/frozen-trial.ts';
import { CategoricalDistribution, FloatDistribution, IntDistribution, type Distribution } from '../../../src/tune/distributions.ts';

let n = 0;
function trial(state: TrialState, dists: Record<string, Distribution>): FrozenTrial {
  const params = Object.fromEntries(Object.entries(dists).map(([k, d]) => [k, d.kind === 'categorical' ? d.choices[0] : d.low]));
  return new FrozenTrial({ trialId: n, number: n++, state, values: null, datetimeStart: null, datetimeComplete: null, params, distributions: dists, userAttrs: {}, systemAttrs: {}, intermediateValues: new Map() });
}

test('intersection keeps parameters with identical distributions in every COMPLETE/PRUNED trial, sorted, no single points', () => {
  const x = new FloatDistribution(0, 1), y = new IntDistribution(0, 5), c = new CategoricalDistribution(['a']);
  const trials = [
    trial('COMPLETE', { y, x, c, z: new FloatDistribution(0, 2) }),
    trial('PRUNED', { x, y, c, z: new FloatDistribution(0, 3) }),
    trial('FAIL', { x }), trial('RUNNING', {}),
  ];
  assert.deepEqual(Object.keys(intersectionSearchSpace(trials)), ['x', 'y']);
  assert.deepEqual(Object.keys(intersectionSearchSpace(trials, { includePruned: false })), ['c', 'x', 'y', 'z'].filter((k) => k !== 'c'));
  assert.deepEqual(intersectionSearchSpace([]), {});
});

test('group decomposition splits parameters that do not always co-occur', () => {
  const k = new CategoricalDistribution(['a', 'b']), xa = new FloatDistribution(0, 1), nb = new IntDistribution(0, 9), yb = new FloatDistribution(0, 1);
  const groups = groupDecomposedSearchSpace([trial('COMPLETE', { k, xa }), trial('COMPLETE', { k, nb, yb }), trial('PRUNED', { k, xa }), trial('FAIL', { q: xa })]);
  const names = groups.map((g) => Object.keys(g).join(',')).sort();
  assert.deepEqual(names, ['k', 'nb,yb', 'xa']);
});
