import { test } from 'node:test';
import assert from 'node:assert/strict';
import { accuracy, logLoss, confusion, precisionRecall, sequenceAccuracy } from '../../src/evaluate/metrics.ts';

test('accuracy and confusion skip invalid truths; precision/recall follow the matrix', () => {
  const truth = [0, 1, 2, 2, 255, 1];
  const pred = [0, 2, 2, 1, 0, 1];
  assert.equal(accuracy(pred, truth, 3), 3 / 5);
  const cm = confusion(pred, truth, 3);
  assert.deepEqual(cm, [[1, 0, 0], [0, 1, 1], [0, 1, 1]]);
  const pr = precisionRecall(cm);
  assert.deepEqual(pr.recall, [1, 0.5, 0.5]);
  assert.deepEqual(pr.precision, [1, 0.5, 0.5]);
  assert.deepEqual(pr.support, [1, 2, 2]);
});

test('log loss of a uniform forecast is log V; sequence accuracy needs every hour right', () => {
  const V = 3, probs = new Float64Array(6).fill(1 / 3);
  assert.ok(Math.abs(logLoss(probs, [0, 2], V) - Math.log(3)) < 1e-12);
  const truth = Uint8Array.from([0, 1, 2, 2, 1, 255]);
  const pred = Uint8Array.from([0, 1, 2, 1, 1, 1]);
  // windows of H=2: [0,1] right, [2,2] wrong at hour 2, [1,255] skipped
  assert.equal(sequenceAccuracy(pred, truth, 3, 2, 3), 0.5);
});
