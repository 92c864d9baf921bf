import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nelderMead, goldenSection } from '../../src/market/optimize.ts';

test('Nelder-Mead finds the Rosenbrock minimum and a 6-d quadratic minimum', () => {
  const rosen = (x: Float64Array) => 100 * (x[1] - x[0] * x[0]) ** 2 + (1 - x[0]) ** 2;
  const r = nelderMead(rosen, [-1.2, 1], { maxEvals: 4000, ftol: 1e-14 });
  assert.ok(Math.abs(r.x[0] - 1) < 1e-3 && Math.abs(r.x[1] - 1) < 2e-3, `got ${r.x}`);
  const c = [1, -2, 3, 0.5, -0.1, 7];
  const q = nelderMead((x) => x.reduce((s, v, i) => s + (i + 1) * (v - c[i]) ** 2, 0), new Array(6).fill(0), { maxEvals: 6000, ftol: 1e-16 });
  for (let i = 0; i < 6; i++) assert.ok(Math.abs(q.x[i] - c[i]) < 1e-3, `coord ${i}: ${q.x[i]}`);
});

test('Nelder-Mead treats non-finite values as a barrier', () => {
  const f = (x: Float64Array) => (x[0] < 0.5 ? NaN : (x[0] - 2) ** 2);
  const r = nelderMead(f, [1], { step: 0.3 });
  assert.ok(Math.abs(r.x[0] - 2) < 1e-3);
});

test('golden section minimises a unimodal function', () => {
  assert.ok(Math.abs(goldenSection((x) => (x - 0.3) ** 2 + 1, -2, 5, 1e-8) - 0.3) < 1e-6);
});
