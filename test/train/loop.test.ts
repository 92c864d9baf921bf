import { test } from 'node:test';
import assert from 'node:assert/strict';
import { trainLoop, type TrainEngine, type WindowSet, type LoopState } from '../../src/train/loop.ts';
import type { ScheduleConfig } from '../../src/train/schedule.ts';
import { Rng } from '../../src/util/rng.ts';

// a tiny engine: class logits b learned by gradient descent (a model of the class prior); V = 3
class PriorEngine implements TrainEngine {
  b = [0, 0, 0];
  /** copies of every training batch's tokens, in order */
  batches: Uint8Array[] = [];
  private ce(y: Uint8Array, B: number) {
    const m = Math.max(...this.b), e = this.b.map((v) => Math.exp(v - m)), z = e.reduce((a, c) => a + c);
    const p = e.map((v) => v / z);
    let loss = 0, acc = 0;
    const argmax = p.indexOf(Math.max(...p));
    for (let i = 0; i < B; i++) { loss -= Math.log(p[y[i]]); if (y[i] === argmax) acc++; }
    return { p, loss: loss / B, acc: acc / B };
  }
  async trainStep(x: Uint8Array, y: Uint8Array, B: number, lr: number) {
    this.batches.push(x.slice());
    const { p, loss, acc } = this.ce(y, B);
    const g = p.map((pj, j) => pj - y.subarray(0, B).filter((t) => t === j).length / B);
    this.b = this.b.map((v, j) => v - lr * g[j]);
    return { loss, acc, gradNorm: Math.hypot(...g) };
  }
  async evalBatch(_x: Uint8Array, y: Uint8Array, B: number) {
    const { loss, acc } = this.ce(y, B);
    return { loss, acc };
  }
}

function data(N: number, seed: number): WindowSet {
  const rng = new Rng(seed), y = new Uint8Array(N), x = new Uint8Array(N * 4);
  for (let i = 0; i < N; i++) { y[i] = rng.random() < 0.6 ? 2 : rng.int(2); x.fill(i % 251, i * 4, i * 4 + 4); }
  return { x, y, N, rowSize: 4 };
}

/** N windows of random tokens in [0, 3) (rows of 4), targets as in data() */
function tokens(N: number, seed: number): WindowSet {
  const rng = new Rng(seed + 100), d = data(N, seed);
  for (let i = 0; i < d.x.length; i++) d.x[i] = rng.int(3);
  return d;
}

const sched: ScheduleConfig = { lr: 0.5, warmupEpochs: 1, warmupStartLr: 0.01,
  plateau: { factor: 0.5, patience: 1, min_lr: 1e-3 }, earlyStopping: { patience: 3, min_delta: 1e-4 } };

test('loss falls, history is complete, and the best epoch is tracked', async () => {
  const st = await trainLoop(new PriorEngine(), data(500, 1), data(200, 2), { epochs: 5, batchSize: 32, seed: 7, shuffle: true, schedule: sched });
  assert.equal(st.history.length, 5);
  assert.ok(st.history[4].val_loss < st.history[0].val_loss);
  assert.ok(st.history[0].lr <= sched.lr && st.history[0].lr > sched.warmupStartLr, 'warmup epoch ends at the peak');
  assert.equal(st.globalStep, 5 * Math.floor(500 / 32));
  assert.ok(st.bestEpoch >= 1);
});

test('a run resumed from an epoch boundary matches the uninterrupted run exactly: state, batches, noise, parameters', async () => {
  const noise = { prob: 0.3, V: 3, protectedOffsets: [0], hourSize: 2 };
  const opts = { epochs: 4, batchSize: 50, seed: 3, shuffle: true, schedule: sched, tokenNoise: noise };
  const full = new PriorEngine();
  const a = await trainLoop(full, tokens(300, 1), tokens(100, 2), opts);
  for (const stopAt of [1, 2, 3]) {
    let saved: { state: LoopState; b: number[] } | null = null;
    const first = new PriorEngine();
    await trainLoop(first, tokens(300, 1), tokens(100, 2), { ...opts, epochs: stopAt, onEpochEnd: async (_r, s) => { saved = { state: structuredClone(s), b: [...first.b] }; } });
    const resumed = new PriorEngine();
    resumed.b = saved!.b;
    const b = await trainLoop(resumed, tokens(300, 1), tokens(100, 2), { ...opts, resume: saved!.state });
    const at = `resumed after epoch ${stopAt}`;
    const timeless = (h: LoopState['history']) => h.map(({ seconds: _s, samples_per_s: _p, ...rest }) => rest);
    assert.deepEqual(timeless(b.history), timeless(a.history), at);
    assert.deepEqual({ ...b, history: [] }, { ...a, history: [] }, `${at}: epoch, step count, schedule, best epoch`);
    // the batches after the resume point, token noise included, are the uninterrupted run's, in order
    assert.deepEqual(resumed.batches, full.batches.slice(first.batches.length), at);
    assert.deepEqual(resumed.b, full.b, at);
  }
});

test('early stopping, shouldStop and abort end the loop', async () => {
  const flat: ScheduleConfig = { ...sched, lr: 0, warmupEpochs: 0 };
  const st = await trainLoop(new PriorEngine(), data(100, 1), data(50, 2), { epochs: 20, batchSize: 10, seed: 1, shuffle: false, schedule: flat });
  assert.ok(st.stoppedEarly);
  assert.equal(st.history.length, 1 + flat.earlyStopping.patience);
  const pruned = await trainLoop(new PriorEngine(), data(100, 1), data(50, 2), { epochs: 20, batchSize: 10, seed: 1, shuffle: false, schedule: sched, shouldStop: (r) => r.epoch >= 2 });
  assert.equal(pruned.history.length, 2);
  const ac = new AbortController();
  ac.abort();
  await assert.rejects(trainLoop(new PriorEngine(), data(100, 1), data(50, 2), { epochs: 2, batchSize: 10, seed: 1, shuffle: false, schedule: sched, signal: ac.signal }), /interrupted/);
});

test('token noise replaces a fraction prob of the unprotected tokens, never a protected one, seeded per run and epoch', async () => {
  const N = 400, B = 40, noise = { prob: 0.2, V: 3, protectedOffsets: [0], hourSize: 2 }; // rows of 2 hours x 2 tokens
  const run = async (seed: number, prob = noise.prob, epochs = 1) => {
    const e = new PriorEngine(), set = tokens(N, 1), before = set.x.slice();
    await trainLoop(e, set, tokens(40, 2), { epochs, batchSize: B, seed, shuffle: false, schedule: sched, tokenNoise: { ...noise, prob } });
    assert.deepEqual(set.x, before, 'the training set itself is never changed');
    return e;
  };
  const clean = tokens(N, 1);
  let changed = 0, draws = 0;
  for (const seed of [1, 2, 3, 4, 5]) {
    const e = await run(seed);
    assert.equal(e.batches.length, N / B);
    let c = 0, n = 0;
    e.batches.forEach((x, s) => {
      const ref = clean.x.subarray(s * B * 4, (s + 1) * B * 4);
      for (let i = 0; i < x.length; i++) {
        if (i % 2 === 0) { assert.equal(x[i], ref[i], `seed ${seed}: protected token ${i} of batch ${s} changed`); continue; }
        assert.ok(x[i]! < noise.V);
        n++; if (x[i] !== ref[i]) c++;
      }
    });
    // a replacement is uniform over V tokens, so it changes the token with probability prob (V - 1) / V
    const p = (noise.prob * (noise.V - 1)) / noise.V, sd = Math.sqrt((p * (1 - p)) / n);
    assert.ok(Math.abs(c / n - p) < 4 * sd, `seed ${seed}: ${c} of ${n} changed (${c / n}), expected ${p} +- ${4 * sd}`);
    changed += c; draws += n;
    assert.deepEqual((await run(seed)).batches, e.batches, `seed ${seed} repeats`);
    assert.notDeepEqual((await run(seed + 10)).batches, e.batches, `seed ${seed + 10} differs from seed ${seed}`);
  }
  const p = (noise.prob * (noise.V - 1)) / noise.V;
  assert.ok(Math.abs(changed / draws - p) < 4 * Math.sqrt((p * (1 - p)) / draws), `pooled: ${changed / draws} vs ${p}`);
  // a new draw every epoch; prob 0 leaves every batch as it is
  const two = await run(1, noise.prob, 2);
  assert.notDeepEqual(two.batches.slice(N / B), two.batches.slice(0, N / B));
  (await run(1, 0)).batches.forEach((x, s) => assert.deepEqual(x, clean.x.subarray(s * B * 4, (s + 1) * B * 4)));
});
