// Parity with the PyTorch float64 reference (test/fixtures/parity, tolerances in test/fixtures/README.md): activations,
// logits, loss, accuracy and every gradient from the gradients graph; pre-clip norms and parameters after
// AdamW steps 1 and 3 from the Trainer's single-run training step.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Session } from '../../src/runtime/session.ts';
import { packParams } from '../../src/model/params.ts';
import { buildGradientsGraph } from '../../src/train/step.ts';
import { Trainer } from '../../src/train/engine.ts';
import type { ModelConfig } from '../../src/model/config.ts';
import { FIXTURES, assertClose, loadFixture, toFloat32 } from './fixture.ts';

const isBk = (name: string) => name.endsWith('.attn.bk');

for (const name of FIXTURES) {
  test(`${name}: activations, logits, loss, accuracy and gradients`, async () => {
    const fx = loadFixture(name);
    const { B, T, C, K } = fx.config;
    const flat = packParams(fx.config, toFloat32(fx.params));
    const session = await Session.create(buildGradientsGraph(fx.config).toOnnx(), { threads: 1 });
    const r = await session.run({
      params: { dtype: 'float32', dims: [flat.length], data: flat },
      x: { dtype: 'int32', dims: [B, T, C, K], data: fx.x },
      y: { dtype: 'int32', dims: [B], data: fx.y },
    });
    const f = (k: string) => r[k]!.data as Float32Array;
    assertClose(`${name} fused`, f('fused'), fx.activations.fused, 1e-5);
    assertClose(`${name} h0`, f('h0'), fx.activations.h0, 1e-5);
    fx.activations.blocks.forEach((want, i) => assertClose(`${name} blocks[${i}]`, f(`block_${i}`), want, 1e-5));
    assertClose(`${name} lnf`, f('lnf'), fx.activations.lnf, 1e-5);
    assertClose(`${name} logits`, f('logits'), fx.logits, 1e-5);
    assertClose(`${name} loss`, f('loss'), [fx.loss], 1e-6);
    assert.equal(f('accuracy')[0], fx.accLast, `${name} acc_last`);
    for (const p of fx.paramNames) assertClose(`${name} grad ${p}`, f(`grad.${p}`), fx.grads[p]!, isBk(p) ? 1e-6 : 2e-6);
    assertClose(`${name} unclipped grad norm`, f('grad_norm'), [fx.steps[0]!.grad_norm_preclip], 0, 1e-5);
    await session.release();
  });

  test(`${name}: AdamW steps 1-3 in the training step`, async () => {
    const fx = loadFixture(name);
    const { B: _B, ...cfg } = fx.config;
    const o = fx.optim;
    const trainer = await Trainer.create(cfg as ModelConfig, {
      lr: o.lr, weight_decay: o.weight_decay, beta1: o.beta1, beta2: o.beta2, eps: o.eps, max_norm: o.max_norm,
    }, { threads: 1 });
    trainer.setParams(toFloat32(fx.params));
    for (const [i, want] of fx.steps.entries()) {
      const r = await trainer.trainStep(fx.x, fx.y);
      assertClose(`${name} step ${i + 1} loss_before`, [r.loss], [want.loss_before], 1e-6);
      assertClose(`${name} step ${i + 1} grad_norm_preclip`, [r.gradNorm], [want.grad_norm_preclip], 0, 1e-5);
      if (i !== 0 && i !== 2) continue;
      const got = trainer.getParams();
      for (const p of fx.paramNames) {
        assertClose(`${name} params_after step ${i + 1} ${p}`, got[p]!, want.params_after[p]!, isBk(p) ? o.lr * (i + 1) : 3e-5);
      }
    }
    assert.equal(trainer.step, 3);
    await trainer.dispose();
  });
}
