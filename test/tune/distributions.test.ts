// Tests for search-space distributions: validation, JSON form (incl. legacy names), internal/external values, contains.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CategoricalDistribution, FloatDistribution, IntDistribution, checkDistributionCompatibility,
  distributionFromJson, distributionsEqual,
} from '../../src/tune/distributions.ts';
import { UserError } from '../../src/util/errors.ts';

test('validation errors are UserErrors with a reason', () => {
  assert.throws(() => new FloatDistribution(2, 1), /low <= high/);
  assert.throws(() => new FloatDistribution(0, 1, { log: true }), /low > 0/);
  assert.throws(() => new FloatDistribution(1, 2, { log: true, step: 0.1 }), /step is not supported/);
  assert.throws(() => new FloatDistribution(0, 1, { step: 0 }), /step > 0/);
  assert.throws(() => new IntDistribution(0, 1.5), /integer/);
  assert.throws(() => new IntDistribution(1, 10, { log: true, step: 2 }), /step must be 1/);
  assert.throws(() => new IntDistribution(0, 10, { log: true }), /low >= 1/);
  assert.throws(() => new CategoricalDistribution([]), UserError);
  assert.throws(() => new CategoricalDistribution([{} as never]), UserError);
});

test('high snaps down to the step grid', () => {
  assert.equal(new FloatDistribution(0, 1, { step: 0.3 }).high, 0.9);
  assert.equal(new FloatDistribution(-1, 1, { step: 0.15 }).high, 0.95);
  assert.equal(new FloatDistribution(0.1, 0.7, { step: 0.2 }).high, 0.7);
  assert.equal(new FloatDistribution(0, 0.2, { step: 0.05 }).high, 0.2);
  assert.equal(new IntDistribution(0, 10, { step: 3 }).high, 9);
  assert.equal(new IntDistribution(0, 1000, { step: 100 }).high, 1000);
});

test('contains follows domain and grid', () => {
  const f = new FloatDistribution(0, 1, { step: 0.25 });
  assert.ok(f.contains(0.75));
  assert.ok(!f.contains(0.7));
  assert.ok(!f.contains(1.25));
  assert.ok(!f.contains(Number.NaN));
  const i = new IntDistribution(0, 100, { step: 10 });
  assert.ok(i.contains(40) && !i.contains(45) && !i.contains(110));
  const c = new CategoricalDistribution(['a', null]);
  assert.ok(c.contains(1) && !c.contains(2) && !c.contains(0.5));
  assert.ok(new FloatDistribution(1, 1).single());
  assert.ok(new IntDistribution(0, 5, { step: 10 }).single());
  assert.ok(!new IntDistribution(0, 10, { step: 10 }).single());
});

test('internal and external representations', () => {
  const c = new CategoricalDistribution(['adam', 3, null, true]);
  assert.equal(c.toInternal(null), 2);
  assert.equal(c.toExternal(3), true);
  assert.throws(() => c.toInternal('sgd'), /not one of/);
  assert.equal(new IntDistribution(0, 9).toExternal(3.0000001), 3);
  assert.throws(() => new FloatDistribution(0, 1).toInternal('x'), UserError);
});

test('JSON round trip and legacy names', () => {
  const ds = [
    new FloatDistribution(1e-5, 0.1, { log: true }), new FloatDistribution(0, 0.2, { step: 0.05 }),
    new IntDistribution(16, 512, { log: true }), new IntDistribution(0, 1000, { step: 100 }), new CategoricalDistribution(['a', 1, null]),
  ];
  for (const d of ds) {
    const back = distributionFromJson(JSON.stringify(d.toJSON()));
    assert.ok(distributionsEqual(d, back));
  }
  assert.deepEqual(new FloatDistribution(0, 1).toJSON(), { name: 'FloatDistribution', attributes: { low: 0, high: 1, log: false, step: null } });
  const lu = distributionFromJson({ name: 'LogUniformDistribution', attributes: { low: 0.1, high: 1 } });
  assert.ok(lu.kind === 'float' && lu.log);
  const du = distributionFromJson({ name: 'DiscreteUniformDistribution', attributes: { low: 0, high: 1, q: 0.5 } });
  assert.ok(du.kind === 'float' && du.step === 0.5);
  const il = distributionFromJson({ name: 'IntLogUniformDistribution', attributes: { low: 1, high: 8 } });
  assert.ok(il.kind === 'int' && il.log);
  assert.throws(() => distributionFromJson({ name: 'Nope', attributes: {} }), /unknown distribution/);
  assert.throws(() => distributionFromJson('{bad'), /cannot parse/);
  assert.throws(() => distributionFromJson({ name: 'FloatDistribution', attributes: { low: 'a', high: 1 } }), /"low"/);
});

test('compatibility within a study', () => {
  checkDistributionCompatibility(new FloatDistribution(0, 1), new FloatDistribution(-5, 5, { step: 0.5 }));
  assert.throws(() => checkDistributionCompatibility(new FloatDistribution(0, 1), new IntDistribution(0, 1)), /class/);
  assert.throws(() => checkDistributionCompatibility(new IntDistribution(1, 9), new IntDistribution(1, 9, { log: true })), /log/);
  assert.throws(() => checkDistributionCompatibility(new CategoricalDistribution(['a']), new CategoricalDistribution(['b'])), /choices/);
});
