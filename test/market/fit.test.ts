import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fitMarket, completeRows } from '../../src/market/fit.ts';
import { simulateMarket } from '../../src/market/simulate.ts';
import { coin, market } from './helpers.ts';
import { loadReal } from './real-csv.ts';
import { candleSubsetDir } from '../fixtures/data.ts';

const R = [[1, 0.75, 0.55], [0.75, 1, 0.45], [0.55, 0.45, 1]];
const RV = [[1, 0.5, 0.3], [0.5, 1, 0.2], [0.3, 0.2, 1]];
const truth = market([
  coin({ coin: 'A', alpha: 0.03, gamma: 0.03, beta: 0.92, nu: 4.5, phi: -0.05, volA: 0.8, volB: 0.35, volSigma: 0.4 }),
  coin({ coin: 'B', alpha: 0.06, gamma: 0.0, beta: 0.91, nu: 6, phi: -0.08, volA: 0.7, volB: 0.5, volSigma: 0.5 }),
  coin({ coin: 'C', alpha: 0.05, gamma: 0.02, beta: 0.9, nu: 5, phi: 0.0, volA: 0.9, volB: 0.25, volSigma: 0.3 }),
], R, 6, RV);

test('fitMarket recovers a 3-coin market simulated from known parameters (with missing hours)', () => {
  const hours = 25_000;
  const sim = simulateMarket(truth, { hours, seed: 21 });
  for (const t of [1000, 1001, 1002, 7000, 15000]) for (let i = 0; i < 3; i++) { sim.close[i][t] = NaN; sim.volume[i][t] = NaN; }
  const p = fitMarket({ coins: sim.coins, close: sim.close, volume: sim.volume });
  assert.deepEqual(p.coins.map((c) => c.coin), ['A', 'B', 'C']);
  // tolerances ≈ 3.5 asymptotic SEs at n = 25 000 (see garch.test.ts); the news split alpha/gamma is less
  // well identified than their sum, so we check the sum and a looser bound on gamma
  truth.coins.forEach((t, i) => {
    const f = p.coins[i];
    assert.ok(Math.abs(f.alpha + f.gamma - (t.alpha + t.gamma)) < 0.025, `${t.coin} news ${f.alpha + f.gamma}`);
    assert.ok(Math.abs(f.gamma - t.gamma) < 0.025, `${t.coin} gamma ${f.gamma}`);
    assert.ok(Math.abs(f.beta - t.beta) < 0.04, `${t.coin} beta ${f.beta}`);
    assert.ok(Math.abs(f.nu - t.nu) < 0.3 * t.nu, `${t.coin} nu ${f.nu}`);
    assert.ok(Math.abs(f.phi - t.phi) < 0.025, `${t.coin} phi ${f.phi}`);
    assert.ok(Math.abs(f.volA - t.volA) < 0.02, `${t.coin} volA ${f.volA}`);
    assert.ok(Math.abs(f.volB - t.volB) < 0.03, `${t.coin} volB ${f.volB}`);
    assert.ok(Math.abs(f.volSigma - t.volSigma) < 0.015, `${t.coin} volSigma ${f.volSigma}`);
    // omega after the median-|r| calibration: the unconditional variance omega/(1-p) is within 30 % of the truth
    const uv = (c: typeof f) => c.omega / (1 - c.alpha - c.beta - c.gamma);
    assert.ok(Math.abs(uv(f) / uv(t) - 1) < 0.3, `${t.coin} variance ratio ${uv(f) / uv(t)}`);
  });
  for (const [i, j] of [[0, 1], [0, 2], [1, 2]]) {
    assert.ok(Math.abs(p.copulaCorr[i][j] - R[i][j]) < 0.03, `corr ${i}${j} ${p.copulaCorr[i][j]}`);
    assert.ok(Math.abs(p.volumeCorr[i][j] - RV[i][j]) < 0.04, `vcorr ${i}${j} ${p.volumeCorr[i][j]}`);
  }
  assert.ok(p.copulaNu > 3.5 && p.copulaNu < 12, `copula nu ${p.copulaNu}`);
  assert.deepEqual(JSON.parse(JSON.stringify(p)), p); // plain JSON
});

test('completeRows keeps hours where every coin is finite; fitMarket validates its input', () => {
  const rows = completeRows([Float64Array.from([1, NaN, 3]), Float64Array.from([4, 5, NaN])]);
  assert.deepEqual(rows.map((r) => Array.from(r)), [[1], [4]]);
  assert.throws(() => fitMarket({ coins: ['A'], close: [], volume: [] }), /one close and one volume/);
  const flat = new Float64Array(500).fill(1);
  assert.throws(() => fitMarket({ coins: ['A', 'FLAT'], close: [flat.map((_, t) => 1 + 0.01 * Math.sin(t * t)), flat], volume: [flat, flat] }), /coin (A|FLAT)/);
});

test('fitMarket on real candles (BTC, SOL from its listing; gaps and zero-volume hours as NaN) gives plausible params', () => {
  const d = loadReal(candleSubsetDir(), ['BTC', 'SOL'], '2020-06-01T00:00:00Z', '2021-06-01T00:00:00Z');
  assert.ok(d.close[1].slice(0, 1000).every(Number.isNaN)); // SOL lists 2020-08-11
  const p = fitMarket(d, { calibrationHours: 50_000 });
  for (const c of p.coins) {
    const persistence = c.alpha + c.gamma + c.beta;
    assert.ok(persistence > 0.9 && persistence < 1, `${c.coin} persistence ${persistence}`);
    assert.ok(c.nu > 2.5 && c.nu < 8, `${c.coin} nu ${c.nu}`);
    assert.ok(c.phi > -0.2 && c.phi < 0.05, `${c.coin} phi ${c.phi}`);
    assert.ok(c.volB > 0.1 && c.volA > 0.5 && c.volA < 1, `${c.coin} volume ${c.volA} ${c.volB}`);
    assert.ok(c.hourVol!.length === 24 && Math.max(...c.hourVol!) > 1.1, `${c.coin} hour profile`);
  }
  assert.ok(p.copulaCorr[0][1] > 0.3 && p.copulaCorr[0][1] < 0.95, `corr ${p.copulaCorr[0][1]}`); // early SOL moved on its own (≈ 0.46)
  assert.equal(p.coins[1].startPrice, d.close[1].find((x) => x > 0));
});
