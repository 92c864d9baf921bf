import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Graph } from '../../src/graph/builder.ts';
import { gradients } from '../../src/graph/autodiff.ts';
import { type OpDef, ShapeError } from '../../src/graph/ir.ts';
import { op1 } from '../../src/graph/ops/common.ts';
import { Session } from '../../src/runtime/session.ts';
import { float64 } from '../../src/runtime/tensor.ts';
import { gradCheck } from './gradcheck.ts';

const ok = (r: string | null) => assert.equal(r, null, r ?? '');

test('fan-out accumulates: a value used twice gets the sum of both gradients (float64)', async () => {
  ok(await gradCheck((g, [x, w]) => {
    const h = g.matMul(x!, w!);
    return g.add(g.mul(h, g.softmax(h)), g.layerNorm(h, g.constant(new Float64Array([1, 2]), [2]), null));
  }, [{ shape: [3, 4] }, { shape: [4, 2] }]));
});

test('a small MLP with GELU, LayerNorm and cross-entropy-like loss has correct gradients (float32)', async () => {
  ok(await gradCheck((g, [x, w1, w2]) => {
    const h = g.gelu(g.matMul(g.layerNorm(x!, g.constant([1, 1, 1], [3]), null), w1!));
    return g.logSoftmax(g.matMul(h, w2!));
  }, [{ shape: [2, 3] }, { shape: [3, 4] }, { shape: [4, 3] }], { dtype: 'float32', eps: 1e-2, atol: 3e-3, rtol: 2e-2 }));
});

test('unused parameters get zeros, ints stop gradients, and the seed scales the result', async () => {
  const g = new Graph('z');
  const x = g.input('x', 'float64', [2]);
  const u = g.input('u', 'float64', [3]);
  const seed = g.input('seed', 'float64', []);
  const loss = g.reduceSum(g.mul(x, g.cast(g.cast(x, 'int64'), 'float64'))); // the int path carries no gradient
  const [dx, du] = gradients(loss, [x, u], seed);
  g.output('dx', dx!);
  g.output('du', du!);
  const s = await Session.create(g.toOnnx(), { threads: 1 });
  const r = await s.run({ x: float64([2.5, -1.5], [2]), u: float64([1, 2, 3], [3]), seed: float64([3], []) });
  assert.deepEqual(Array.from(r.dx!.data as Float64Array), [6, -3]);
  assert.deepEqual(Array.from(r.du!.data as Float64Array), [0, 0, 0]);
});

test('the checker catches a wrong vjp and a rule returning the wrong shape is rejected', async () => {
  const BadSquare: OpDef = {
    type: 'Mul', // emits x*x but claims d/dx = x (missing the factor 2)
    infer: (ins) => [{ dtype: ins[0]!.dtype, shape: ins[0]!.shape }],
    vjp: ({ inputs: [x], grads: [dy] }) => [op1(BadSquare, [dy!, x!]), null],
  };
  const report = await gradCheck((g, [x]) => op1(BadSquare, [x!, x!]), [{ shape: [4] }]);
  assert.ok(report && /4\/4 elements outside/.test(report) && report.includes('analytic'), report ?? 'no report');
  const g = new Graph('w');
  const x = g.input('x', 'float64', [2, 2]);
  const R: OpDef = { type: 'Identity', infer: (ins) => [{ dtype: ins[0]!.dtype, shape: ins[0]!.shape }], vjp: ({ grads: [dy] }) => [g.reduceSum(dy!)] };
  assert.throws(() => gradients(g.reduceSum(op1(R, [x])), [x]), (e: Error) => e instanceof ShapeError && /Identity vjp: gradient float64\(\) for input x:float64\(2, 2\) has the wrong type/.test(e.message));
});

// a pre-norm causal transformer block + head + label-smoothed loss, as docs/model.md builds it, with a symbolic batch:
// exercises the Shape/Size-based paths of the rules (row sums, mean counts, reshapes) end to end. float32 because
// of Gelu; eps 1e-2 and tolerances as for the single float32 ops, the loss being O(1).
test('a transformer block with symbolic batch B has finite-difference-correct gradients (float32)', async () => {
  const T = 3, d = 4, H = 2, dh = 2, F = 6, V = 3;
  const mask = new Float32Array(T * T);
  for (let t = 0; t < T; t++) for (let s = t + 1; s < T; s++) mask[t * T + s] = -1e9;
  const report = await gradCheck((g, [h, wqkv, wo, w1, w2, lnG, y]) => {
    const a = g.layerNorm(h!, lnG!, null);
    const qkv = g.matMul(a, wqkv!); // (B, T, 3d)
    const heads = g.transpose(g.reshape(qkv, ['B', T, 3, H, dh]), [2, 0, 3, 1, 4]); // (3, B, H, T, dh)
    const [q, k, v] = g.split(heads, 0, [1, 1, 1]).map((t) => g.reshape(t, ['B', H, T, dh]));
    const att = g.softmax(g.add(g.mul(g.matMul(q!, g.transpose(k!, [0, 1, 3, 2])), 1 / Math.sqrt(dh)), g.constant(mask, [T, T])), -1);
    const o = g.matMul(g.reshape(g.transpose(g.matMul(att, v!), [0, 2, 1, 3]), ['B', T, d]), wo!);
    const h2 = g.add(h!, o);
    const m = g.gelu(g.matMul(g.layerNorm(h2, lnG!, null), w1!));
    const logits = g.add(h2, g.matMul(m, w2!)); // (B, T, d) as logits over V = d classes
    return g.crossEntropy(g.slice(logits, [0], [V], [2]), y!, 0.1).loss;
  }, [
    { shape: ['B', T, d] }, { shape: [d, 3 * d] }, { shape: [d, d] }, { shape: [d, F] }, { shape: [F, d] }, { shape: [d] },
    { shape: ['B', T], dtype: 'int64', values: [0, 2, 1, 1, 0, 2], grad: false },
  ], { dtype: 'float32', eps: 1e-2, atol: 3e-3, rtol: 2e-2, bind: { B: 2 } });
  assert.equal(report, null, report ?? '');
});
