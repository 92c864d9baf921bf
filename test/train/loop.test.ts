import { test } from 'node:test';
import assert from 'node:assert/strict';
import { trainLoop, type TrainEngine, type WindowSet, type LoopState } from '../../src/train/loop.ts';
import type { ScheduleConfig } from '../../src/train/schedule.ts';
import { Rng } from '../../src/util/rng.ts';

// a tiny engine: class logits b learned by gradient descent (a model of the class prior); V = 3
class PriorEngine implements TrainEngine {
  b = [0, 0, 0];
  seenFirst: number[] = [];
  private ce(y: Uint8Array, B: number) {
    const m = Math.max(...this.b), e = this.b.map((v) => Math.exp(v - m)), z = e.reduce((a, c) => a + c);
    const p = e.map((v) => v / z);
    let loss = 0, acc = 0;
    const argmax = p.indexOf(Math.max(...p));
    for (let i = 0; i < B; i++) { loss -= Math.log(p[y[i]]); if (y[i] === argmax) acc++; }
    return { p, loss: loss / B, acc: acc / B };
  }
  async trainStep(x: Uint8Array, y: Uint8Array, B: number, lr: number) {
    this.seenFirst.push(x[0]);
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

test('a run resumed from an epoch boundary matches the uninterrupted run exactly', async () => {
  const opts = { epochs: 4, batchSize: 50, seed: 3, shuffle: true, schedule: sched };
  const full = new PriorEngine();
  const a = await trainLoop(full, data(300, 1), data(100, 2), opts);
  let saved: { state: LoopState; b: number[] } | null = null;
  const first = new PriorEngine();
  await trainLoop(first, data(300, 1), data(100, 2), { ...opts, epochs: 2, onEpochEnd: async (_r, s) => { saved = { state: s, b: [...first.b] }; } });
  const resumed = new PriorEngine();
  resumed.b = saved!.b;
  const b = await trainLoop(resumed, data(300, 1), data(100, 2), { ...opts, resume: saved!.state });
  assert.deepEqual(b.history.map((h) => h.val_loss), a.history.map((h) => h.val_loss));
  assert.deepEqual(resumed.b, full.b);
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

test('token noise never touches protected offsets and is seeded', async () => {
  const e1 = new PriorEngine(), e2 = new PriorEngine();
  const noise = { prob: 1, V: 3, protectedOffsets: [0], hourSize: 2 };
  await trainLoop(e1, data(40, 1), data(10, 2), { epochs: 1, batchSize: 10, seed: 5, shuffle: false, schedule: sched, tokenNoise: noise });
  await trainLoop(e2, data(40, 1), data(10, 2), { epochs: 1, batchSize: 10, seed: 5, shuffle: false, schedule: sched, tokenNoise: noise });
  assert.deepEqual(e1.seenFirst, [0, 10, 20, 30], 'offset 0 of each hour row is kept');
  assert.deepEqual(e1.b, e2.b);
});
