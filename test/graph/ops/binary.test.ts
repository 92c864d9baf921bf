import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gradCheck } from '../gradcheck.ts';

const ok = (r: string | null) => assert.equal(r, null, r ?? '');

test('Add/Sub/Mul/Div vjp with broadcasting match finite differences (float64)', async () => {
  ok(await gradCheck((g, [a, b]) => g.add(a!, b!), [{ shape: [2, 3] }, { shape: [3] }]));
  ok(await gradCheck((g, [a, b]) => g.sub(a!, b!), [{ shape: [2, 1, 3] }, { shape: [4, 1] }]));
  ok(await gradCheck((g, [a, b]) => g.mul(a!, b!), [{ shape: [2, 3] }, { shape: [2, 1] }]));
  ok(await gradCheck((g, [a, b]) => g.div(a!, g.add(g.mul(b!, b!), 1)), [{ shape: [3] }, { shape: [2, 3] }]));
  // scalar, leading-ones and inner-ones operands (the row-sum Gemm path and the ReduceSum path of sumTo)
  ok(await gradCheck((g, [a, b]) => g.mul(a!, b!), [{ shape: [2, 3] }, { shape: [] }]));
  ok(await gradCheck((g, [a, b]) => g.add(a!, b!), [{ shape: [2, 3, 4] }, { shape: [1, 1, 4] }]));
  ok(await gradCheck((g, [a, b]) => g.sub(a!, b!), [{ shape: [2, 3, 4] }, { shape: [2, 1, 4] }]));
});

test('Pow vjp for constant and tensor exponents (float64)', async () => {
  ok(await gradCheck((g, [a]) => g.pow(g.add(g.mul(a!, a!), 0.5), 1.5), [{ shape: [5] }]));
  ok(await gradCheck((g, [a, b]) => g.pow(g.add(g.mul(a!, a!), 0.5), b!), [{ shape: [2, 3] }, { shape: [3] }]));
});

test('Min/Max/Where vjp route the gradient to the chosen operand (float64)', async () => {
  ok(await gradCheck((g, [a, b]) => g.max(a!, b!), [{ shape: [2, 3] }, { shape: [3] }]));
  ok(await gradCheck((g, [a, b]) => g.min(a!, b!), [{ shape: [6] }, { shape: [6] }]));
  ok(await gradCheck((g, [c, a, b]) => g.where(g.cast(c!, 'bool'), a!, b!), [
    { shape: [2, 3], dtype: 'int64', values: [1, 0, 1, 1, 0, 0] },
    { shape: [2, 3] },
    { shape: [1, 3] },
  ]));
});
