// Tests the Trainer: reproducibility from the seed (dropout included), checkpoint resume, evaluation and
// prediction outputs, input validation, and that it learns a rule the data follow.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Trainer } from '../../src/train/engine.ts';
import type { ModelConfig } from '../../src/model/config.ts';
import { Rng } from '../../src/util/rng.ts';
import { availableProviders } from '../../src/runtime/session.ts';

const cfg: ModelConfig = {
  V: 3, O: 3, C: 2, K: 2, T: 5, e: 4, d: 16, H: 2, N: 2, F: 32,
  dropout: 0.1, coin_mixing: 'concat', loss_positions: 'all', label_smoothing: 0.1, target_coin: 1,
};
const optim = { lr: 3e-3, weight_decay: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8, max_norm: 1 };

function batch(B: number, seed: number) {
  const rng = new Rng(seed);
  const x = Int32Array.from({ length: B * cfg.T * cfg.C * cfg.K }, () => rng.int(cfg.V));
  const y = Int32Array.from({ length: B }, () => rng.int(cfg.O));
  return { x, y };
}

test('same seed, same losses and weights; another seed differs', async () => {
  const run = async (seed: number) => {
    const t = await Trainer.create(cfg, optim, { seed, threads: 1 });
    const losses: number[] = [];
    for (let i = 0; i < 3; i++) {
      const b = batch(8, i);
      losses.push((await t.trainStep(b.x, b.y)).loss);
    }
    const p = t.getParams();
    await t.dispose();
    return { losses, w: p['blocks.0.mlp.w1']! };
  };
  const a = await run(1), b = await run(1), c = await run(2);
  assert.deepEqual(a.losses, b.losses);
  assert.deepEqual(a.w, b.w);
  assert.notDeepEqual(a.losses, c.losses);
});

test('a resumed checkpoint continues exactly like the uninterrupted run', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'trainer-'));
  const t = await Trainer.create(cfg, optim, { seed: 3, threads: 1 });
  for (let i = 0; i < 2; i++) { const b = batch(8, i); await t.trainStep(b.x, b.y); }
  t.saveCheckpoint(dir, { epoch: 1 });
  const b = batch(8, 9);
  const straight = await t.trainStep(b.x, b.y);
  const u = await Trainer.create(cfg, optim, { seed: 3, threads: 1 });
  assert.deepEqual(u.loadCheckpoint(dir), { epoch: 1 });
  assert.equal(u.step, 2);
  const resumed = await u.trainStep(b.x, b.y);
  assert.deepEqual(resumed, straight);
  assert.deepEqual(u.getParams(), t.getParams());
  const other = await Trainer.create({ ...cfg, F: 64 }, optim, { threads: 1 });
  assert.throws(() => other.loadCheckpoint(dir), /model shape mismatch: F 32 \(expected 64\)/);
  await Promise.all([t.dispose(), u.dispose(), other.dispose()]);
});

test('evaluate and predictProba do not change the weights; probabilities sum to 1', async () => {
  const t = await Trainer.create(cfg, optim, { seed: 4, threads: 1 });
  const b = batch(6, 5);
  const before = t.getParams();
  const e1 = await t.evaluate(b.x, b.y);
  const e2 = await t.evaluate(b.x, b.y);
  assert.deepEqual(e1, e2);
  assert.deepEqual(await t.evaluate(Uint8Array.from(b.x), BigInt64Array.from(b.y, BigInt)), e1);
  assert.equal(e1.logits.length, 6 * cfg.O);
  assert.ok(e1.loss > 0 && e1.acc >= 0 && e1.acc <= 1);
  const p = await t.predictProba(b.x);
  assert.equal(p.length, 6 * cfg.O);
  for (let i = 0; i < 6; i++) {
    const row = p.subarray(i * cfg.O, (i + 1) * cfg.O);
    assert.ok(Math.abs(row.reduce((s, v) => s + v, 0) - 1) < 1e-5);
    // softmax of the evaluated logits
    const l = e1.logits.subarray(i * cfg.O, (i + 1) * cfg.O);
    const z = Array.from(l, (v) => Math.exp(v - Math.max(...l)));
    const s = z.reduce((a, c) => a + c, 0);
    z.forEach((v, j) => assert.ok(Math.abs(v / s - row[j]!) < 1e-5));
  }
  assert.deepEqual(t.getParams(), before);
  await t.dispose();
});

test('bad configs are refused before any graph is built', async () => {
  await assert.rejects(Trainer.create({ ...cfg, H: 3 }, optim), /H must be a divisor of d = 16/);
  await assert.rejects(Trainer.create(cfg, { ...optim, beta2: 1 }), /beta2 must be in \[0, 1\)/);
  await assert.rejects(Trainer.create(cfg, { ...optim, max_norm: 0 }), /max_norm must be positive or null/);
});

test('bad batches are refused with the reason', async () => {
  const t = await Trainer.create(cfg, optim, { threads: 1 });
  const b = batch(2, 1);
  await assert.rejects(t.trainStep(b.x.subarray(1), b.y), /not a multiple of T\*C\*K = 20/);
  await assert.rejects(t.trainStep(b.x, b.y.subarray(1)), /y has 1 targets for a batch of 2/);
  const bad = b.x.slice();
  bad[3] = 7;
  await assert.rejects(t.evaluate(bad, b.y), /x\[3\] = 7 is not a token in \[0, 3\)/);
  await assert.rejects(t.predictProba(BigInt64Array.from([1n])), /not a multiple/);
  const p = t.getParams();
  delete p['head.b'];
  assert.throws(() => t.setParams(p), /setParams: missing parameter head\.b/);
  await t.dispose();
});

test('learns to copy the last price token of the target coin', async () => {
  // y = x[:, T-1, target, 0] and, for the "all" loss, every next token repeats the current one
  const t = await Trainer.create({ ...cfg, dropout: 0 }, { ...optim, lr: 1e-2 }, { seed: 5, threads: 1 });
  const make = (B: number, seed: number) => {
    const rng = new Rng(seed);
    const x = new Int32Array(B * cfg.T * cfg.C * cfg.K);
    const y = new Int32Array(B);
    for (let b = 0; b < B; b++) {
      const v = rng.int(cfg.V);
      for (let i = 0; i < cfg.T * cfg.C * cfg.K; i++) x[b * cfg.T * cfg.C * cfg.K + i] = rng.int(cfg.V);
      for (let s = 0; s < cfg.T; s++) x[((b * cfg.T + s) * cfg.C + cfg.target_coin) * cfg.K] = v;
      y[b] = v;
    }
    return { x, y };
  };
  const test0 = make(64, 999);
  const before = await t.evaluate(test0.x, test0.y);
  for (let i = 0; i < 60; i++) { const b = make(32, i); await t.trainStep(b.x, b.y); }
  const after = await t.evaluate(test0.x, test0.y);
  assert.ok(after.loss < before.loss - 0.3, `loss ${before.loss} -> ${after.loss}`);
  assert.ok(after.acc > 0.9, `accuracy ${after.acc}`);
  await t.dispose();
});

test('loss_positions last with dropout: the last-position-only pass trains and evaluates', async () => {
  const t = await Trainer.create({ ...cfg, loss_positions: 'last', O: 3 }, optim, { seed: 6, threads: 1 });
  const b = batch(8, 3);
  const before = await t.evaluate(b.x, b.y);
  let last = 0;
  for (let i = 0; i < 30; i++) last = (await t.trainStep(b.x, b.y)).loss;
  const after = await t.evaluate(b.x, b.y);
  assert.ok(Number.isFinite(last));
  assert.ok(after.loss < before.loss, `${before.loss} -> ${after.loss}`);
  await t.dispose();
});

test('the Trainer says which execution provider runs it; an unusable GPU request is refused unless allowed', async () => {
  const cpu = await Trainer.create(cfg, optim, { threads: 1 });
  assert.equal(cpu.executionProviderUsed, 'cpu');
  await cpu.dispose();
  if (availableProviders().includes('cuda')) {
    const gpu = await Trainer.create(cfg, optim, { executionProvider: 'cuda' });
    assert.equal(gpu.executionProviderUsed, 'cuda');
    await gpu.dispose();
    return;
  }
  await assert.rejects(Trainer.create(cfg, optim, { executionProvider: 'cuda' }), /execution provider "cuda" was requested but .*--allow-cpu-fallback/);
  const warnings: string[] = [];
  const t = await Trainer.create(cfg, optim, { executionProvider: 'cuda', allowCpuFallback: true, onWarning: (m) => warnings.push(m), threads: 1 });
  assert.equal(t.executionProviderUsed, 'cpu');
  const b = batch(4, 1);
  await t.trainStep(b.x, b.y);
  await t.evaluate(b.x, b.y);
  await t.predictProba(b.x);
  assert.equal(warnings.length, 1, 'one warning, not one per session');
  await t.dispose();
});
