import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildReport } from '../../src/evaluate/report.ts';
import { Rng } from '../../src/util/rng.ts';

function truthAndNoise(N: number, H: number, V: number, seed: number) {
  const rng = new Rng(seed), truth = new Uint8Array(N * H), noise = new Uint8Array(N * H);
  for (let i = 0; i < N * H; i++) { truth[i] = rng.int(V); noise[i] = rng.int(V); }
  return { truth, noise };
}

test('a model that knows the future beats every baseline significantly; a random one does not', () => {
  const N = 600, H = 4, V = 3;
  const { truth, noise } = truthAndNoise(N, H, V, 1);
  const opts = { samples: 200, confidence: 0.95, block: 24, seed: 3 };
  const oracle = buildReport({ model: { pred: truth, probs: null }, persistence: { pred: noise, probs: null } }, truth, N, H, V, opts);
  assert.ok(oracle.comparison.every((c) => c.model_better), oracle.summary);
  assert.equal(oracle.methods.model.sequence_accuracy, 1);
  const rng = new Rng(9), guess = new Uint8Array(N * H).map(() => rng.int(V));
  const random = buildReport({ model: { pred: guess, probs: null }, persistence: { pred: noise, probs: null } }, truth, N, H, V, opts);
  assert.ok(random.comparison.filter((c) => c.model_better).length <= 1, random.summary);
  assert.deepEqual(Object.keys(random.methods.model.confusion), ['hour_1', 'hour_4']);
});

test('log loss per hour comes from the probabilities and skips missing truths', () => {
  const N = 2, H = 2, V = 2;
  const truth = Uint8Array.from([0, 1, 1, 255]);
  const probs = Float64Array.from([0.5, 0.5, 0.25, 0.75, 0.5, 0.5, 0.9, 0.1]);
  const r = buildReport({ model: { pred: Uint8Array.from([0, 1, 0, 0]), probs } }, truth, N, H, V, { samples: 0, confidence: 0.9, block: 1, seed: 0 });
  assert.ok(Math.abs(r.methods.model.log_loss_by_hour[0]! - Math.log(2)) < 1e-12);
  assert.ok(Math.abs(r.methods.model.log_loss_by_hour[1]! + Math.log(0.75)) < 1e-12);
});

test('the log-loss comparison uses the given baseline per hour and the summary names both comparisons', () => {
  const N = 400, H = 2, V = 3;
  const truth = new Uint8Array(N * H), sure = new Float64Array(N * H * V), flat = new Float64Array(N * H * V).fill(1 / 3);
  for (let i = 0; i < N * H; i++) { truth[i] = i % 3; sure.fill(0.01, i * V, i * V + V); sure[i * V + truth[i]] = 0.98; }
  const r = buildReport({ model: { pred: truth, probs: sure }, a: { pred: new Uint8Array(N * H), probs: flat }, b: { pred: new Uint8Array(N * H), probs: flat } },
    truth, N, H, V, { samples: 100, confidence: 0.95, block: 'auto', seed: 1, bestBaselines: { accuracy: ['a', 'b'], log_loss: ['b', 'a'] } });
  assert.deepEqual(r.log_loss_comparison.map((c) => c.best_baseline), ['b', 'a']);
  assert.deepEqual(r.comparison.map((c) => c.best_baseline), ['a', 'b']);
  assert.ok(Math.abs(r.log_loss_comparison[0]!.difference.estimate - (-Math.log(0.98) - Math.log(3))) < 1e-12);
  assert.ok(r.log_loss_comparison.every((c) => c.model_better));
  assert.match(r.summary, /beats the best baseline at hours 1, 2 and is worse at no hour .*in log loss it is better at hours 1, 2 and worse at no hour$/);
});
