import { test } from 'node:test';
import assert from 'node:assert/strict';
import { corpusBatches, collectCorpus, type CorpusOptions } from '../../src/pretrain/corpus.ts';
import { MarketStream } from '../../src/market/simulate.ts';
import { defaultMarketParams } from '../../src/market/defaults.ts';
import { applyBins } from '../../src/tokenize/bins.ts';
import { buildWindows, type TokenTable } from '../../src/tokenize/windows.ts';
import { SPLIT_CODE } from '../../src/data/split.ts';
import { tokenDistribution } from '../../src/market/stats.ts';

const coins = ['BTC', 'ETH', 'DOGE'];
const params = defaultMarketParams(coins);
const floors = [2, 20, 3e4]; // ~1e-3 × median volumes (step 4's rule)
// V = 3 "real-looking" edges: price tertiles ≈ ±0.2 % (BTC), ±0.3 %; volume tertiles ≈ ±0.1
const edges = coins.map((_, c) => [Float64Array.from([-0.002 - 0.001 * c, 0.002 + 0.001 * c]), Float64Array.from([-0.1, 0.1])]);
const base: CorpusOptions = { params, edges, volumeFloor: floors, T: 24, target: 1, numSamples: 1000, seed: 7, batchSize: 128, chunkHours: 100 };

test('windows equal step 5 (buildWindows) on the same simulated path, across chunk boundaries', () => {
  const hours = 1200;
  const s = new MarketStream(params, 7);
  const ret = new Float64Array(hours * 3), dlv = new Float64Array(hours * 3);
  s.fill(hours, ret, dlv, undefined, floors);
  const tt: TokenTable = {
    openTime: Float64Array.from({ length: hours }, (_, h) => h * 3_600_000),
    split: new Uint8Array(hours).fill(SPLIT_CODE.train), segment: new Int32Array(hours),
    price: [0, 1, 2].map((c) => applyBins(Float64Array.from({ length: hours }, (_, h) => ret[h * 3 + c]), edges[c][0])),
    volume: [0, 1, 2].map((c) => applyBins(Float64Array.from({ length: hours }, (_, h) => dlv[h * 3 + c]), edges[c][1])),
  };
  const N = 1000;
  const ref = buildWindows(tt, Int32Array.from({ length: N }, (_, i) => i), new Int32Array(N).fill(hours - 1), 24, 1, 1);
  const got = collectCorpus(base);
  assert.equal(got.N, N);
  assert.deepEqual(got.y, ref.y);
  assert.deepEqual(got.x, ref.x);
  // stride 3 picks every third of those windows
  const strided = collectCorpus({ ...base, stride: 3, numSamples: 300 });
  for (const i of [0, 1, 50, 299]) assert.deepEqual(strided.x.subarray(i * 144, (i + 1) * 144), ref.x.subarray(3 * i * 144, (3 * i + 1) * 144));
});

test('batches: sizes, shapes, token range, determinism; lazy (a huge corpus yields its first batch at once)', () => {
  const sizes = [...corpusBatches({ ...base, numSamples: 300 })].map((b) => b.N);
  assert.deepEqual(sizes, [128, 128, 44]);
  const a = collectCorpus({ ...base, numSamples: 200 }), b = collectCorpus({ ...base, numSamples: 200 }), c = collectCorpus({ ...base, numSamples: 200, seed: 8 });
  assert.deepEqual(a, b);
  assert.notDeepEqual(a.x, c.x);
  assert.equal(a.x.length, 200 * 24 * 3 * 2);
  assert.ok(a.x.every((t) => t < 3) && a.y.every((t) => t < 3));
  const it = corpusBatches({ ...base, numSamples: 1e12, batchSize: 64, chunkHours: 8192 });
  const first = it.next();
  assert.equal(first.done, false);
  assert.equal(first.value!.N, 64);
  assert.equal(first.value!.x.length, 64 * 144);
});

test('rebalance equalises the target classes; without it they follow the simulated market', () => {
  // skewed price edges for the target: class 0 ~ 16 %, class 2 ~ 60 %
  const skew = edges.map((e, c) => (c === 1 ? [Float64Array.from([-0.01, -0.001]), e[1]] : e));
  const plain = collectCorpus({ ...base, edges: skew, numSamples: 20_000, chunkHours: 4096 });
  const p = tokenDistribution(plain.y, 3);
  assert.ok(p[2] > 0.4 && p[0] < 0.25, `plain ${p}`);
  const bal = collectCorpus({ ...base, edges: skew, numSamples: 20_000, chunkHours: 4096, rebalance: true });
  const q = tokenDistribution(bal.y, 3);
  for (let v = 0; v < 3; v++) assert.ok(Math.abs(q[v] - 1 / 3) < 0.03, `balanced ${q}`); // binomial SE ≈ 0.0033 + chunk noise
  const half = tokenDistribution(collectCorpus({ ...base, edges: skew, numSamples: 20_000, chunkHours: 4096, rebalance: 0.5 }).y, 3);
  assert.ok(half[2] < p[2] && half[2] > q[2], `partial ${half}`);
});

test('volume channel uses the floored log change; bad inputs are rejected', () => {
  const a = new MarketStream(params, 3), b = new MarketStream(params, 3);
  const lv0 = Float64Array.from({ length: 3 }, (_, c) => a.logVolume(c));
  const H = 50, r1 = new Float64Array(H * 3), v1 = new Float64Array(H * 3), r2 = new Float64Array(H * 3), v2 = new Float64Array(H * 3);
  a.fill(H, r1, v1);
  b.fill(H, r2, v2, undefined, floors);
  assert.deepEqual(r1, r2);
  for (let c = 0; c < 3; c++) {
    let lv = lv0[c];
    for (let h = 0; h < H; h++) {
      const nv = lv + v1[h * 3 + c];
      const want = Math.log((Math.exp(nv) + floors[c]) / (Math.exp(lv) + floors[c]));
      assert.ok(Math.abs(v2[h * 3 + c] - want) < 1e-9);
      lv = nv;
    }
  }
  assert.throws(() => collectCorpus({ ...base, edges: edges.slice(0, 2) }), /edges for 3 coins/);
  assert.throws(() => collectCorpus({ ...base, edges: edges.map(() => [Float64Array.from([1, 0]), Float64Array.from([0])]) }), /strictly increasing/);
  assert.throws(() => collectCorpus({ ...base, target: 3 }), /target/);
});
