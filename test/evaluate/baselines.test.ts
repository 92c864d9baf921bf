import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classPrior, fitMarkov, persistence, majority, priorRandom, markov } from '../../src/evaluate/baselines.ts';
import { Rng } from '../../src/util/rng.ts';

test('Markov fit recovers the transition matrix of a simulated chain', () => {
  const V = 3, P = [[0.8, 0.1, 0.1], [0.2, 0.6, 0.2], [0.3, 0.3, 0.4]];
  const rng = new Rng(3), n = 60000, x = new Uint8Array(n);
  for (let i = 1; i < n; i++) {
    let u = rng.random(), j = 0;
    while (j < V - 1 && u >= P[x[i - 1]][j]) { u -= P[x[i - 1]][j]; j++; }
    x[i] = j;
  }
  const Q = fitMarkov(x, V);
  for (let a = 0; a < V; a++) for (let b = 0; b < V; b++) assert.ok(Math.abs(Q[a * V + b] - P[a][b]) < 0.02, `P[${a}][${b}]`);
  // the 2-step forecast is P^2 and predicts its argmax
  const f = markov(Q, [0, 2], 2);
  assert.equal(f.pred[0], 0);
  let row2 = 0;
  for (let k = 0; k < V; k++) row2 += Q[2 * V + k] * Q[k * V + 0];
  assert.ok(Math.abs(f.probs![(1 * 2 + 1) * V + 0] - row2) < 1e-12);
});

test('persistence repeats, majority picks the mode, prior-random follows the prior', () => {
  assert.deepEqual([...persistence([2, 0], 3).pred], [2, 2, 2, 0, 0, 0]);
  const prior = classPrior([0, 1, 1, 1, 2, 255], 3);
  assert.equal(prior.reduce((a, b) => a + b, 0).toFixed(12), '1.000000000000');
  assert.deepEqual([...majority(prior, 2, 2).pred], [1, 1, 1, 1]);
  const r = priorRandom(prior, 20000, 1, 5);
  const frac1 = r.pred.filter((t) => t === 1).length / 20000;
  assert.ok(Math.abs(frac1 - prior[1]) < 0.015, `${frac1} vs ${prior[1]}`);
  assert.deepEqual(priorRandom(prior, 50, 2, 5).pred, priorRandom(prior, 50, 2, 5).pred, 'seeded');
});

test('window majority predicts the most frequent token of the window (ties: the latest) for every hour', async () => {
  const { windowMajority } = await import('../../src/evaluate/baselines.ts');
  // window 0: 1 appears 3 times; window 1: 0 and 2 tie twice each, 2 was seen last
  const f = windowMajority(Uint8Array.from([1, 0, 1, 1, 0, 2, 0, 2]), 2, 4, 3, 2);
  assert.deepEqual([...f.pred], [1, 1, 2, 2]);
  const p = f.probs!;
  assert.ok(Math.abs(p[0] + p[1] + p[2] - 1) < 1e-9);
  assert.ok(Math.abs(p[1] - 4 / 7) < 1e-9, 'add-one smoothed share');
});
