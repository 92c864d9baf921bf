import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fitGarchBaseline, garchForecast, binProbabilities } from '../../src/evaluate/garch-baseline.ts';
import { ece, brier } from '../../src/evaluate/calibration.ts';
import { logLoss } from '../../src/evaluate/metrics.ts';
import { applyBins } from '../../src/tokenize/bins.ts';
import { tQuantile } from '../../src/market/special.ts';
import { classPrior } from '../../src/evaluate/baselines.ts';
import { Rng } from '../../src/util/rng.ts';

/** AR(1)-GARCH(1,1) with unit-variance t(nu) innovations, hourly-crypto-like parameters. */
function simulateGarch(n: number, seed: number) {
  const p = { mu: 1e-5, phi: -0.05, omega: 4e-6 * (1 - 0.95), alpha: 0.08, beta: 0.87, gamma: 0, nu: 6 };
  const rng = new Rng(seed), r = new Float64Array(n);
  let s2 = 4e-6, prev = 0;
  const k = Math.sqrt((p.nu - 2) / p.nu);
  for (let t = 0; t < n; t++) {
    const e = Math.sqrt(s2) * k * tQuantile(Math.min(1 - 1e-12, Math.max(1e-12, rng.random())), p.nu);
    r[t] = p.mu + p.phi * prev + e;
    prev = r[t] - p.mu;
    s2 = p.omega + p.alpha * e * e + p.beta * s2;
  }
  return { r, p };
}

function quantile(sorted: Float64Array, q: number): number { return sorted[Math.floor(q * (sorted.length - 1))]; }

test('the GARCH(1,1)-t baseline is calibrated on GARCH-simulated data and beats the class prior', () => {
  const n = 24000, nTrain = 16000, H = 3;
  const { r } = simulateGarch(n, 11);
  const train = r.slice(0, nTrain);
  const sorted = train.slice().sort();
  const edges = Float64Array.from([quantile(sorted, 1 / 3), quantile(sorted, 2 / 3)]);
  const tokens = applyBins(r, edges);
  const trainReturns = Float64Array.from(r, (v, t) => (t < nTrain ? v : NaN));
  const m = fitGarchBaseline(trainReturns, edges);
  assert.ok(Math.abs(m.params.alpha + m.params.beta - 0.95) < 0.03, `persistence ${m.params.alpha + m.params.beta}`);
  // windows ending at every later hour; truth = the tokens of the next H hours
  const last = Int32Array.from({ length: n - nTrain - H }, (_, i) => nTrain + i);
  const f = garchForecast(m, r, last, H);
  const N = last.length, V = 3;
  const prior = classPrior(tokens.subarray(0, nTrain), V);
  for (let h = 0; h < H; h++) {
    const p = new Float64Array(N * V), y = new Uint8Array(N), pp = new Float64Array(N * V);
    for (let i = 0; i < N; i++) {
      y[i] = tokens[last[i] + 1 + h];
      for (let j = 0; j < V; j++) { p[i * V + j] = f.probs![(i * H + h) * V + j]; pp[i * V + j] = prior[j]; }
    }
    const e = ece(p, y, V), ec = ece(p, y, V, { kind: 'classwise' });
    assert.ok(e < 0.025, `hour ${h + 1}: top-label ECE ${e}`);
    assert.ok(ec < 0.02, `hour ${h + 1}: classwise ECE ${ec}`);
    assert.ok(logLoss(p, y, V) < logLoss(pp, y, V) - 0.005, `hour ${h + 1}: log loss ${logLoss(p, y, V)} vs prior ${logLoss(pp, y, V)}`);
    assert.ok(brier(p, y, V) < brier(pp, y, V), `hour ${h + 1}: Brier`);
  }
});

test('bin probabilities are the Student-t mass between the edges and sum to one', () => {
  const out = new Float64Array(3);
  binProbabilities(0, 1, 1e6, Float64Array.from([-1, 1]), out); // nu -> inf: the normal
  assert.ok(Math.abs(out[1] - 0.682689) < 1e-4, `middle ${out[1]}`);
  assert.ok(Math.abs(out[0] - out[2]) < 1e-9);
  binProbabilities(0.5, 0.1, 5, Float64Array.from([0]), new Float64Array(2));
  const two = binProbabilities(0.5, 0.1, 5, Float64Array.from([0]), new Float64Array(2));
  assert.ok(two[1] > 0.99 && Math.abs(two[0] + two[1] - 1) < 1e-12);
});

test('a window ending outside the return rows is refused', () => {
  const { r } = simulateGarch(3000, 2);
  const m = fitGarchBaseline(r, Float64Array.from([-0.001, 0.001]));
  assert.throws(() => garchForecast(m, r, [3000], 1), /window 0 ends at row 3000/);
});
