// Tests that dropout is really applied in training and really off in evaluation, by measuring it: the keep-masks
// the Trainer feeds drop a fraction p (statistically), differ between steps and repeat from the seed; the training
// graph zeroes exactly the dropped activations and scales the survivors by 1/(1-p); every site changes the loss;
// evaluation is exactly deterministic and equals the model without dropout.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Graph } from '../../src/graph/builder.ts';
import { Session } from '../../src/runtime/session.ts';
import type { HostTensor } from '../../src/runtime/tensor.ts';
import type { ModelConfig } from '../../src/model/config.ts';
import { decayMask, initParams, packParams, paramLayout, type Params } from '../../src/model/params.ts';
import { buildForward, dropoutSites } from '../../src/model/transformer.ts';
import { IO, buildTrainGraph } from '../../src/train/step.ts';
import { Trainer } from '../../src/train/engine.ts';
import { Rng } from '../../src/util/rng.ts';
import { assertClose, loadFixture, toFloat32 } from '../model/fixture.ts';

const p = 0.25;
const cfg: ModelConfig = {
  V: 4, O: 4, C: 2, K: 2, T: 6, e: 4, d: 16, H: 2, N: 2, F: 32,
  dropout: p, coin_mixing: 'concat', loss_positions: 'all', label_smoothing: 0.1, target_coin: 1,
};
const optim = { lr: 1e-3, weight_decay: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8, max_norm: 1 };

function batch(c: ModelConfig, B: number, seed: number) {
  const rng = new Rng(seed);
  return {
    x: Int32Array.from({ length: B * c.T * c.C * c.K }, () => rng.int(c.V)),
    y: Int32Array.from({ length: B }, () => rng.int(c.O)),
  };
}

/** Weights large enough that every activation is visibly non-zero and every input moves the loss. */
function bigParams(c: ModelConfig, seed: number): Params {
  const out = initParams(c, seed);
  for (const v of Object.values(out)) for (let i = 0; i < v.length; i++) v[i] = v[i] === 1 ? 1 : v[i]! * 25;
  return out;
}

const zeros = (ms: Uint8Array[]) => ms.reduce((n, m) => n + m.length - m.reduce((s, v) => s + v, 0), 0);
const size = (ms: Uint8Array[]) => ms.reduce((n, m) => n + m.length, 0);

test('the Trainer drops a fraction p at every site, with fresh masks each step that repeat from the seed', async () => {
  const B = 32;
  const run = async (seed: number) => {
    const t = await Trainer.create(cfg, optim, { seed, threads: 1 });
    const steps: Uint8Array[][] = [];
    const b = batch(cfg, B, 1);
    for (let i = 0; i < 3; i++) {
      await t.trainStep(b.x, b.y);
      steps.push(t.lastDropoutMasks());
    }
    await t.dispose();
    return steps;
  };
  const a = await run(7);
  for (const [s, masks] of a.entries()) {
    assert.equal(masks.length, dropoutSites(cfg));
    for (const [i, m] of masks.entries()) {
      assert.equal(m.length, B * cfg.T * cfg.d);
      // binomial: 3072 elements per site, sd of the dropped fraction 0.0078; 5 sd
      const frac = zeros([m]) / m.length;
      assert.ok(Math.abs(frac - p) < 0.04, `step ${s + 1} site ${i}: dropped ${frac}, expected ${p}`);
    }
    const frac = zeros(masks) / size(masks); // all sites: sd 0.0035
    assert.ok(Math.abs(frac - p) < 0.015, `step ${s + 1}: dropped ${frac}, expected ${p}`);
  }
  // fresh masks: two independent masks agree on p^2 + (1-p)^2 = 0.625 of the elements
  for (const [s, t] of [[0, 1], [1, 2]] as const) {
    for (let i = 0; i < dropoutSites(cfg); i++) {
      let agree = 0;
      for (let j = 0; j < a[s]![i]!.length; j++) agree += a[s]![i]![j] === a[t]![i]![j] ? 1 : 0;
      assert.ok(Math.abs(agree / a[s]![i]!.length - 0.625) < 0.05, `steps ${s + 1} and ${t + 1}, site ${i}: agreement ${agree / a[s]![i]!.length}`);
    }
  }
  for (let i = 1; i < dropoutSites(cfg); i++) assert.notDeepEqual(a[0]![i], a[0]![0], `site ${i} repeats site 0's mask`);
  assert.deepEqual(await run(7), a, 'same seed, same masks');
  assert.notDeepEqual((await run(8))[0], a[0], 'another seed, other masks');
});

test('the training step applies exactly the masks it was given; every site changes the loss', async () => {
  const B = 4;
  const t = await Trainer.create(cfg, optim, { seed: 3, threads: 1 });
  const params = bigParams(cfg, 3);
  t.setParams(params);
  const b = batch(cfg, B, 2);
  const r = await t.trainStep(b.x, b.y);
  const masks = t.lastDropoutMasks();
  const after = packParams(cfg, t.getParams());
  await t.dispose();

  const session = await Session.create(buildTrainGraph(cfg, optim).toOnnx(), { threads: 1 });
  const n = paramLayout(cfg).total;
  const vec = (data: Float32Array): HostTensor => ({ dtype: 'float32', dims: [n], data });
  const lossWith = async (ms: Uint8Array[]) => {
    const feeds: Record<string, HostTensor> = {
      [IO.params]: vec(packParams(cfg, params)), [IO.m]: vec(new Float32Array(n)), [IO.v]: vec(new Float32Array(n)), [IO.decay]: vec(decayMask(cfg)),
      [IO.step]: { dtype: 'float64', dims: [], data: new Float64Array([1]) },
      [IO.lr]: { dtype: 'float32', dims: [], data: new Float32Array([optim.lr]) },
      [IO.x]: { dtype: 'int32', dims: [B, cfg.T, cfg.C, cfg.K], data: b.x },
      [IO.y]: { dtype: 'int32', dims: [B], data: b.y },
    };
    ms.forEach((m, i) => { feeds[IO.mask(i)] = { dtype: 'bool', dims: [B, cfg.T, cfg.d], data: m }; });
    const out = await session.run(feeds, [IO.loss, IO.paramsOut]);
    return { loss: Number(out[IO.loss]!.data[0]), params: out[IO.paramsOut]!.data as Float32Array };
  };
  const same = await lossWith(masks);
  assert.equal(same.loss, r.loss, 'the Trainer ran the training graph with the masks it reports');
  assert.deepEqual(same.params, after);
  for (let i = 0; i < masks.length; i++) {
    // drop one more element at site i (a kept one in the last hour, which every loss mode reads)
    const flipped = masks.map((m) => m.slice());
    const j = flipped[i]!.indexOf(1, (B * cfg.T - 1) * cfg.d);
    flipped[i]![j] = 0;
    const changed = (await lossWith(flipped)).loss;
    assert.ok(Math.abs(changed - r.loss) > 1e-6, `site ${i}: dropping element ${j} did not change the loss (${r.loss})`);
  }
  await session.release();
});

test('site 0 zeroes exactly the dropped activations and scales the survivors by 1/(1-p)', async () => {
  const B = 64;
  const g = new Graph('dropout_site0');
  const n = paramLayout(cfg).total;
  const flat = g.input('params', 'float32', [n]);
  const named: Record<string, ReturnType<Graph['input']>> = {};
  for (const s of paramLayout(cfg).slots) {
    const piece = g.slice(flat, [s.offset], [s.offset + s.size], [0]);
    named[s.name] = s.shape.length === 1 ? piece : g.reshape(piece, s.shape);
  }
  const x = g.input('x', 'int32', ['B', cfg.T, cfg.C, cfg.K]);
  const masks = Array.from({ length: dropoutSites(cfg) }, (_, i) => g.input(`m${i}`, 'bool', ['B', cfg.T, cfg.d]));
  const fwd = buildForward(g, cfg, { x, params: named, masks });
  g.output('h0', fwd.h0);
  g.output('stream0', fwd.stream0);
  const session = await Session.create(g.toOnnx(), { threads: 1 });
  const rng = new Rng(4);
  const feeds: Record<string, HostTensor> = {
    params: { dtype: 'float32', dims: [n], data: packParams(cfg, bigParams(cfg, 4)) },
    x: { dtype: 'int32', dims: [B, cfg.T, cfg.C, cfg.K], data: batch(cfg, B, 4).x },
  };
  for (let i = 0; i < masks.length; i++) feeds[`m${i}`] = { dtype: 'bool', dims: [B, cfg.T, cfg.d], data: Uint8Array.from({ length: B * cfg.T * cfg.d }, () => (rng.random() < p ? 0 : 1)) };
  const r = await session.run(feeds);
  const h0 = r.h0!.data as Float32Array, s0 = r.stream0!.data as Float32Array, m0 = feeds.m0!.data as Uint8Array;
  let dropped = 0;
  for (let i = 0; i < h0.length; i++) {
    assert.ok(Math.abs(h0[i]!) > 1e-6, `h0[${i}] = ${h0[i]} is too small to tell dropped from kept`);
    if (m0[i] === 0) {
      assert.ok(s0[i] === 0, `element ${i} is dropped by the mask but passed on as ${s0[i]}`);
      dropped++;
    } else assert.ok(Math.abs(s0[i]! - h0[i]! / (1 - p)) <= 1e-6 * Math.abs(h0[i]!), `element ${i}: ${s0[i]}, expected ${h0[i]! / (1 - p)}`);
  }
  // 6144 elements, sd of the dropped fraction 0.0055; 5 sd
  assert.ok(Math.abs(dropped / h0.length - p) < 0.028, `dropped ${dropped / h0.length}`);
  await session.release();
});

test('evaluation has no dropout: deterministic and equal to the model without dropout; training loss differs', async () => {
  const b = batch(cfg, 16, 5);
  const params = bigParams(cfg, 5);
  const withDrop = await Trainer.create(cfg, optim, { seed: 5, threads: 1 });
  const without = await Trainer.create({ ...cfg, dropout: 0 }, optim, { seed: 5, threads: 1 });
  withDrop.setParams(params);
  without.setParams(params);
  const e1 = await withDrop.evaluate(b.x, b.y);
  const e2 = await withDrop.evaluate(b.x, b.y);
  assert.deepEqual(e1, e2);
  assert.deepEqual(e1, await without.evaluate(b.x, b.y));
  const trainLoss = (await withDrop.trainStep(b.x, b.y)).loss;
  const plainLoss = (await without.trainStep(b.x, b.y)).loss;
  assertClose('training loss without dropout = evaluation loss', [plainLoss], [e1.loss], 1e-6, 1e-6);
  assert.ok(Math.abs(trainLoss - e1.loss) > 0.01, `training loss with dropout ${trainLoss} vs evaluation ${e1.loss}`);
  await Promise.all([withDrop.dispose(), without.dispose()]);

  // and against PyTorch's dropout-free reference: a model with dropout evaluates the fixture batch to its loss
  const fx = loadFixture('case_a_concat_all');
  const { B: _B, ...fcfg } = fx.config;
  const t = await Trainer.create({ ...fcfg, dropout: 0.3 }, optim, { threads: 1 });
  t.setParams(toFloat32(fx.params));
  assertClose('fixture loss, evaluated with dropout 0.3 configured', [(await t.evaluate(fx.x, fx.y)).loss], [fx.loss], 1e-6);
  await t.dispose();
});
