import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fitVolume, logVolume } from '../../src/market/volume.ts';
import { Rng } from '../../src/util/rng.ts';

test('fitVolume recovers the log-volume AR(1) with |z| loading (theta ≈ 0); skips missing and zero volume', () => {
  const rng = new Rng(7), n = 20_000;
  const z = new Float64Array(n), v = new Float64Array(n);
  v[0] = 10;
  for (let t = 1; t < n; t++) {
    z[t] = rng.normal();
    v[t] = 1.5 + 0.85 * v[t - 1] + 0.4 * Math.abs(z[t]) + 0.3 * rng.normal();
  }
  const vol = v.map(Math.exp);
  vol[500] = 0; vol[900] = NaN; z[1200] = NaN;
  const lv = logVolume(vol);
  assert.ok(Number.isNaN(lv[500]) && Number.isNaN(lv[900]));
  const f = fitVolume(lv, z);
  // OLS SEs at n=20000: a ≈ 0.004, b ≈ 0.004, c ≈ 0.04; tolerances ~4 SE
  assert.ok(Math.abs(f.volA - 0.85) < 0.015, `a ${f.volA}`);
  assert.ok(Math.abs(f.volB - 0.4) < 0.02, `b ${f.volB}`);
  assert.ok(Math.abs(f.volC - 1.5) < 0.2, `c ${f.volC}`);
  assert.ok(Math.abs(f.volSigma - 0.3) < 0.01, `sigma ${f.volSigma}`);
  assert.ok(f.volTheta < 0.03, `theta ${f.volTheta}`);
  assert.equal(f.n, n - 1 - 2 - 2 - 1);
  assert.ok(Number.isNaN(f.resid[1200]) && Number.isFinite(f.resid[1300]));
});

test('fitVolume recovers the MA term of the ARMA(1,1) log-volume model', () => {
  const rng = new Rng(8), n = 30_000;
  const z = new Float64Array(n), v = new Float64Array(n);
  v[0] = 20;
  let wPrev = 0;
  for (let t = 1; t < n; t++) {
    z[t] = rng.normal();
    const w = rng.normal();
    v[t] = 1 + 0.95 * v[t - 1] + 0.3 * Math.abs(z[t]) + 0.5 * (w - 0.4 * wPrev);
    wPrev = w;
  }
  const f = fitVolume(v, z);
  // CLS SEs at n=30000: theta ≈ 0.006, a ≈ 0.002 (near-unit root: faster), b ≈ 0.005
  assert.ok(Math.abs(f.volTheta - 0.4) < 0.03, `theta ${f.volTheta}`);
  assert.ok(Math.abs(f.volA - 0.95) < 0.01, `a ${f.volA}`);
  assert.ok(Math.abs(f.volB - 0.3) < 0.02, `b ${f.volB}`);
  assert.ok(Math.abs(f.volSigma - 0.5) < 0.015, `sigma ${f.volSigma}`);
});
