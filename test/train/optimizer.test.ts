// Tests the AdamW + clipping graph against parity step 1: fixture params and (unclipped) grads in,
// fixture params_after and pre-clip norm out, within the float32 tolerances of test/fixtures/README.md.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as ort from 'onnxruntime-node';
import { GraphCore } from '../../src/graph/ir.ts';
import { emitOnnx } from '../../src/graph/onnx/model.ts';
import { mul } from '../../src/graph/ops/binary.ts';
import { adamw, clipCoef, globalNorm } from '../../src/train/optimizer.ts';
import { paramSpecs } from '../../src/model/params.ts';
import { FIXTURES, assertClose, loadFixture } from '../model/fixture.ts';

function buildGraph(n: number, maxNorm: number, cfg: { lr: number; weight_decay: number; beta1: number; beta2: number; eps: number }) {
  const g = new GraphCore('adamw_test');
  const vec = (name: string) => g.addInput(name, 'float32', [n]);
  const [p, gr, m, v, mask] = ['p', 'g', 'm', 'v', 'mask'].map(vec);
  const step = g.addInput('step', 'float64', []);
  const lr = g.addInput('lr', 'float32', []);
  const norm = globalNorm([gr]);
  const coef = clipCoef(norm, maxNorm);
  const out = adamw({ param: p, grad: mul(gr, coef), m, v, decayMask: mask, step, lr, cfg: { ...cfg, max_norm: maxNorm } });
  for (const [name, val] of [['p_out', out.param], ['m_out', out.m], ['v_out', out.v], ['norm', norm], ['coef', coef]] as const) {
    g.rename(val, name);
    g.outputs.push(val);
  }
  return emitOnnx(g);
}

for (const name of FIXTURES) {
  test(`AdamW step 1 matches ${name}`, async () => {
    const fx = loadFixture(name);
    const specs = paramSpecs(fx.config);
    const n = specs.reduce((s, p) => s + p.shape.reduce((a, b) => a * b, 1), 0);
    const flat = (src: Record<string, Float64Array>) => {
      const out = new Float32Array(n);
      let off = 0;
      for (const s of specs) { out.set(src[s.name], off); off += src[s.name].length; }
      return out;
    };
    const mask = new Float32Array(n);
    let off = 0;
    for (const s of specs) {
      const size = s.shape.reduce((a, b) => a * b, 1);
      if (s.decay) mask.fill(1, off, off + size);
      off += size;
    }
    const o = fx.optim;
    const session = await ort.InferenceSession.create(buildGraph(n, o.max_norm, o));
    const t = (data: Float32Array) => new ort.Tensor('float32', data, [n]);
    const r = await session.run({
      p: t(flat(fx.params)), g: t(flat(fx.grads)), m: t(new Float32Array(n)), v: t(new Float32Array(n)), mask: t(mask),
      step: new ort.Tensor('float64', new Float64Array([1]), []), lr: new ort.Tensor('float32', new Float32Array([o.lr]), []),
    });
    const s1 = fx.steps[0];
    const norm = (r.norm.data as Float32Array)[0];
    assert.ok(Math.abs(norm - s1.grad_norm_preclip) <= 1e-5 * s1.grad_norm_preclip, `norm ${norm} vs ${s1.grad_norm_preclip}`);
    assert.ok(Math.abs((r.coef.data as Float32Array)[0] - s1.clip_coef) < 1e-6);
    const got = r.p_out.data as Float32Array;
    off = 0;
    for (const s of specs) {
      const size = s.shape.reduce((a, b) => a * b, 1);
      const tol = s.name.endsWith('attn.bk') ? o.lr : 3e-5;
      assertClose(`${name} params_after[step 1] ${s.name}`, got.subarray(off, off + size), s1.params_after[s.name], tol);
      off += size;
    }
  });
}
