import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getParamImportances } from '../../../src/tune/importance/param-importances.ts';
import { FanovaImportanceEvaluator } from '../../../src/tune/importance/fanova.ts';
import { fixture, fixtureTrials } from './fixture.ts';

const mixed = fixtureTrials(fixture.cases.find((c) => c.name === 'mixed')!);

test('normalize divides the evaluator\'s raw fractions by their sum and keeps the order', () => {
  const raw = getParamImportances(mixed, { seed: 2, normalize: false });
  assert.deepEqual(raw, new FanovaImportanceEvaluator({ seed: 2 }).evaluate(mixed));
  const norm = getParamImportances(mixed, { seed: 2 });
  const sum = Object.values(raw).reduce((s, v) => s + v, 0);
  assert.deepEqual(Object.keys(norm), Object.keys(raw));
  for (const k of Object.keys(raw)) assert.ok(Math.abs(norm[k] - raw[k] / sum) < 1e-15);
  assert.ok(Math.abs(Object.values(norm).reduce((s, v) => s + v, 0) - 1) < 1e-12);
});

test('params restricts the evaluated parameters; target replaces the value', () => {
  const sub = getParamImportances(mixed, { params: ['lr', 'dropout'], seed: 0 });
  assert.deepEqual(Object.keys(sub).sort(), ['dropout', 'lr']);
  assert.ok(sub.lr > sub.dropout);
  // a target that depends on dropout only
  const byDropout = getParamImportances(mixed, { target: (t) => (t.params.dropout as number) ** 2, seed: 0 });
  assert.equal(Object.keys(byDropout)[0], 'dropout');
  assert.ok(byDropout.dropout > 0.9);
});

test('mdi evaluator and bad evaluator names', () => {
  const mdi = getParamImportances(mixed, { evaluator: 'mdi', seed: 0 });
  assert.equal(Object.keys(mdi)[0], 'lr');
  assert.throws(() => getParamImportances(mixed, { evaluator: 'ped' as 'mdi' }), /evaluator must be/);
});

test('works on FrozenTrials from storage; multi-objective trials need a target', async () => {
  const { FrozenTrial } = await import('../../../src/tune/frozen-trial.ts');
  const make = (t: (typeof mixed)[number], values: number[]) => new FrozenTrial({
    trialId: t.number! + 1, number: t.number!, state: 'COMPLETE', values, datetimeStart: null, datetimeComplete: null,
    params: { ...t.params }, distributions: { ...t.distributions }, userAttrs: {}, systemAttrs: {}, intermediateValues: new Map(),
  });
  const frozen = mixed.map((t) => make(t, [t.value as number]));
  assert.deepEqual(getParamImportances(frozen, { seed: 3 }), getParamImportances(mixed, { seed: 3 }));
  const multi = mixed.map((t) => make(t, [t.value as number, 0]));
  assert.throws(() => getParamImportances(multi), /pass a target/);
  assert.equal(Object.keys(getParamImportances(multi, { target: (t) => (t as InstanceType<typeof FrozenTrial>).values![0], seed: 3 }))[0], 'lr');
});
