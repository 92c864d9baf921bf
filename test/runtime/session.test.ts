import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Graph } from '../../src/graph/builder.ts';
import { Session, availableProviders } from '../../src/runtime/session.ts';
import { float32, int64 } from '../../src/runtime/tensor.ts';

function model(): Uint8Array {
  const g = new Graph('s');
  const x = g.input('x', 'float32', ['B', 2]);
  const i = g.input('i', 'int64', ['B']);
  g.output('sum', g.reduceSum(x, [1]));
  g.output('idx2', g.mul(i, 2));
  return g.toOnnx();
}

test('session runs with named feeds and returns named outputs, optionally a subset', async () => {
  const s = await Session.create(model(), { threads: 1, optimization: 'all' });
  assert.deepEqual([...s.inputNames].sort(), ['i', 'x']);
  assert.deepEqual([...s.outputNames].sort(), ['idx2', 'sum']);
  const r = await s.run({ x: float32([1, 2, 3, 4, 5, 6], [3, 2]), i: int64([1, -2, 2 ** 40], [3]) });
  assert.deepEqual(Array.from(r.sum!.data as Float32Array), [3, 7, 11]);
  assert.deepEqual(Array.from(r.idx2!.data as BigInt64Array), [2n, -4n, 2n ** 41n]);
  assert.deepEqual(r.sum!.dims, [3]);
  const only = await s.run({ x: float32([1, 1], [1, 2]), i: int64([0], [1]) }, ['sum']);
  assert.deepEqual(Object.keys(only), ['sum']);
  await s.release();
});

test('every optimisation level and a requested GPU provider (CPU fallback) give the same result', async () => {
  for (const optimization of ['disabled', 'basic', 'extended', 'all'] as const) {
    const s = await Session.create(model(), { threads: 2, interOpThreads: 1, optimization, executionMode: 'parallel', spinning: optimization === 'all' });
    const r = await s.run({ x: float32([1, 2], [1, 2]), i: int64([3], [1]) });
    assert.equal(r.sum!.data[0], 3);
  }
  const gpu = await Session.create(model(), { provider: 'cuda' });
  assert.equal(gpu.provider, availableProviders().includes('cuda') ? 'cuda' : 'cpu');
  assert.ok(availableProviders().includes('cpu'));
  assert.equal((await gpu.run({ x: float32([1, 2], [1, 2]), i: int64([3], [1]) })).sum!.data[0], 3);
});

test('bad models and bad feeds fail with onnxruntime messages', async () => {
  await assert.rejects(Session.create(new Uint8Array([1, 2, 3])));
  const s = await Session.create(model());
  await assert.rejects(s.run({ x: float32([1, 2], [1, 2]) }), /i/);
});

test('runInto writes outputs into caller buffers; fixedDims is accepted', async () => {
  const s = await Session.create(model(), { threads: 1, fixedDims: { B: 2 } });
  const sum = float32([0, 0], [2]);
  const buf = sum.data;
  await s.runInto({ x: float32([1, 2, 3, 4], [2, 2]), i: int64([1, 2], [2]) }, { sum });
  assert.equal(sum.data, buf);
  assert.deepEqual(Array.from(sum.data as Float32Array), [3, 7]);
});
