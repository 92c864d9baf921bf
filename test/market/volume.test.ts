import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fitVolume, logVolume } from '../../src/market/volume.ts';
import { Rng } from '../../src/util/rng.ts';

test('fitVolume recovers the log-volume AR(1) with |z| loading; skips missing and zero volume', () => {
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
  assert.equal(f.n, n - 1 - 2 - 2 - 1);
  assert.ok(Number.isNaN(f.resid[1200]) && Number.isFinite(f.resid[1300]));
});
