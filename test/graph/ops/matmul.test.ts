import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gradCheck } from '../gradcheck.ts';
import { Graph } from '../../../src/graph/builder.ts';
import { ShapeError } from '../../../src/graph/ir.ts';

const ok = (r: string | null) => assert.equal(r, null, r ?? '');

test('MatMul vjp: 2-D, batched (B,T,d) x (d,F), and broadcast batch (float64)', async () => {
  ok(await gradCheck((g, [a, b]) => g.matMul(a!, b!), [{ shape: [3, 4] }, { shape: [4, 2] }]));
  ok(await gradCheck((g, [a, b]) => g.matMul(a!, b!), [{ shape: [2, 3, 4] }, { shape: [4, 2] }]));
  ok(await gradCheck((g, [a, b]) => g.matMul(a!, b!), [{ shape: [2, 2, 3, 4] }, { shape: [2, 1, 4, 3] }]));
});

test('Gemm vjp for every transA/transB combination, with bias and alpha/beta (float64)', async () => {
  for (const transA of [false, true]) {
    for (const transB of [false, true]) {
      const A = transA ? [4, 3] : [3, 4], B = transB ? [2, 4] : [4, 2];
      ok(await gradCheck((g, [a, b, c]) => g.gemm(a!, b!, c!, { transA, transB, alpha: 0.7, beta: 1.3 }), [{ shape: A }, { shape: B }, { shape: [2] }]));
    }
  }
});

test('MatMul shape errors name the op and both shapes', () => {
  const g = new Graph('m');
  const a = g.input('a', 'float32', ['B', 24, 80]);
  const w = g.input('w', 'float32', [64, 64]);
  assert.throws(() => g.matMul(a, w), (e: Error) => e instanceof ShapeError && e.message.includes('MatMul: (B, 24, 80) x (64, 64): inner dims differ'));
  const w2 = g.input('w2', 'float32', [80, 64]);
  assert.deepEqual(g.matMul(a, w2).shape, ['B', 24, 64]);
  const d = g.input('d', 'float64', [80, 64]);
  assert.throws(() => g.matMul(a, d), /MatMul: dtype mismatch float32\(B, 24, 80\) vs float64\(80, 64\)/);
});
