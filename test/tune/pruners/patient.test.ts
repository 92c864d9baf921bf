// PatientPruner decisions worked out by hand (Optuna's rules).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PatientPruner } from '../../../src/tune/pruners/patient.ts';
import { NopPruner, type Pruner } from '../../../src/tune/pruners/pruner.ts';
import { FrozenTrial, type StudyDirection } from '../../../src/tune/frozen-trial.ts';

function trial(values: number[]): FrozenTrial {
  return new FrozenTrial({ trialId: 1, number: 0, state: 'RUNNING', values: null, datetimeStart: null, datetimeComplete: null, params: {}, distributions: {}, userAttrs: {}, systemAttrs: {}, intermediateValues: new Map(values.map((v, i) => [i, v])) });
}
const study = (direction: StudyDirection = 'minimize') => ({ directions: [direction], getTrials: async () => [], setTrialSystemAttr: async () => {} });
const decide = (p: Pruner, values: number[], direction?: StudyDirection) => p.prune(study(direction), trial(values));

test('PatientPruner waits patience reports without improvement (min_delta) before pruning or asking the wrapped pruner', async () => {
  const p = new PatientPruner(null, 2);
  assert.equal(await decide(p, [1, 2, 3]), false); // only patience + 1 reports
  assert.equal(await decide(p, [3, 2, 2.5, 2.1]), false); // window [2, 2.5, 2.1] improved on 3
  assert.equal(await decide(p, [1, 2, 2.5, 2.1]), true); // window best 2 is worse than 1
  assert.equal(await decide(new PatientPruner(null, 2, 1.5), [1, 2, 2.5, 2.1]), false); // within min_delta
  assert.equal(await decide(p, [1, 0.5, 0.4, 0.3], 'maximize'), true);
  assert.equal(await decide(p, [1, Number.NaN, 2, 0.9], 'minimize'), false); // NaN ignored: window best 0.9 < 1
  assert.equal(await decide(new PatientPruner(new NopPruner(), 2), [1, 2, 2.5, 2.1]), false); // stalled, wrapped says keep
  assert.throws(() => new PatientPruner(null, -1), /patience/);
});
