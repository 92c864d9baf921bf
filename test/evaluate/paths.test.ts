// Monte Carlo token paths: the sampled token is fed back (a Markov "model" gives the chain's h-step marginals), the
// other tokens persist, and cumulative-return quantiles add one drawn training return per hour.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sampleTokenPaths, tokenShares, cumulativeReturnQuantiles, quantileSorted } from '../../src/evaluate/paths.ts';
import type { PredictFn } from '../../src/evaluate/paths.ts';
import { Rng } from '../../src/util/rng.ts';

const T = 4, C = 2, K = 2, O = 3, target = 1;
const P = [[0.8, 0.1, 0.1], [0.1, 0.8, 0.1], [0.3, 0.3, 0.4]];
const seen: Uint8Array[] = [];
// a "model" that only looks at the target's price token of the last hour: a Markov chain
const predict: PredictFn = async (x, B) => {
  const out = new Float64Array(B * O), win = T * C * K;
  for (let i = 0; i < B; i++) out.set(P[x[i * win + (T - 1) * C * K + target * K]], i * O);
  seen.push(x.slice(0, win));
  return out;
};

test('hour-h token shares follow the chain started at the last token; other channels repeat the last hour', async () => {
  const x = new Uint8Array(T * C * K).map((_, i) => i % 3);
  const last = x[(T - 1) * C * K + target * K]; // 1 ... whatever the window holds
  const n = 20000, H = 3;
  seen.length = 0;
  const paths = await sampleTokenPaths(predict, x, { T, C, K, O, targetCoin: target }, H, n, new Rng(1));
  const s = tokenShares(paths, n, H, O);
  let dist = P[last].slice();
  for (let h = 0; h < H; h++) {
    for (let o = 0; o < O; o++) assert.ok(Math.abs(s[h * O + o] - dist[o]) < 0.015, `hour ${h + 1} token ${o}: ${s[h * O + o]} vs ${dist[o]}`);
    dist = [0, 1, 2].map((b) => dist.reduce((acc, p, a) => acc + p * P[a][b], 0));
  }
  // the second call's first path: the window slid by one hour, the new hour = the old last hour with the sampled token
  const w = seen[1], row = C * K;
  assert.deepEqual([...w.subarray(0, (T - 1) * row)], [...x.subarray(row)]);
  const newHour = x.slice((T - 1) * row);
  newHour[target * K] = paths[0];
  assert.deepEqual([...w.subarray((T - 1) * row)], [...newHour]);
});

test('cumulative-return quantiles: fixed returns per bin give the exact sums', () => {
  // 4 paths x 2 hours; bin returns are single values, so every draw is known
  const paths = Uint8Array.from([2, 2, 0, 1, 1, 1, 2, 0]);
  const q = cumulativeReturnQuantiles(paths, 4, 2, [[-0.01], [0], [0.02]], [0, 0.5, 1], new Rng(3));
  // paths [2,2] [0,1] [1,1] [2,0]: hour 1 log returns 0.02, -0.01, 0, 0.02; after hour 2: 0.04, -0.01, 0, 0.01
  assert.deepEqual(q[0].map((v) => +v.toFixed(12)), [Math.expm1(-0.01), Math.expm1(0.01), Math.expm1(0.02)].map((v) => +v.toFixed(12)));
  assert.deepEqual(q[1].map((v) => +v.toFixed(12)), [Math.expm1(-0.01), Math.expm1(0.005), Math.expm1(0.04)].map((v) => +v.toFixed(12)));
  assert.equal(quantileSorted([1, 2, 3, 4], 0.25), 1.75);
  assert.throws(() => cumulativeReturnQuantiles(paths, 4, 2, [[], [0], [1]], [0.5], new Rng(1)), /no training return in bin 0/);
});
