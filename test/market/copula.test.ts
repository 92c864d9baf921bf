import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TQuantileTable, buildMarginalMap, applyMarginalMap, fitTCopula, pseudoObservations } from '../../src/market/copula.ts';
import { tCdf, tQuantile } from '../../src/market/special.ts';
import { cholesky } from '../../src/market/linalg.ts';
import { Rng } from '../../src/util/rng.ts';

test('tabulated t quantiles agree with the exact inverse', () => {
  const q = new TQuantileTable(3.5);
  for (const p of [1e-9, 1e-4, 0.02, 0.4, 0.5, 0.77, 0.9999]) {
    const want = tQuantile(p, 3.5);
    assert.ok(Math.abs(q.quantile(p) - want) <= 1e-5 * Math.max(1, Math.abs(want)), `p=${p}`);
  }
});

test('marginal map: scaled identity when dofs agree, odd, monotone, right distribution otherwise', () => {
  const same = buildMarginalMap(5, 5);
  for (const x of [-60, -3, -0.2, 0, 1.5, 39.99, 80]) assert.ok(Math.abs(applyMarginalMap(same, x) - Math.sqrt(3 / 5) * x) < 1e-4 * Math.max(1, Math.abs(x)), `x=${x}`);
  const m = buildMarginalMap(3, 8);
  let prev = -Infinity;
  for (let x = -50; x <= 50; x += 0.37) { const z = applyMarginalMap(m, x); assert.ok(z > prev); prev = z; assert.ok(Math.abs(z + applyMarginalMap(m, -x)) < 1e-12); }
  // P(z <= map(x)) for z ~ unit-variance t3 equals T_8(x)
  for (const x of [-4, -1, 0.5]) assert.ok(Math.abs(tCdf(applyMarginalMap(m, x) / Math.sqrt(1 / 3), 3) - tCdf(x, 8)) < 1e-5);
});

test('pseudo-observations are ranks/(n+1)', () => {
  const [u] = pseudoObservations([Float64Array.from([3, 1, 2])]);
  assert.deepEqual(Array.from(u), [0.75, 0.25, 0.5]);
});

test('fitTCopula recovers correlation and tail dof of a simulated t-copula', () => {
  const R = [[1, 0.7, 0.5], [0.7, 1, 0.3], [0.5, 0.3, 1]], nu = 5, n = 20_000;
  const l = cholesky(R)!, rng = new Rng(9);
  const cols = [0, 1, 2].map(() => new Float64Array(n));
  for (let t = 0; t < n; t++) {
    const g = [rng.normal(), rng.normal(), rng.normal()];
    const w = Math.sqrt(rng.gamma(nu / 2) / (nu / 2));
    for (let i = 0; i < 3; i++) {
      let x = 0;
      for (let k = 0; k <= i; k++) x += l[i][k] * g[k];
      cols[i][t] = Math.exp(x / w); // any monotone marginal: the copula is rank-based
    }
  }
  const f = fitTCopula(cols);
  // SE of a correlation ≈ (1-ρ²)/√n ≤ 0.007; dof of a t-copula at n=20000 is known to ~±1.5
  for (const [i, j] of [[0, 1], [0, 2], [1, 2]]) assert.ok(Math.abs(f.corr[i][j] - R[i][j]) < 0.03, `corr ${i}${j}: ${f.corr[i][j]}`);
  assert.ok(f.nu > 3.3 && f.nu < 8.5, `nu ${f.nu}`);
});
