import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gradCheck } from '../gradcheck.ts';
import { Graph } from '../../../src/graph/builder.ts';

const ok = (r: string | null) => assert.equal(r, null, r ?? '');
const BIG = 2 ** 31 - 1;

test('Concat/Split vjp, including a split output that gets no gradient (float64)', async () => {
  ok(await gradCheck((g, [a, b]) => g.concat([a!, b!], 1), [{ shape: [2, 2] }, { shape: [2, 3] }]));
  ok(await gradCheck((g, [x]) => g.split(x!, -1, [1, 3])[1]!, [{ shape: [2, 4] }]));
  ok(await gradCheck((g, [x]) => {
    const [p, q, r] = g.split(x!, 0, [1, 1, 2]);
    return g.add(g.mul(p!, q!), g.reduceSum(r!, [0], true));
  }, [{ shape: [4, 2] }]));
});

test('Slice and Pad vjp (float64)', async () => {
  ok(await gradCheck((g, [x]) => g.slice(x!, [1, 0], [3, -1], [0, 1]), [{ shape: [4, 3] }]));
  ok(await gradCheck((g, [x]) => g.slice(x!, [-2], [100], [1]), [{ shape: [2, 5] }]));
  ok(await gradCheck((g, [x]) => g.pad(x!, [1, 0, 0, 2]), [{ shape: [2, 3] }]));
});

test('slice clamps like ONNX and concat names the shapes on mismatch', () => {
  const g = new Graph('s');
  const x = g.input('x', 'float32', ['B', 24, 10, 2]);
  assert.deepEqual(g.slice(x, [1], [24], [1]).shape, ['B', 23, 10, 2]);
  assert.deepEqual(g.slice(x, [-1, 0], [1000, 1], [1, 3]).shape, ['B', 1, 10, 1]);
  assert.deepEqual(g.slice(x, [0], [1], [0]).shape, [1, 24, 10, 2]);
  assert.deepEqual(g.slice(x, [-2, 0], [BIG, BIG], [0, 1]).shape, [2, 24, 10, 2]);
  assert.deepEqual(g.slice(x, [0], [BIG], [0]).shape, ['B', 24, 10, 2]);
  assert.throws(() => g.slice(x, [1], [-1], [0]), /Slice: cannot slice \[1, -1\) of symbolic dim B/);
  const y = g.input('y', 'float32', ['B', 24, 9, 2]);
  assert.throws(() => g.concat([x, y], 3), /Concat: shapes \(B, 24, 10, 2\) and \(B, 24, 9, 2\) do not concat on axis 3/);
  assert.throws(() => g.split(x, 1, [10, 10]), /Split: sizes \[10,10\] do not sum to dim 1/);
});
