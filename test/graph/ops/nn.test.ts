import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gradCheck } from '../gradcheck.ts';
import { Graph } from '../../../src/graph/builder.ts';
import { Session } from '../../../src/runtime/session.ts';
import { float32 } from '../../../src/runtime/tensor.ts';
import { gradients } from '../../../src/graph/autodiff.ts';

const ok = (r: string | null) => assert.equal(r, null, r ?? '');

test('Softmax/LogSoftmax vjp on the last and a middle axis (float64)', async () => {
  ok(await gradCheck((g, [x]) => g.softmax(x!, -1), [{ shape: [2, 5] }]));
  ok(await gradCheck((g, [x]) => g.softmax(x!, 1), [{ shape: [2, 3, 2] }]));
  ok(await gradCheck((g, [x]) => g.logSoftmax(x!, -1), [{ shape: [3, 4] }]));
});

test('LayerNormalization vjp for x, gain and bias using Mean/InvStdDev (float64)', async () => {
  ok(await gradCheck((g, [x, w, b]) => g.layerNorm(x!, w!, b!, 1e-5), [{ shape: [2, 3, 5] }, { shape: [5] }, { shape: [5] }]));
  ok(await gradCheck((g, [x, w]) => g.layerNorm(x!, w!, null, 1e-5), [{ shape: [4, 6] }, { shape: [6] }]));
});

// float32 exercises the path that reads the op's own Mean/InvStdDev outputs (float64 recomputes them);
// eps 1e-2 keeps rounding (~1e-7 |L| / eps) and truncation (~eps^2) under the 2e-3 tolerance
test('LayerNormalization vjp from its Mean/InvStdDev outputs (float32)', async () => {
  const o = { dtype: 'float32' as const, eps: 1e-2, atol: 2e-3, rtol: 1e-2 };
  ok(await gradCheck((g, [x, w, b]) => g.layerNorm(x!, w!, b!, 1e-5), [{ shape: [3, 5] }, { shape: [5] }, { shape: [5] }], o));
});

test('dropoutWithMask vjp and Dropout mask semantics (float64)', async () => {
  ok(await gradCheck((g, [x, m]) => g.dropoutWithMask(x!, g.cast(m!, 'bool'), 0.25), [{ shape: [2, 3] }, { shape: [2, 3], dtype: 'int64', values: [1, 0, 1, 1, 1, 0] }]));
});

test('Dropout vjp is dy * mask / (1 - p) with the mask the same forward run drew', async () => {
  const g = new Graph('do');
  const x = g.input('x', 'float32', [64]);
  const dy = g.input('dy', 'float32', [64]);
  const { y, mask } = g.dropout(x, 0.25, 3);
  const [dx] = gradients(g.reduceSum(g.mul(y, dy)), [x]);
  g.output('y', y); g.output('mask', mask!); g.output('dx', dx!);
  const s = await Session.create(g.toOnnx(), { threads: 1 });
  const xs = Array.from({ length: 64 }, (_, i) => i / 7 - 3), ds = Array.from({ length: 64 }, (_, i) => Math.cos(i));
  const r = await s.run({ x: float32(xs, [64]), dy: float32(ds, [64]) });
  const m = r.mask!.data as Uint8Array;
  const kept = m.reduce((a, b) => a + b, 0);
  assert.ok(kept > 32 && kept < 64, `kept ${kept} of 64 at p=0.25`);
  for (let i = 0; i < 64; i++) {
    assert.ok(Math.abs((r.y!.data[i] as number) - (m[i] ? xs[i]! / 0.75 : 0)) < 1e-5, `y[${i}]`);
    assert.ok(Math.abs((r.dx!.data[i] as number) - (m[i] ? ds[i]! / 0.75 : 0)) < 1e-5, `dx[${i}]`);
  }
});

test('layerNorm forward matches the hand formula (biased variance, eps 1e-5)', async () => {
  const g = new Graph('ln');
  const x = g.input('x', 'float32', [1, 4]);
  g.output('y', g.layerNorm(x, g.constant([1, 2, 1, 1], [4]), g.constant([0, 0, 0, 0.5], [4])));
  const s = await Session.create(g.toOnnx(), { threads: 1 });
  const y = (await s.run({ x: float32([1, 2, 3, 6], [1, 4]) })).y!.data as Float32Array;
  const mean = 3, v = (4 + 1 + 0 + 9) / 4, r = 1 / Math.sqrt(v + 1e-5);
  const want = [(1 - mean) * r, 2 * (2 - mean) * r, (3 - mean) * r, (6 - mean) * r + 0.5];
  want.forEach((w, i) => assert.ok(Math.abs(y[i]! - w) < 1e-5, `ln[${i}] ${y[i]} vs ${w}`));
  assert.throws(() => g.layerNorm(x, g.constant([1, 1, 1], [3]), null), /LayerNormalization: scale\/bias \(3\) must be \(4\) for input \(1, 4\)/);
});
