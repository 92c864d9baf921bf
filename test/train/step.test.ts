// Tests the training-step graph: its interface, its unclipped AdamW update against the formulas written out in
// float64, the gradient it hands to AdamW against PyTorch's fixtures (dropout off) and against finite
// differences of its own loss (dropout on, both loss-position modes).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Session } from '../../src/runtime/session.ts';
import type { HostTensor } from '../../src/runtime/tensor.ts';
import type { ModelConfig } from '../../src/model/config.ts';
import { decayMask, initParams, packParams, paramLayout } from '../../src/model/params.ts';
import { dropoutSites } from '../../src/model/transformer.ts';
import { IO, buildTrainGraph } from '../../src/train/step.ts';
import { DEFAULT_OPTIM } from '../../src/model/optim-config.ts';
import { fillKeepMask, maskSeed } from '../../src/train/dropout-mask.ts';
import { Rng } from '../../src/util/rng.ts';
import { FIXTURES, assertClose, loadFixture, toFloat32 } from '../model/fixture.ts';

test('graph inputs and outputs carry the documented names', () => {
  const fx = loadFixture('case_a_concat_all');
  const g = buildTrainGraph({ ...fx.config, dropout: 0.1 }, { ...fx.optim, max_norm: 1 });
  const inputs = g.inputs.map((v) => v.name);
  for (const n of [IO.params, IO.m, IO.v, IO.step, IO.lr, IO.x, IO.y, IO.decay, IO.mask(0), IO.mask(2 * fx.config.N)]) assert.ok(inputs.includes(n), n);
  assert.deepEqual(g.outputs.map((v) => v.name), [IO.paramsOut, IO.mOut, IO.vOut, IO.loss, IO.acc, IO.gradNorm, IO.grad]);
});

test('without max_norm the update is plain AdamW on the unclipped gradients', async () => {
  const fx = loadFixture('case_a_concat_all');
  const { B, T, C, K } = fx.config;
  const o = fx.optim;
  const session = await Session.create(buildTrainGraph(fx.config, { ...o, max_norm: null }).toOnnx(), { threads: 1 });
  const n = paramLayout(fx.config).total;
  const flat = packParams(fx.config, toFloat32(fx.params));
  const vec = (data: Float32Array) => ({ dtype: 'float32' as const, dims: [n], data });
  const r = await session.run({
    [IO.params]: vec(flat), [IO.m]: vec(new Float32Array(n)), [IO.v]: vec(new Float32Array(n)), [IO.decay]: vec(decayMask(fx.config)),
    [IO.step]: { dtype: 'float64', dims: [], data: new Float64Array([1]) },
    [IO.lr]: { dtype: 'float32', dims: [], data: new Float32Array([o.lr]) },
    [IO.x]: { dtype: 'int32', dims: [B, T, C, K], data: fx.x },
    [IO.y]: { dtype: 'int32', dims: [B], data: fx.y },
  });
  const got = r[IO.paramsOut]!.data as Float32Array;
  assertClose('grad_norm', r[IO.gradNorm]!.data as Float32Array, [fx.steps[0]!.grad_norm_preclip], 0, 1e-5);
  for (const s of paramLayout(fx.config).slots) {
    if (s.name.endsWith('attn.bk')) continue; // analytically zero gradient: Adam amplifies round-off (test/fixtures/README.md)
    const p = fx.params[s.name]!, g = fx.grads[s.name]!;
    const want = Float64Array.from(p, (pi, i) => {
      const decayed = s.decay ? pi * (1 - o.lr * o.weight_decay) : pi;
      const m = (1 - o.beta1) * g[i]!, v = (1 - o.beta2) * g[i]! * g[i]!;
      return decayed - o.lr * (m / (1 - o.beta1)) / (Math.sqrt(v / (1 - o.beta2)) + o.eps);
    });
    assertClose(`step 1 without clipping ${s.name}`, got.subarray(s.offset, s.offset + s.size), want, 3e-5);
  }
  await session.release();
});

/** Feeds for one run of the training graph at step 1 with zero moments (masks: one bool (B, T, d) per site). */
function stepFeeds(cfg: ModelConfig, flat: Float32Array, x: Int32Array, y: Int32Array, lr: number, masks: Uint8Array[] = []): Record<string, HostTensor> {
  const n = flat.length, B = y.length;
  const vec = (data: Float32Array): HostTensor => ({ dtype: 'float32', dims: [n], data });
  const feeds: Record<string, HostTensor> = {
    [IO.params]: vec(flat), [IO.m]: vec(new Float32Array(n)), [IO.v]: vec(new Float32Array(n)), [IO.decay]: vec(decayMask(cfg)),
    [IO.step]: { dtype: 'float64', dims: [], data: new Float64Array([1]) },
    [IO.lr]: { dtype: 'float32', dims: [], data: new Float32Array([lr]) },
    [IO.x]: { dtype: 'int32', dims: [B, cfg.T, cfg.C, cfg.K], data: x },
    [IO.y]: { dtype: 'int32', dims: [B], data: y },
  };
  masks.forEach((m, i) => { feeds[IO.mask(i)] = { dtype: 'bool', dims: [B, cfg.T, cfg.d], data: m }; });
  return feeds;
}

// The gradient the training graph hands to AdamW, for every parameter, against PyTorch's float64 gradients: case a
// (all positions, label smoothing 0.1), b (last position only) and c (mean mixing); clipping fires in every case.
for (const name of FIXTURES) {
  test(`${name}: the training graph's gradients equal PyTorch's, clipped and unclipped`, async () => {
    const fx = loadFixture(name);
    const { B: _B, ...cfg } = fx.config;
    const flat = packParams(cfg, toFloat32(fx.params));
    const coef = fx.steps[0]!.clip_coef;
    assert.ok(coef < 0.9, `${name}: clipping must fire in this fixture (coef ${coef})`);
    for (const maxNorm of [fx.optim.max_norm, null]) {
      const session = await Session.create(buildTrainGraph(cfg, { ...fx.optim, max_norm: maxNorm }).toOnnx(), { threads: 1 });
      const r = await session.run(stepFeeds(cfg, flat, fx.x, fx.y, fx.optim.lr), [IO.grad, IO.loss, IO.gradNorm]);
      const grad = r[IO.grad]!.data as Float32Array;
      const scale = maxNorm === null ? 1 : coef;
      assertClose(`${name} loss`, r[IO.loss]!.data as Float32Array, [fx.loss], 1e-6);
      for (const s of paramLayout(cfg).slots) {
        const want = Float64Array.from(fx.grads[s.name]!, (v) => v * scale);
        assertClose(`${name} max_norm ${maxNorm} grad ${s.name}`, grad.subarray(s.offset, s.offset + s.size), want, (s.name.endsWith('attn.bk') ? 1e-6 : 2e-6) * scale);
      }
      await session.release();
    }
  });
}

// With dropout on there is no PyTorch fixture: the training graph's gradient (fixed masks, label smoothing, no
// clipping) is checked against central differences of its own loss. onnxruntime's CPU provider has no float64
// Erf/Gelu kernel, so the model runs in float32 and the difference quotient is Richardson-extrapolated from
// steps h and h/2 (error ~1e-5 against gradients of ~1e-2); a missing mask or scale in any backward rule is off by far more.
for (const loss_positions of ['all', 'last'] as const) {
  test(`dropout on, loss_positions ${loss_positions}: the training graph's gradient matches finite differences`, async () => {
    const cfg: ModelConfig = {
      V: 3, O: 3, C: 2, K: 2, T: 4, e: 2, d: 4, H: 2, N: 1, F: 8,
      dropout: 0.3, coin_mixing: 'concat', loss_positions, label_smoothing: 0.1, target_coin: 0,
    };
    const B = 3;
    const rng = new Rng(11);
    const params = initParams(cfg, 5);
    for (const v of Object.values(params)) for (let i = 0; i < v.length; i++) v[i] = v[i] === 1 ? 1 + 0.3 * rng.normal() : v[i]! * 25 + 0.1 * rng.normal();
    const flat = packParams(cfg, params);
    const x = Int32Array.from({ length: B * cfg.T * cfg.C * cfg.K }, () => rng.int(cfg.V));
    const y = Int32Array.from({ length: B }, () => rng.int(cfg.O));
    const masks = Array.from({ length: dropoutSites(cfg) }, (_, i) => {
      const m = new Uint8Array(B * cfg.T * cfg.d);
      fillKeepMask(m, cfg.dropout, maskSeed(3, 1, i));
      return m;
    });
    const session = await Session.create(buildTrainGraph(cfg, { ...DEFAULT_OPTIM, max_norm: null }).toOnnx(), { threads: 1 });
    const run = async (p: Float32Array, outs: string[]) => session.run(stepFeeds(cfg, p, x, y, 1e-3, masks), outs);
    const analytic = (await run(flat, [IO.grad]))[IO.grad]!.data as Float32Array;
    const lossAt = async (p: Float32Array) => Number((await run(p, [IO.loss]))[IO.loss]!.data[0]);
    const diffQuotient = async (j: number, h: number) => {
      const p = flat.slice();
      p[j] = flat[j]! + h;
      const up = p[j]!;
      const lp = await lossAt(p);
      p[j] = flat[j]! - h;
      const lm = await lossAt(p);
      return (lp - lm) / (up - p[j]!); // the float32-rounded step actually taken
    };
    const numeric = new Float64Array(flat.length);
    for (let j = 0; j < flat.length; j++) {
      const h = 4e-3 * Math.max(1, Math.abs(flat[j]!));
      numeric[j] = (4 * (await diffQuotient(j, h / 2)) - (await diffQuotient(j, h))) / 3;
    }
    let large = 0;
    for (const v of numeric) if (Math.abs(v) > 1e-3) large++;
    assert.ok(large > flat.length / 3, `only ${large} of ${flat.length} gradients are away from zero: the check would be weak`);
    for (const s of paramLayout(cfg).slots) {
      assertClose(`grad ${s.name}`, analytic.subarray(s.offset, s.offset + s.size), numeric.subarray(s.offset, s.offset + s.size), 1e-4, 1e-2);
    }
    await session.release();
  });
}
