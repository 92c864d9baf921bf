import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Graph } from '../../../src/graph/builder.ts';
import { ints, lift, scalar } from '../../../src/graph/ops/common.ts';

test('lift turns numbers into cached scalars of the other operand dtype', () => {
  const g = new Graph('c');
  const x = g.input('x', 'float64', [2]);
  const [a, b] = lift(x, 2);
  assert.equal(a, x);
  assert.equal(b.dtype, 'float64');
  assert.deepEqual(b.shape, []);
  assert.equal(scalar(g, 2, 'float64'), b);
  assert.notEqual(scalar(g, 2, 'float32'), b);
  assert.deepEqual(ints(g, [1, -1]).known, [1, -1]);
  assert.throws(() => lift(1, 2), /at least one Value/);
});
