import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bestPerHour, bestOverall } from '../../src/evaluate/select.ts';

test('best baseline per hour and overall follow the scores, skip non-candidates and missing scores', () => {
  const acc = { a: [0.5, 0.4, 0.3], b: [0.45, 0.42, NaN], lucky: [0.9, 0.9, 0.9] };
  assert.deepEqual(bestPerHour(acc, ['a', 'b'], true), ['a', 'b', 'a']);
  assert.equal(bestOverall(acc, ['a', 'b'], true), 'b'); // mean over its finite hours: 0.435 > 0.4
  const ll = { a: [1.1, 1.0], b: [1.05, 1.2] };
  assert.deepEqual(bestPerHour(ll, ['a', 'b'], false), ['b', 'a']);
  assert.equal(bestOverall(ll, ['a', 'b'], false), 'a');
  assert.deepEqual(bestPerHour({ a: [NaN] }, ['a', 'missing'], true), ['']);
});
