import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gradCheck } from '../gradcheck.ts';
import { Graph } from '../../../src/graph/builder.ts';
import { Session } from '../../../src/runtime/session.ts';
import { float32 } from '../../../src/runtime/tensor.ts';

const ok = (r: string | null) => assert.equal(r, null, r ?? '');
const pos = (n: number) => Array.from({ length: n }, (_, i) => 0.3 + 0.37 * i);

test('Neg/Exp/Log/Sqrt/Reciprocal/Tanh/Sigmoid/Abs vjp match finite differences (float64)', async () => {
  ok(await gradCheck((g, [x]) => g.neg(x!), [{ shape: [4] }]));
  ok(await gradCheck((g, [x]) => g.exp(x!), [{ shape: [2, 3] }]));
  ok(await gradCheck((g, [x]) => g.log(x!), [{ shape: [5], values: pos(5) }]));
  ok(await gradCheck((g, [x]) => g.sqrt(x!), [{ shape: [5], values: pos(5) }]));
  ok(await gradCheck((g, [x]) => g.reciprocal(x!), [{ shape: [5], values: pos(5) }]));
  ok(await gradCheck((g, [x]) => g.tanh(x!), [{ shape: [6] }]));
  ok(await gradCheck((g, [x]) => g.sigmoid(x!), [{ shape: [6] }]));
  ok(await gradCheck((g, [x]) => g.abs(x!), [{ shape: [4], values: [-1.5, -0.2, 0.3, 2] }]));
  ok(await gradCheck((g, [x]) => g.relu(x!), [{ shape: [4], values: [-1.5, -0.2, 0.3, 2] }]));
});

// the float32 round trip rounds x +- eps to ~6e-8 relative, so the linear map's difference quotient is good to ~1e-5
test('Clip vjp passes the gradient only inside the bounds; Cast vjp casts back (float64)', async () => {
  ok(await gradCheck((g, [x]) => g.clip(x!, -0.5, 0.7), [{ shape: [6], values: [-2, -0.4, 0.1, 0.69, 0.8, 3] }]));
  ok(await gradCheck((g, [x]) => g.clip(x!, undefined, 0), [{ shape: [4], values: [-2, -0.4, 0.1, 3] }]));
  ok(await gradCheck((g, [x]) => g.cast(g.mul(g.cast(x!, 'float32'), 2), 'float64'), [{ shape: [3], values: [0.5, 1, -2] }], { eps: 1e-2, atol: 1e-4, rtol: 1e-4 }));
});

// onnxruntime's CPU provider has no float64 Erf/Gelu kernel, so these run in float32: with eps 1e-2 the
// central-difference truncation error is ~eps^2 |f'''| / 6 < 1e-4 and rounding ~1e-7 |L| / eps < 1e-4.
test('Erf and Gelu vjp match finite differences (float32)', async () => {
  const o = { dtype: 'float32' as const, eps: 1e-2, atol: 2e-3, rtol: 1e-2 };
  ok(await gradCheck((g, [x]) => g.erf(x!), [{ shape: [8] }], o));
  ok(await gradCheck((g, [x]) => g.gelu(x!), [{ shape: [2, 5] }], o));
  // x == 0 (Phi read off y / x needs the 1/2 branch), tiny, and large |x| where y underflows or equals x
  ok(await gradCheck((g, [x]) => g.gelu(x!), [{ shape: [7], values: [0, 1e-30, -1e-20, -12, -30, 9, 40] }], { ...o, eps: 1e-3 }));
});

test('Gelu forward is the exact erf form 0.5 x (1 + erf(x / sqrt 2))', async () => {
  const g = new Graph('gelu');
  const x = g.input('x', 'float32', [4]);
  g.output('y', g.gelu(x));
  const s = await Session.create(g.toOnnx(), { threads: 1 });
  const y = (await s.run({ x: float32([-2, -0.5, 0, 1.5], [4]) })).y!.data;
  // erf values from Abramowitz-Stegun tables: erf(1.41421)=0.9544997, erf(0.353553)=0.3829249, erf(1.06066)=0.8663856
  const want = [-2 * 0.5 * (1 - 0.9544997), -0.5 * 0.5 * (1 - 0.3829249), 0, 1.5 * 0.5 * (1 + 0.8663856)];
  want.forEach((w, i) => assert.ok(Math.abs(y[i] as number - w) < 1e-5, `gelu[${i}] ${y[i]} vs ${w}`));
});
