import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fitGarch, garchFilter, garchNegLogLik, logReturns, marketNews, MAX_PERSISTENCE, MIN_NU } from '../../src/market/garch.ts';
import { MarketStream } from '../../src/market/simulate.ts';
import { coin, market } from './helpers.ts';

function simulateReturns(p: ReturnType<typeof coin>, hours: number, seed: number): Float64Array {
  const s = new MarketStream(market([p], [[1]], p.nu), seed);
  const r = new Float64Array(hours);
  s.fill(hours, r, new Float64Array(hours));
  return r;
}

test('logReturns: log ratio, NaN across missing or non-positive closes', () => {
  const r = logReturns(Float64Array.from([100, 110, NaN, 121, 0, 5]));
  assert.ok(Number.isNaN(r[0]) && Number.isNaN(r[2]) && Number.isNaN(r[3]) && Number.isNaN(r[4]) && Number.isNaN(r[5]));
  assert.ok(Math.abs(r[1] - Math.log(1.1)) < 1e-15);
});

// tolerances: at n = 30 000 hours the asymptotic standard errors of GARCH(1,1)-t with these values are about
// 0.006 (alpha), 0.012 (beta), 0.35 (nu), 0.006 (phi); we allow ~3.5 standard errors
test('fitGarch recovers AR(1)-GARCH(1,1)-t parameters from a simulated path', () => {
  const truth = coin({ coin: 'X', alpha: 0.07, beta: 0.9, phi: -0.06, nu: 5 });
  const r = simulateReturns(truth, 30_000, 11);
  const g = fitGarch(r);
  assert.ok(Math.abs(g.alpha - 0.07) < 0.02, `alpha ${g.alpha}`);
  assert.ok(Math.abs(g.beta - 0.9) < 0.04, `beta ${g.beta}`);
  assert.ok(Math.abs(g.nu - 5) < 1.3, `nu ${g.nu}`);
  assert.ok(Math.abs(g.phi + 0.06) < 0.022, `phi ${g.phi}`);
  assert.ok(Math.abs(g.mu - 1e-4) < 2.5e-4, `mu ${g.mu}`); // SE ≈ 0.01/√30000 ≈ 6e-5
  assert.equal(g.gamma, 0);
  // the fit is a local optimum: moving the news weight or the tail dof either way lowers the likelihood
  const s0 = 1e-4, base = garchNegLogLik(r, g, s0);
  for (const d of [-0.01, 0.01]) assert.ok(garchNegLogLik(r, { ...g, alpha: g.alpha + d, beta: g.beta - d }, s0) > base);
  for (const d of [-0.5, 0.5]) assert.ok(garchNegLogLik(r, { ...g, nu: g.nu + d }, s0) > base);
});

test('fitGarch caps the persistence at MAX_PERSISTENCE and floors nu at MIN_NU (near-integrated, heavy-tailed path)', () => {
  const truth = coin({ coin: 'X', alpha: 0.08, beta: 0.9185, nu: 3.2 }); // persistence 0.9985
  const g = fitGarch(simulateReturns(truth, 20_000, 13));
  const p = g.alpha + g.beta + g.gamma;
  assert.ok(p <= MAX_PERSISTENCE + 1e-12 && p > MAX_PERSISTENCE - 0.005, `persistence ${p}`); // pinned at the cap
  assert.ok(g.nu >= MIN_NU && g.nu < MIN_NU + 0.5, `nu ${g.nu}`); // pinned at the floor
});

test('fitGarch skips missing hours; the filter gives unit-variance residuals, NaN at gaps', () => {
  const truth = coin({ coin: 'X', alpha: 0.05, beta: 0.93, nu: 6 });
  const r = simulateReturns(truth, 20_000, 12);
  for (let t = 100; t < r.length; t += 97) r[t] = NaN;
  const g = fitGarch(r);
  assert.ok(Math.abs(g.alpha + g.beta - 0.98) < 0.02, `persistence ${g.alpha + g.beta}`);
  const { z, sigma } = garchFilter(r, g);
  assert.ok(Number.isNaN(z[100]) && Number.isNaN(sigma[197]));
  let s = 0, n = 0;
  for (const v of z) if (Number.isFinite(v)) { s += v * v; n++; }
  assert.ok(Math.abs(s / n - 1) < 0.1, `E z² = ${s / n}`);
});

test('fitGarch rejects too-short series; marketNews averages z² over available coins', () => {
  assert.throws(() => fitGarch(new Float64Array(50)), /at least 200/);
  const m = marketNews([Float64Array.from([1, NaN, NaN]), Float64Array.from([3, 2, NaN])]);
  assert.equal(m[0], 5);
  assert.equal(m[1], 4);
  assert.ok(Number.isNaN(m[2]));
});
