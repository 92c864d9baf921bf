import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lbfgs } from '../../src/evaluate/lbfgs.ts';

test('L-BFGS finds the minimum of the Rosenbrock function and of an quadratic with condition number 1000', () => {
  const rosen = (x: Float64Array, g: Float64Array) => {
    const [a, b] = [x[0], x[1]];
    g[0] = -2 * (1 - a) - 400 * a * (b - a * a);
    g[1] = 200 * (b - a * a);
    return (1 - a) ** 2 + 100 * (b - a * a) ** 2;
  };
  const r = lbfgs(rosen, Float64Array.from([-1.2, 1]), { maxIter: 500, gtol: 1e-8, ftol: 0 });
  assert.ok(Math.abs(r.x[0] - 1) < 1e-4 && Math.abs(r.x[1] - 1) < 1e-4, `got ${[...r.x]}`);
  const scales = Float64Array.from({ length: 50 }, (_, i) => 10 ** (i / 16.33));
  const quad = (x: Float64Array, g: Float64Array) => {
    let f = 0;
    for (let i = 0; i < x.length; i++) { const d = x[i] - i; f += 0.5 * scales[i] * d * d; g[i] = scales[i] * d; }
    return f;
  };
  const q = lbfgs(quad, new Float64Array(50), { maxIter: 500, gtol: 1e-9, ftol: 0 });
  for (let i = 0; i < 50; i++) assert.ok(Math.abs(q.x[i] - i) < 1e-6, `x[${i}] = ${q.x[i]}`);
  assert.ok(q.converged);
});
