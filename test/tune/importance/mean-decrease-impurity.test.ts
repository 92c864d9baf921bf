import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MeanDecreaseImpurityImportanceEvaluator } from '../../../src/tune/importance/mean-decrease-impurity.ts';
import { checkAgainstSeeds, fixture, fixtureTrials } from './fixture.ts';

for (const c of fixture.cases) {
  test(`MDI by_seed ${c.name}: within max(0.05, 3 std) of Optuna and same clear ordering`, () => checkAgainstSeeds(c, c.mean_decrease_impurity, 'mdi'));
}

test('raw MDI importances already sum to 1 and are deterministic per seed', () => {
  const trials = fixtureTrials(fixture.cases.find((c) => c.name === 'filtering')!);
  const a = new MeanDecreaseImpurityImportanceEvaluator({ seed: 5 }).evaluate(trials);
  assert.deepEqual(a, new MeanDecreaseImpurityImportanceEvaluator({ seed: 5 }).evaluate(trials));
  assert.ok(Math.abs(Object.values(a).reduce((s, v) => s + v, 0) - 1) < 1e-12);
  assert.deepEqual(Object.keys(a).sort(), ['a', 'b', 'c']);
});
