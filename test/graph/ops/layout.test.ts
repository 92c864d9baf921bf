import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gradCheck } from '../gradcheck.ts';
import { Graph } from '../../../src/graph/builder.ts';
import { ShapeError } from '../../../src/graph/ir.ts';

const ok = (r: string | null) => assert.equal(r, null, r ?? '');

test('Reshape/Transpose/Unsqueeze/Squeeze/Expand vjp (float64)', async () => {
  ok(await gradCheck((g, [x]) => g.reshape(x!, [3, -1]), [{ shape: [2, 3, 2] }]));
  ok(await gradCheck((g, [x]) => g.transpose(x!, [2, 0, 1]), [{ shape: [2, 3, 2] }]));
  ok(await gradCheck((g, [x]) => g.unsqueeze(x!, [0, 2]), [{ shape: [2, 3] }]));
  ok(await gradCheck((g, [x]) => g.squeeze(x!, [1]), [{ shape: [2, 1, 3] }]));
  ok(await gradCheck((g, [x]) => g.expand(x!, [2, 3, 4]), [{ shape: [3, 1] }]));
});

test('reshape handles symbolic dims: same-position symbols copy, one product dim is inferred', () => {
  const g = new Graph('r');
  const x = g.input('x', 'float32', ['B', 24, 10, 2, 16]);
  assert.deepEqual(g.reshape(x, ['B', 24, 320]).shape, ['B', 24, 320]);
  const flat = g.reshape(x, ['B*24', 320]);
  assert.deepEqual(flat.shape, ['B*24', 320]);
  assert.deepEqual(g.reshape(flat, ['B', 24, 10, 32]).shape, ['B', 24, 10, 32]);
  assert.deepEqual(g.reshape(x, [-1, 16]).shape, ['B*480', 16]);
  assert.throws(() => g.reshape(x, ['B', 24, 300]), (e: Error) => e instanceof ShapeError && e.message.includes('Reshape: cannot reshape (B, 24, 10, 2, 16)'));
});

test('transpose and expand report bad arguments with the shapes', () => {
  const g = new Graph('t');
  const x = g.input('x', 'float32', [2, 3]);
  assert.throws(() => g.transpose(x, [0, 0]), /Transpose: perm \[0,0\] does not fit \(2, 3\)/);
  assert.throws(() => g.expand(x, [4, 3, 3]), /Expand: shapes \(2, 3\) and \(4, 3, 3\) do not broadcast/);
  assert.throws(() => g.squeeze(x, [0]), /Squeeze: dim 0 of \(2, 3\) is not 1/);
});
