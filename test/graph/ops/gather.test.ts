import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gradCheck } from '../gradcheck.ts';
import { Graph } from '../../../src/graph/builder.ts';
import { Session } from '../../../src/runtime/session.ts';
import { int64 } from '../../../src/runtime/tensor.ts';
import { oneHot } from '../../../src/graph/ops/gather.ts';

const ok = (r: string | null) => assert.equal(r, null, r ?? '');

test('Gather vjp accumulates repeated indices into the table rows (float64)', async () => {
  ok(await gradCheck((g, [t, i]) => g.gather(t!, i!, 0), [{ shape: [5, 3] }, { shape: [2, 3], dtype: 'int64', values: [0, 4, 4, 2, 0, 0] }]));
});

test('GatherElements vjp (picks log-probs of targets) (float64)', async () => {
  ok(await gradCheck((g, [x, i]) => g.gatherElements(x!, i!, 1), [{ shape: [3, 4] }, { shape: [3, 1], dtype: 'int64', values: [3, 0, 3] }]));
});

test('oneHot and scatterND(add) compute what ONNX specifies', async () => {
  const g = new Graph('oh');
  const idx = g.input('i', 'int64', [3]);
  g.output('oh', g.oneHot(idx, 4));
  const z = g.zerosLike(g.constant(new Float32Array(4), [4]));
  g.output('sc', g.scatterND(z, g.reshape(idx, [3, 1]), g.constant([1, 2, 3], [3]), 'add'));
  const s = await Session.create(g.toOnnx(), { threads: 1 });
  const r = await s.run({ i: int64([2, 0, 2], [3]) });
  assert.deepEqual(Array.from(r.oh!.data as Float32Array), [0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 1, 0]);
  assert.deepEqual(Array.from(r.sc!.data as Float32Array), [2, 0, 4, 0]);
});

test('float64 oneHot (no onnxruntime kernel) is built from comparisons, with off/on values', async () => {
  const g = new Graph('oh64');
  const idx = g.input('i', 'int64', ['B']);
  const oh = g.oneHot(idx, 3, 'float64');
  g.output('oh', oh);
  g.output('smooth', oneHot(idx, 3, 'float64', 0.1, 0.8));
  assert.deepEqual(oh.shape, ['B', 3]);
  const s = await Session.create(g.toOnnx(), { threads: 1 });
  const r = await s.run({ i: int64([2, 0], [2]) });
  assert.deepEqual(Array.from(r.oh!.data as Float64Array), [0, 0, 1, 1, 0, 0]);
  assert.deepEqual(Array.from(r.smooth!.data as Float64Array).map((v) => Math.round(v * 10) / 10), [0.1, 0.1, 0.8, 0.8, 0.1, 0.1]);
});

test('gather shape is data[:axis] + indices + data[axis+1:]', () => {
  const g = new Graph('g');
  const E = g.input('E', 'float32', [16, 8]);
  const x = g.input('x', 'int64', ['B', 24, 10, 2]);
  assert.deepEqual(g.gather(E, x).shape, ['B', 24, 10, 2, 8]);
  assert.throws(() => g.gather(E, E), /Gather: indices must be int64\/int32, got float32\(16, 8\)/);
});
