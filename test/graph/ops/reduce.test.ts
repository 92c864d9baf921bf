import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gradCheck } from '../gradcheck.ts';
import { Graph } from '../../../src/graph/builder.ts';
import { ShapeError } from '../../../src/graph/ir.ts';

const ok = (r: string | null) => assert.equal(r, null, r ?? '');

test('ReduceSum/ReduceMean vjp with and without keepdims (float64)', async () => {
  ok(await gradCheck((g, [x]) => g.reduceSum(x!, [1]), [{ shape: [2, 3, 2] }]));
  ok(await gradCheck((g, [x]) => g.reduceSum(x!, [0, 2], true), [{ shape: [2, 3, 2] }]));
  ok(await gradCheck((g, [x]) => g.reduceMean(x!, [-1]), [{ shape: [3, 4] }]));
  ok(await gradCheck((g, [x]) => g.reduceMean(x!), [{ shape: [3, 4] }]));
});

test('ReduceMax vjp sends the gradient to the maximum (float64)', async () => {
  ok(await gradCheck((g, [x]) => g.reduceMax(x!, [1]), [{ shape: [2, 3], values: [1, 5, 2, -1, -3, 0.5] }]));
});

test('reductions report bad axes naming the op', () => {
  const g = new Graph('r');
  const x = g.input('x', 'float32', [2, 3]);
  assert.throws(() => g.reduceSum(x, [2]), (e: Error) => e instanceof ShapeError && /ReduceSum: axis 2 out of range for rank 2/.test(e.message));
  assert.deepEqual(g.reduceMean(x, [0], true).shape, [1, 3]);
  assert.deepEqual(g.argMax(x, -1).shape, [2]);
  assert.equal(g.argMax(x).dtype, 'int64');
});
