import { test } from 'node:test';
import assert from 'node:assert/strict';
import { brier, ece, reliability, applyTemperature, fitTemperature } from '../../src/evaluate/calibration.ts';
import { logLoss } from '../../src/evaluate/metrics.ts';
import { Rng } from '../../src/util/rng.ts';

// n rows of V = 3 classes whose true probabilities are softmax(logits) and labels drawn from them
function sample(n: number, seed: number) {
  const rng = new Rng(seed), V = 3, p = new Float64Array(n * V), y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const z = [0, 1, 2].map(() => 1.5 * (rng.random() - 0.5) * 2);
    const e = z.map(Math.exp), s = e[0] + e[1] + e[2];
    for (let j = 0; j < V; j++) p[i * V + j] = e[j] / s;
    let u = rng.random(), k = 0;
    while (k < V - 1 && u >= p[i * V + k]) { u -= p[i * V + k]; k++; }
    y[i] = k;
  }
  return { p, y, V };
}

test('Brier score: 0 for a sure right forecast, 2 for a sure wrong one, 2/3 for uniform; missing truths skipped', () => {
  assert.equal(brier([1, 0, 0], [0], 3), 0);
  assert.equal(brier([0, 1, 0], [0], 3), 2);
  assert.ok(Math.abs(brier([1 / 3, 1 / 3, 1 / 3, 0, 0, 1], [2, 255], 3) - 2 / 3) < 1e-12);
});

test('true probabilities have small ECE; sharpened ones large; temperature scaling on one sample fixes another', () => {
  const a = sample(20000, 1), b = sample(20000, 2), V = 3;
  assert.ok(ece(a.p, a.y, V) < 0.015, `calibrated ECE ${ece(a.p, a.y, V)}`);
  const sharp = applyTemperature(a.p, V, 0.5), sharpB = applyTemperature(b.p, V, 0.5);
  assert.ok(ece(sharp, a.y, V) > 0.05, `sharpened ECE ${ece(sharp, a.y, V)}`);
  const T = fitTemperature(sharp, a.y, V);
  assert.ok(Math.abs(T - 2) < 0.1, `fitted temperature ${T}`);
  const fixed = applyTemperature(sharpB, V, T);
  assert.ok(ece(fixed, b.y, V) < 0.015, `ECE after scaling ${ece(fixed, b.y, V)}`);
  assert.ok(logLoss(fixed, b.y, V) < logLoss(sharpB, b.y, V));
  // T = 1 leaves probabilities unchanged
  const same = applyTemperature(b.p, V, 1);
  for (let i = 0; i < 30; i++) assert.ok(Math.abs(same[i] - b.p[i]) < 1e-12);
});

test('reliability bins hold every (row, class) pair and their frequencies track the confidence', () => {
  const a = sample(20000, 3), V = 3;
  const bins = reliability(a.p, a.y, V, 10);
  assert.equal(bins.reduce((s, b) => s + b.count, 0), 20000 * V);
  for (const b of bins) if (b.count > 500) assert.ok(Math.abs(b.frequency - b.confidence) < 0.03, `bin ${b.low}: ${b.frequency} vs ${b.confidence}`);
  assert.ok(ece(a.p, a.y, V, { kind: 'classwise' }) < 0.015);
});
