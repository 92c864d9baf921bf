import { test } from 'node:test';
import assert from 'node:assert/strict';
import { simulateMarket, MarketStream, SIGMA_CAP_MULT } from '../../src/market/simulate.ts';
import { logReturns } from '../../src/market/garch.ts';
import * as S from '../../src/market/stats.ts';
import { coin, market } from './helpers.ts';

const R = [[1, 0.8, 0.5], [0.8, 1, 0.4], [0.5, 0.4, 1]];
const params = market([coin({ coin: 'A' }), coin({ coin: 'B', startPrice: 2 }), coin({ coin: 'C', volB: 0 })], R, 100);

test('simulateMarket: valid candles, open = previous close, deterministic per seed', () => {
  const a = simulateMarket(params, { hours: 2000, seed: 1 });
  const b = simulateMarket(params, { hours: 2000, seed: 1 });
  const c = simulateMarket(params, { hours: 2000, seed: 2 });
  assert.deepEqual(a, b);
  assert.notDeepEqual(a.close[0], c.close[0]);
  assert.equal(a.open[1][0], 2);
  for (let i = 0; i < 3; i++) {
    for (let h = 0; h < 2000; h++) {
      const o = a.open[i][h], cl = a.close[i][h];
      assert.ok(o > 0 && cl > 0 && a.low[i][h] > 0);
      assert.ok(a.high[i][h] >= Math.max(o, cl) && a.low[i][h] <= Math.min(o, cl));
      assert.ok(a.volume[i][h] >= 0 && Number.isFinite(a.volume[i][h]));
      if (h > 0) assert.equal(o, a.close[i][h - 1]);
    }
  }
  const s = simulateMarket(params, { hours: 5, seed: 1, startPrice: [10, 20, 30] });
  assert.deepEqual(s.open.map((x) => x[0]), [10, 20, 30]);
  assert.throws(() => simulateMarket(params, { hours: -1, seed: 1 }), RangeError);
});

test('high-low range matches the Brownian-bridge expectation E[ln(H/L)] = σ√(8/π) for a driftless hour', () => {
  const sim = simulateMarket(params, { hours: 20_000, seed: 3 });
  let s = 0;
  for (let h = 0; h < 20_000; h++) s += Math.log(sim.high[0][h] / sim.low[0][h]);
  // with sigma varying around 1 %, E ln(H/L) ≈ E[σ]·1.596 ∈ (0.010, 0.017) (E σ ≤ √E σ² = 0.01, and ≥ 0.7 of it here)
  const m = s / 20_000;
  assert.ok(m > 0.7 * 0.01 * Math.sqrt(8 / Math.PI) && m < 0.01 * Math.sqrt(8 / Math.PI) * 1.05, `mean log range ${m}`);
});

test('stream continues the same path across fill calls', () => {
  const one = new MarketStream(params, 5), two = new MarketStream(params, 5);
  const r1 = new Float64Array(300 * 3), v1 = new Float64Array(300 * 3);
  one.fill(300, r1, v1);
  const ra = new Float64Array(100 * 3), va = new Float64Array(100 * 3), rb = new Float64Array(200 * 3), vb = new Float64Array(200 * 3);
  two.fill(100, ra, va);
  two.fill(200, rb, vb);
  assert.deepEqual(Array.from(r1), [...ra, ...rb]);
  assert.deepEqual(Array.from(v1), [...va, ...vb]);
});

test('simulated paths reproduce the model statistics: variance, correlation, AR(1), vol clustering, volume link', () => {
  const hours = 100_000;
  const s = new MarketStream(params, 8);
  const ret = new Float64Array(hours * 3), dlv = new Float64Array(hours * 3);
  s.fill(hours, ret, dlv);
  const col = (a: Float64Array, i: number) => Float64Array.from({ length: hours }, (_, h) => a[h * 3 + i]);
  const r = [0, 1, 2].map((i) => col(ret, i)), v = [0, 1, 2].map((i) => col(dlv, i));
  const m = S.moments(r[0]);
  assert.ok(Math.abs(m.std - 0.01) < 0.0015, `std ${m.std}`); // targeted unconditional std 1 %
  assert.ok(m.kurtosis > 1, `kurtosis ${m.kurtosis}`);          // GARCH + t5 gives fat tails
  const ac = S.autocorrelation(r[0], 24);
  assert.ok(Math.abs(ac[0] + 0.06) < 0.02, `acf1 ${ac[0]}`);
  const aac = S.absAutocorrelation(r[0], 24);
  assert.ok(aac[0] > 0.1 && aac[23] > 0.02 && aac[0] > aac[23], `|r| acf ${aac[0]} ${aac[23]}`);
  // Pearson correlation of returns with t5 margins and a near-Gaussian copula stays close to the copula's R
  const c = S.correlationMatrix(r);
  assert.ok(S.frobeniusDiff(c, R) < 0.08, `corr ${JSON.stringify(c)}`);
  assert.ok(S.volumeReturnCorrelation(r[0], v[0]) > 0.15);          // volB = 0.4
  assert.ok(Math.abs(S.volumeReturnCorrelation(r[2], v[2])) < 0.03); // volB = 0
  assert.ok(Math.abs(logReturns(Float64Array.from([1, Math.E]))[1] - 1) < 1e-15);
});

test('conditional std is capped at SIGMA_CAP_MULT x the unconditional std', () => {
  const c = coin({ coin: 'X', alpha: 0.05, beta: 0.945, nu: 4 }); // persistence 0.995, unconditional std 1 %
  const s = new MarketStream(market([c], [[1]], 4), 5);
  s.s2[0] = 0.2 ** 2; // a 20 %/h volatility state, as the uncapped near-integrated fits reached
  const hours = 200, sig = new Float64Array(hours);
  s.fill(hours, new Float64Array(hours), new Float64Array(hours), sig);
  const cap = SIGMA_CAP_MULT * Math.sqrt(c.omega / (1 - c.alpha - c.beta - c.gamma));
  assert.ok(Math.abs(sig[0] - 0.2) < 1e-12);
  assert.ok(Math.abs(sig[1] - cap) < 1e-12 * cap, `next hour ${sig[1]} should be the cap ${cap}`);
  for (let t = 1; t < hours; t++) assert.ok(sig[t] <= cap * (1 + 1e-12), `hour ${t}: ${sig[t]} > ${cap}`);
  assert.ok(sig[hours - 1] < 0.5 * cap, `decays: ${sig[hours - 1]}`);
});
