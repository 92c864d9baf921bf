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

test('transpose simplifies: composed perms, identity vanishes, (A B)^T becomes B^T A^T (values unchanged)', async () => {
  const g = new Graph('tt');
  const x = g.input('x', 'float32', [2, 3, 4]);
  assert.equal(g.transpose(g.transpose(x, [1, 2, 0]), [2, 0, 1]), x);
  const t2 = g.transpose(g.transpose(x, [1, 0, 2]), [0, 2, 1]);
  assert.equal(t2.node!.inputs[0], x);
  assert.deepEqual(t2.shape, [3, 4, 2]);
  const a = g.input('a', 'float32', [2, 3, 4]), b = g.input('b', 'float32', [4, 5]);
  const abT = g.transpose(g.matMul(a, b), [0, 2, 1]);
  assert.equal(abT.node!.op, 'MatMul');
  assert.deepEqual(abT.shape, [2, 5, 3]);
  const ab = g.matMul(a, b);
  g.output('ab', ab); // a product with another consumer keeps its Transpose
  assert.equal(g.transpose(ab, [0, 2, 1]).node!.op, 'Transpose');
  g.output('abT', abT);
  g.output('t2', t2);
  const { Session } = await import('../../../src/runtime/session.ts');
  const s = await Session.create(g.toOnnx(), { threads: 1 });
  const av = Array.from({ length: 24 }, (_, i) => i / 10), bv = Array.from({ length: 20 }, (_, i) => 1 - i / 7);
  const r = await s.run({ x: { dtype: 'float32', dims: [2, 3, 4], data: new Float32Array(24) }, a: { dtype: 'float32', dims: [2, 3, 4], data: Float32Array.from(av) }, b: { dtype: 'float32', dims: [4, 5], data: Float32Array.from(bv) } });
  for (let n = 0; n < 2; n++) for (let j = 0; j < 5; j++) for (let i = 0; i < 3; i++) {
    let want = 0;
    for (let k = 0; k < 4; k++) want += av[n * 12 + i * 4 + k]! * bv[k * 5 + j]!;
    assert.ok(Math.abs((r.abT!.data[n * 15 + j * 3 + i] as number) - want) < 1e-5);
  }
});
