// ThresholdPruner decisions worked out by hand (Optuna's rules), plus the factory forms of Threshold/PatientPruner.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ThresholdPruner } from '../../../src/tune/pruners/threshold.ts';
import { PatientPruner } from '../../../src/tune/pruners/patient.ts';
import { NopPruner, type Pruner } from '../../../src/tune/pruners/pruner.ts';
import { createPruner } from '../../../src/tune/pruners/factory.ts';
import { FrozenTrial, type StudyDirection } from '../../../src/tune/frozen-trial.ts';

function trial(values: number[]): FrozenTrial {
  return new FrozenTrial({ trialId: 1, number: 0, state: 'RUNNING', values: null, datetimeStart: null, datetimeComplete: null, params: {}, distributions: {}, userAttrs: {}, systemAttrs: {}, intermediateValues: new Map(values.map((v, i) => [i, v])) });
}
const study = (direction: StudyDirection = 'minimize') => ({ directions: [direction], getTrials: async () => [], setTrialSystemAttr: async () => {} });
const decide = (p: Pruner, values: number[], direction?: StudyDirection) => p.prune(study(direction), trial(values));

test('ThresholdPruner prunes outside [lower, upper] and on NaN, after warmup and on interval checkpoints', async () => {
  const p = new ThresholdPruner({ lower: 0, upper: 1 });
  assert.deepEqual(await Promise.all([[0.5], [1.5], [-0.1], [Number.NaN], [1]].map((v) => decide(p, v))), [false, true, true, true, false]);
  const w = new ThresholdPruner({ upper: 1, nWarmupSteps: 2, intervalSteps: 2 });
  assert.equal(await decide(w, [5, 5]), false); // step 1 < warmup 2
  assert.equal(await decide(w, [5, 5, 5]), true); // step 2: checkpoint
  assert.equal(await decide(w, [5, 5, 5, 5]), false); // step 3: not a checkpoint
  assert.throws(() => new ThresholdPruner({}), /lower or upper/);
  assert.throws(() => new ThresholdPruner({ lower: 2, upper: 1 }), /lower <= upper/);
});

test('factory forms', async () => {
  assert.ok(createPruner('ThresholdPruner', { upper: 3, n_warmup_steps: 1 }) instanceof ThresholdPruner);
  const p = createPruner('PatientPruner', { wrapped_pruner: { class: 'NopPruner' }, patience: 1, min_delta: 0.1 });
  assert.ok(p instanceof PatientPruner && p.wrapped instanceof NopPruner);
  assert.throws(() => createPruner('PatientPruner', { wrapped_pruner: 'MedianPruner', patience: 1 }), /wrapped_pruner/);
});
