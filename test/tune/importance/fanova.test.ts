import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FanovaImportanceEvaluator } from '../../../src/tune/importance/fanova.ts';
import { getParamImportances } from '../../../src/tune/importance/param-importances.ts';
import { FloatDistribution } from '../../../src/tune/distributions.ts';
import { checkAgainstSeeds, fixture, fixtureTrials } from './fixture.ts';
import { Rng } from '../../../src/util/rng.ts';

for (const c of fixture.cases) {
  test(`fANOVA by_seed ${c.name}: within max(0.05, 3 std) of Optuna and same clear ordering`, () => checkAgainstSeeds(c, c.fanova, 'fanova'));
}

test('same seed gives identical importances; results are sorted by decreasing importance', () => {
  const trials = fixtureTrials(fixture.cases.find((c) => c.name === 'mixed')!);
  const a = new FanovaImportanceEvaluator({ seed: 7 }).evaluate(trials);
  const b = new FanovaImportanceEvaluator({ seed: 7 }).evaluate(trials);
  assert.deepEqual(a, b);
  const v = Object.values(a);
  for (let i = 1; i < v.length; i++) assert.ok(v[i - 1] >= v[i]);
  assert.ok(v.reduce((s, x) => s + x, 0) < 1, '4.x evaluator returns raw fractions that sum below 1 when interactions exist');
});

test('an irrelevant parameter gets little importance; a single-valued one gets exactly 0', () => {
  const rng = new Rng(3);
  const dx = new FloatDistribution(0, 1), dz = new FloatDistribution(0, 1), dc = new FloatDistribution(2, 2);
  const trials = Array.from({ length: 50 }, () => {
    const x = rng.random(), z = rng.random();
    return { state: 'COMPLETE', value: Math.sin(6 * x), params: { x, z, c: 2 }, distributions: { x: dx, z: dz, c: dc } };
  });
  const imp = getParamImportances(trials, { seed: 1 });
  assert.deepEqual(Object.keys(imp), ['x', 'z', 'c']);
  assert.ok(imp.x > 0.9, `x ${imp.x}`);
  assert.equal(imp.c, 0);
});

test('constant objective values are an error', () => {
  const d = new FloatDistribution(0, 1);
  const trials = [0.1, 0.5, 0.9].map((x) => ({ state: 'COMPLETE', value: 1, params: { x }, distributions: { x: d } }));
  assert.throws(() => getParamImportances(trials), /zero total variance/);
});

test('direction does not matter: negated values give the same importances (fixture filtering case is maximize)', () => {
  const c = fixture.cases.find((x) => x.name === 'filtering')!;
  assert.equal(c.direction, 'maximize');
  const trials = fixtureTrials(c);
  const a = getParamImportances(trials, { seed: 9 });
  const b = getParamImportances(trials, { seed: 9, target: (t) => -(t.value as number) });
  for (const k of Object.keys(a)) assert.ok(Math.abs(a[k] - b[k]) < 1e-9, `${k}: ${a[k]} vs ${b[k]}`);
});

test('only single-valued parameters: empty result, as Optuna', () => {
  const d = new FloatDistribution(1, 1);
  const trials = [1, 2, 3].map((v) => ({ state: 'COMPLETE', value: v, params: { c: 1 }, distributions: { c: d } }));
  assert.deepEqual(getParamImportances(trials), {});
});
