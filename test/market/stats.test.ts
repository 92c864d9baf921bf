import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as S from '../../src/market/stats.ts';
import { Rng } from '../../src/util/rng.ts';

test('moments: hand-computed example and normal sample; NaN skipped', () => {
  const m = S.moments([1, 2, 3, 4, NaN, 10]);
  assert.equal(m.n, 5);
  assert.ok(Math.abs(m.mean - 4) < 1e-12);
  assert.ok(Math.abs(m.std - Math.sqrt(10)) < 1e-12); // deviations -3,-2,-1,0,6 → Σd²=50, /5
  assert.ok(Math.abs(m.skew - (-27 - 8 - 1 + 216) / 5 / 10 ** 1.5) < 1e-12);
  const r = new Rng(1), x = Float64Array.from({ length: 200_000 }, () => r.normal());
  const g = S.moments(x);
  assert.ok(Math.abs(g.skew) < 0.03 && Math.abs(g.kurtosis) < 0.06); // SEs ≈ 0.0055 and 0.011
});

test('autocorrelation of an AR(1) decays like phi^k; |x| ACF of iid noise is ~0', () => {
  const r = new Rng(2), n = 100_000, x = new Float64Array(n);
  for (let t = 1; t < n; t++) x[t] = 0.6 * x[t - 1] + r.normal();
  const ac = S.autocorrelation(x, 24);
  assert.equal(ac.length, 24);
  for (const k of [1, 2, 5]) assert.ok(Math.abs(ac[k - 1] - 0.6 ** k) < 0.02, `lag ${k}: ${ac[k - 1]}`);
  const e = Float64Array.from({ length: n }, () => r.normal());
  assert.ok(Math.abs(S.absAutocorrelation(e, 3)[0]) < 0.015);
});

test('correlation matrix, Frobenius distance and volume-return correlation', () => {
  const r = new Rng(3), n = 50_000;
  const a = new Float64Array(n), b = new Float64Array(n), v = new Float64Array(n);
  for (let t = 0; t < n; t++) { a[t] = r.normal(); b[t] = 0.8 * a[t] + 0.6 * r.normal(); v[t] = Math.abs(a[t]) + r.normal(); }
  const c = S.correlationMatrix([a, b]);
  assert.ok(Math.abs(c[0][1] - 0.8) < 0.01 && c[1][0] === c[0][1] && c[0][0] === 1);
  assert.ok(Math.abs(S.frobeniusDiff([[1, 0.5], [0.5, 1]], [[1, 0.2], [0.2, 1]]) - Math.sqrt(2 * 0.09)) < 1e-12);
  // corr(|a|, |a|+e) = sd|a| / sqrt(var|a| + 1), var|a| = 1 - 2/π
  const want = Math.sqrt(1 - 2 / Math.PI) / Math.sqrt(2 - 2 / Math.PI);
  assert.ok(Math.abs(S.volumeReturnCorrelation(a, v) - want) < 0.015);
});

test('token distributions, transition matrices and total variation', () => {
  const tok = Int32Array.from([0, 1, 2, 0, 1, 2, 0, 1, 2, -1, 2]);
  const p = S.tokenDistribution(tok, 3);
  assert.deepEqual(Array.from(p), [0.3, 0.3, 0.4]);
  const m = S.transitionMatrix(tok, 3);
  assert.deepEqual(Array.from(m), [0, 1, 0, 0, 0, 1, 1, 0, 0]); // pairs with -1 skipped
  const u8 = Uint8Array.from([0, 0, 0, 1]);
  assert.deepEqual(Array.from(S.transitionMatrix(u8, 2)), [2 / 3, 1 / 3, 0, 0]);
  assert.ok(Math.abs(S.totalVariation([0.5, 0.5], [0.9, 0.1]) - 0.4) < 1e-12);
  assert.ok(Math.abs(S.transitionDistance(m, m, 3)) < 1e-12);
  const id = Float64Array.from([1, 0, 0, 0, 1, 0, 0, 0, 1]);
  assert.ok(Math.abs(S.transitionDistance(m, id, 3) - 1) < 1e-12);
});

test('ranks and Spearman correlation: invariant to monotone transforms, NaN rows dropped', () => {
  assert.deepEqual(Array.from(S.ranks([3, NaN, 1, 2])), [2, NaN, 0, 1]);
  const r = new Rng(4), n = 5000;
  const a = Float64Array.from({ length: n }, () => r.normal());
  const b = a.map((x) => Math.exp(3 * x) + 0.0 * x), c = a.map((x) => -(x ** 3));
  b[10] = NaN;
  const m = S.rankCorrelationMatrix([a, b, c]);
  assert.ok(Math.abs(m[0][1] - 1) < 1e-12 && Math.abs(m[0][2] + 1) < 1e-12);
});
