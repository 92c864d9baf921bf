// FrozenTrial helpers: value, lastStep, duration, deep clone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FrozenTrial, isFinished } from '../../src/tune/frozen-trial.ts';
import { FloatDistribution } from '../../src/tune/distributions.ts';

const make = (values: number[] | null) => new FrozenTrial({
  trialId: 1, number: 0, state: 'COMPLETE', values, datetimeStart: new Date(1000), datetimeComplete: new Date(3500),
  params: { x: 0.5 }, distributions: { x: new FloatDistribution(0, 1) }, userAttrs: { a: [1] }, systemAttrs: {},
  intermediateValues: new Map([[3, 1], [10, 2], [7, 0]]),
});

test('value, lastStep, duration and finished states', () => {
  const t = make([0.25]);
  assert.equal(t.value, 0.25);
  assert.equal(t.lastStep, 10);
  assert.equal(t.durationSeconds, 2.5);
  assert.equal(make(null).value, null);
  assert.throws(() => make([1, 2]).value, /several/);
  assert.deepEqual(['RUNNING', 'WAITING', 'COMPLETE', 'PRUNED', 'FAIL'].map((s) => isFinished(s as never)), [false, false, true, true, true]);
});

test('clone is deep', () => {
  const t = make([1]);
  const c = t.clone();
  c.userAttrs.a = [2];
  c.intermediateValues.set(99, 1);
  c.params.x = 0.9;
  c.datetimeStart!.setTime(0);
  assert.deepEqual(t.userAttrs, { a: [1] });
  assert.equal(t.intermediateValues.size, 3);
  assert.equal(t.params.x, 0.5);
  assert.equal(t.datetimeStart!.getTime(), 1000);
});
