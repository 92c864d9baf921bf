// Tests the training-step graph's interface and its unclipped path (max_norm null) against AdamW written out in
// float64 from the fixture's gradients (torch.optim.AdamW formulas, MODEL.md "Optimiser step").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Session } from '../../src/runtime/session.ts';
import { decayMask, packParams, paramLayout } from '../../src/model/params.ts';
import { IO, buildTrainGraph } from '../../src/train/step.ts';
import { assertClose, loadFixture, toFloat32 } from '../model/fixture.ts';

test('graph inputs and outputs carry the documented names', () => {
  const fx = loadFixture('case_a_concat_all');
  const g = buildTrainGraph({ ...fx.config, dropout: 0.1 }, { ...fx.optim, max_norm: 1 });
  const inputs = g.inputs.map((v) => v.name);
  for (const n of [IO.params, IO.m, IO.v, IO.step, IO.lr, IO.x, IO.y, IO.decay, IO.mask(0), IO.mask(2 * fx.config.N)]) assert.ok(inputs.includes(n), n);
  assert.deepEqual(g.outputs.map((v) => v.name), [IO.paramsOut, IO.mOut, IO.vOut, IO.loss, IO.acc, IO.gradNorm]);
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
    if (s.name.endsWith('attn.bk')) continue; // analytically zero gradient: Adam amplifies round-off (parity README)
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
