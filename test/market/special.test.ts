import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lgamma, tCdf, tQuantile, absMeanUnitT, normalCdf, betaInc } from '../../src/market/special.ts';
import { Rng } from '../../src/util/rng.ts';

test('lgamma matches factorials and Γ(1/2) = √π', () => {
  assert.ok(Math.abs(lgamma(5) - Math.log(24)) < 1e-12);
  assert.ok(Math.abs(lgamma(0.5) - 0.5 * Math.log(Math.PI)) < 1e-12);
  assert.ok(Math.abs(lgamma(101) - 363.73937555556347) < 1e-9);
});

test('t CDF: Cauchy closed form for nu=1, normal limit, symmetry; incomplete beta I_x(1,1)=x', () => {
  for (const x of [-30, -2, -0.3, 0, 0.7, 5]) assert.ok(Math.abs(tCdf(x, 1) - (0.5 + Math.atan(x) / Math.PI)) < 1e-12, `x=${x}`);
  for (const x of [-2, -1, 0.5, 1.96]) assert.ok(Math.abs(tCdf(x, 1e6) - normalCdf(x)) < 1e-6);
  assert.ok(Math.abs(tCdf(1.3, 4) + tCdf(-1.3, 4) - 1) < 1e-14);
  assert.ok(Math.abs(betaInc(1, 1, 0.37) - 0.37) < 1e-14);
  assert.ok(Math.abs(tCdf(2.015048, 5) - 0.95) < 1e-6); // table value t_{0.95,5}
});

test('t quantile inverts the CDF, including far tails', () => {
  for (const nu of [2.5, 4, 30]) {
    for (const p of [1e-12, 1e-5, 0.01, 0.3, 0.5, 0.9, 0.999]) {
      const x = tQuantile(p, nu);
      assert.ok(Math.abs(tCdf(x, nu) - p) / Math.min(p, 1 - p) < 1e-8, `nu=${nu} p=${p}`);
    }
  }
  assert.ok(Math.abs(tQuantile(0.975, 1) - Math.tan(Math.PI * 0.475)) < 1e-9);
});

test('E|Z| of a unit-variance t agrees with Monte Carlo and tends to sqrt(2/π)', () => {
  const r = new Rng(3), nu = 5, n = 400_000;
  let s = 0;
  for (let i = 0; i < n; i++) s += Math.abs(r.studentT(nu)) * Math.sqrt((nu - 2) / nu);
  assert.ok(Math.abs(s / n - absMeanUnitT(nu)) < 0.005); // MC std error ≈ 0.0013
  assert.ok(Math.abs(absMeanUnitT(1e5) - Math.sqrt(2 / Math.PI)) < 1e-4);
});
