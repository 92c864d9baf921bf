import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fitLogisticBaseline, predictLogistic, oneHotIndices } from '../../src/evaluate/logistic.ts';
import { Rng } from '../../src/util/rng.ts';

const dims = { T: 6, C: 3, K: 2, V: 3 };
const row = dims.C * dims.K;

// windows of random tokens whose next target tokens (H = 2) are drawn from a known softmax of a linear score:
// hour 1 depends on coin 1's price token in the last hour and coin 2's volume token two hours before the end,
// hour 2 on coin 0's last price token
function simulate(N: number, seed: number) {
  const rng = new Rng(seed), H = 2, V = 3;
  const x = new Uint8Array(N * dims.T * row), future = new Uint8Array(N * H), trueP = new Float64Array(N * H * V);
  for (let i = 0; i < x.length; i++) x[i] = rng.int(V);
  const W1 = [[1.5, -0.5, -1], [-0.3, 0.6, -0.3], [-1.2, 0, 1.2]]; // W1[token][class]
  const W2 = [[0.8, 0, -0.8], [0, 0, 0], [-0.8, 0, 0.8]];
  for (let i = 0; i < N; i++) {
    const last = i * dims.T * row + (dims.T - 1) * row, back2 = i * dims.T * row + (dims.T - 3) * row;
    const scores = [
      [0, 1, 2].map((o) => W1[x[last + 1 * 2 + 0]][o] + 0.7 * W2[x[back2 + 2 * 2 + 1]][o] + (o === 1 ? 0.3 : 0)),
      [0, 1, 2].map((o) => W2[x[last + 0]][o] * 1.5),
    ];
    for (let h = 0; h < H; h++) {
      const e = scores[h].map(Math.exp), z = e[0] + e[1] + e[2];
      let u = rng.random(), k = 0;
      while (k < V - 1 && u >= e[k] / z) { u -= e[k] / z; k++; }
      future[i * H + h] = k;
      for (let o = 0; o < V; o++) trueP[(i * H + h) * V + o] = e[o] / z;
    }
  }
  return { x, future, N, H, trueP };
}

test('logistic regression recovers the class probabilities of a known linear rule', () => {
  const train = simulate(8000, 1), val = simulate(2000, 2), test_ = simulate(3000, 3);
  const m = fitLogisticBaseline(train, val, dims, { lags: 4, lambdas: [1, 1e-2, 1e-4] });
  assert.equal(m.weights.length, 2);
  assert.equal(m.validation.length, 3);
  // the strongest penalty shrinks everything towards the prior and loses on validation
  assert.notEqual(m.lambda, 1);
  const f = predictLogistic(m, test_.x, test_.N);
  let err = 0, hit = 0, bayesHit = 0;
  for (let i = 0; i < test_.N * test_.H * 3; i++) err += Math.abs(f.probs![i] - test_.trueP[i]);
  for (let i = 0; i < test_.N * test_.H; i++) {
    if (f.pred[i] === test_.future[i]) hit++;
    let b = 0;
    for (let o = 1; o < 3; o++) if (test_.trueP[i * 3 + o] > test_.trueP[i * 3 + b]) b = o;
    if (b === test_.future[i]) bayesHit++;
  }
  const mae = err / (test_.N * test_.H * 3);
  assert.ok(mae < 0.03, `mean |p - p_true| = ${mae}`);
  // its accuracy is within 2 points of the Bayes rule's
  assert.ok(hit / (test_.N * test_.H) > bayesHit / (test_.N * test_.H) - 0.02, `accuracy ${hit} vs Bayes ${bayesHit}`);
});

test('a deterministic rule is learnt almost exactly and invalid tokens are ignored', () => {
  const rng = new Rng(9), N = 3000, H = 1;
  const mk = () => {
    const x = new Uint8Array(N * dims.T * row), future = new Uint8Array(N * H);
    for (let i = 0; i < x.length; i++) x[i] = rng.random() < 0.02 ? 255 : rng.int(3);
    for (let i = 0; i < N; i++) {
      const t = x[i * dims.T * row + (dims.T - 1) * row + 2 * 2]; // coin 2's last price token
      future[i] = t < 3 ? (t + 1) % 3 : 255; // missing label when the feature is missing
    }
    return { x, future, N, H };
  };
  const tr = mk(), va = mk(), te = mk();
  const m = fitLogisticBaseline(tr, va, dims, { lags: 2 });
  const f = predictLogistic(m, te.x, N);
  let n = 0, hit = 0;
  for (let i = 0; i < N; i++) if (te.future[i] < 3) { n++; if (f.pred[i] === te.future[i]) hit++; }
  assert.equal(hit, n);
  assert.ok(oneHotIndices(te.x, N, dims, 2).some((v) => v === -1));
});

test('lags outside 1..T are refused', () => {
  assert.throws(() => oneHotIndices(new Uint8Array(dims.T * row), 1, dims, 0), /lags must be in 1\.\.6/);
});
