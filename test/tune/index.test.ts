// The public tune surface re-exports the pieces users and the CLI need.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tune from '../../src/tune/index.ts';

test('index exports the study API, distributions, samplers, pruners and storages', async () => {
  for (const name of ['createStudy', 'loadStudy', 'deleteStudy', 'Study', 'Trial', 'TrialPruned', 'FloatDistribution', 'IntDistribution',
    'CategoricalDistribution', 'distributionFromJson', 'TPESampler', 'RandomSampler', 'GridSampler', 'createSampler', 'MedianPruner',
    'PercentilePruner', 'SuccessiveHalvingPruner', 'NopPruner', 'createPruner', 'InMemoryStorage', 'NotFoundError']) {
    assert.ok(name in tune, name);
  }
  const study = await tune.createStudy({ sampler: new tune.TPESampler({ seed: 0 }) });
  await study.optimize((t) => t.suggestFloat('x', -1, 1) ** 2, { nTrials: 15 });
  assert.ok((await study.bestValue()) < 0.2);
});
