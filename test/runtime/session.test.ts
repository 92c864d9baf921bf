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

test('every optimisation level gives the same result', async () => {
  for (const optimization of ['disabled', 'basic', 'extended', 'all'] as const) {
    const s = await Session.create(model(), { threads: 2, interOpThreads: 1, optimization, executionMode: 'parallel', spinning: optimization === 'all' });
    const r = await s.run({ x: float32([1, 2], [1, 2]), i: int64([3], [1]) });
    assert.equal(r.sum!.data[0], 3);
    assert.equal(s.provider, 'cpu');
  }
  assert.ok(availableProviders().includes('cpu'));
});

// A GPU request either runs on that provider and says so, or is refused naming why; only with the CPU fallback
// allowed does it run on the CPU, with exactly one warning, and say so. A silent fallback fails both branches.
for (const provider of ['cuda', 'webgpu'] as const) {
  test(`a ${provider} request runs on ${provider}, or is refused unless the CPU fallback is allowed`, async () => {
    const feeds = { x: float32([1, 2], [1, 2]), i: int64([3], [1]) };
    const warnings: string[] = [];
    let s: Session;
    try {
      s = await Session.create(model(), { provider, onWarning: (m) => warnings.push(m) });
    } catch (e) {
      assert.equal((e as Error).name, 'UserError');
      assert.match((e as Error).message, new RegExp(`^execution provider "${provider}" was requested but (this onnxruntime-node install has no ${provider} provider|onnxruntime could not start the ${provider} provider)`));
      assert.match((e as Error).message, /--allow-cpu-fallback/);
      const fb = await Session.create(model(), { provider, allowCpuFallback: true, onWarning: (m) => warnings.push(m) });
      assert.equal(fb.provider, 'cpu');
      assert.ok(fb.fallbackReason && fb.fallbackReason.includes(provider), `fallback reason: ${fb.fallbackReason}`);
      assert.equal(warnings.length, 1);
      assert.match(warnings[0]!, new RegExp(`execution provider "${provider}" is not usable .*running on the CPU`));
      assert.equal((await fb.run(feeds)).sum!.data[0], 3);
      return;
    }
    assert.equal(s.provider, provider, `asked for ${provider}, got ${s.provider}`);
    assert.equal(s.fallbackReason, null);
    assert.deepEqual(warnings, []);
    assert.equal((await s.run(feeds)).sum!.data[0], 3);
  });
}

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
