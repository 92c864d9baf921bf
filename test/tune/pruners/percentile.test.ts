// PercentilePruner at percentiles other than 50, worked out by hand: q for minimize, 100 - q for maximize, warmup and startup.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createStudy } from '../../../src/tune/study.ts';
import { PercentilePruner } from '../../../src/tune/pruners/percentile.ts';
import { NopPruner } from '../../../src/tune/pruners/pruner.ts';
import { RandomSampler } from '../../../src/tune/samplers/random.ts';
import type { StudyDirection } from '../../../src/tune/frozen-trial.ts';

// four completed trials reporting 1, 2, 3, 4 at step 0: 25th percentile 1.75, 75th 3.25
async function decide(direction: StudyDirection, pruner: PercentilePruner | NopPruner, value: number, step = 0): Promise<boolean> {
  const study = await createStudy({ direction, pruner, sampler: new RandomSampler({ seed: 0 }) });
  for (const v of [1, 2, 3, 4]) await study.addTrial({ values: [v], intermediateValues: new Map([[0, v], [1, v]]) });
  const t = await study.ask();
  t.report(value, step);
  return t.shouldPrune();
}

test('minimize compares the best-so-far with the q-th percentile', async () => {
  const p25 = () => new PercentilePruner(25, { nStartupTrials: 0 });
  assert.equal(await decide('minimize', p25(), 1.7), false);
  assert.equal(await decide('minimize', p25(), 1.8), true);
  assert.equal(await decide('minimize', new PercentilePruner(75, { nStartupTrials: 0 }), 3.2), false);
  assert.equal(await decide('minimize', new PercentilePruner(75, { nStartupTrials: 0 }), 3.3), true);
});

test('maximize uses the (100 - q)-th percentile', async () => {
  // q = 25 when maximising -> 75th percentile 3.25: keep the top quarter
  assert.equal(await decide('maximize', new PercentilePruner(25, { nStartupTrials: 0 }), 3.3), false);
  assert.equal(await decide('maximize', new PercentilePruner(25, { nStartupTrials: 0 }), 3.2), true);
});

test('startup trials, warmup steps and steps nobody reached keep the trial; NopPruner never prunes', async () => {
  assert.equal(await decide('minimize', new PercentilePruner(25, { nStartupTrials: 5 }), 100), false); // only 4 completed
  assert.equal(await decide('minimize', new PercentilePruner(25, { nStartupTrials: 0, nWarmupSteps: 1 }), 100, 0), false);
  assert.equal(await decide('minimize', new PercentilePruner(25, { nStartupTrials: 0, nWarmupSteps: 1 }), 100, 1), true);
  assert.equal(await decide('minimize', new PercentilePruner(25, { nStartupTrials: 0 }), 100, 7), false);
  assert.equal(await decide('minimize', new PercentilePruner(25, { nStartupTrials: 0, nMinTrials: 5 }), 100), false);
  assert.equal(await decide('minimize', new NopPruner(), 100), false);
});
