// Tests the unrolled forecast graph against a step-by-step loop over Trainer.predictProba, with the default
// (persistence) fill and an explicit one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Trainer } from '../../src/train/engine.ts';
import { Forecaster } from '../../src/train/forecaster.ts';
import { Rng } from '../../src/util/rng.ts';
import { assertClose, loadFixture, toFloat32 } from '../model/fixture.ts';

const optim = { lr: 1e-2, weight_decay: 0.1, beta1: 0.9, beta2: 0.999, eps: 1e-8, max_norm: 1 };

function tokens(n: number, V: number, seed: number): Int32Array {
  const rng = new Rng(seed);
  return Int32Array.from({ length: n }, () => rng.int(V));
}

for (const explicitFill of [false, true]) {
  test(`forecast equals feeding predictions back one hour at a time (${explicitFill ? 'explicit' : 'default'} fill)`, async () => {
    const fx = loadFixture('case_a_concat_all');
    const { B: _B, ...cfg } = fx.config;
    const trainer = await Trainer.create(cfg, optim, { threads: 1 });
    trainer.setParams(toFloat32(fx.params));
    const { T, C, K, O, target_coin: tc } = cfg;
    const horizon = 4, B = 3, per = T * C * K, row = C * K;
    const f = await Forecaster.create(cfg, trainer.getParams(), { horizon });
    const x = tokens(B * per, cfg.V, 7);
    const fill = explicitFill ? tokens(B * row, cfg.V, 8) : undefined;
    const got = await f.forecast(x, fill);
    assert.equal(got.tokens.length, B * horizon);
    assert.equal(got.proba.length, B * horizon * O);
    const win = x.slice();
    for (let h = 0; h < horizon; h++) {
      const p = await trainer.predictProba(win);
      for (let b = 0; b < B; b++) {
        const probs = p.subarray(b * O, (b + 1) * O);
        const tok = probs.indexOf(Math.max(...probs));
        assert.equal(got.tokens[b * horizon + h], tok, `token b=${b} h=${h}`);
        assertClose(`proba b=${b} h=${h}`, got.proba.subarray((b * horizon + h) * O, (b * horizon + h + 1) * O), probs, 1e-6);
        const w = win.subarray(b * per, (b + 1) * per);
        const next = fill ? fill.slice(b * row, (b + 1) * row) : w.slice((T - 1) * row, T * row);
        w.copyWithin(0, row);
        w.set(next, (T - 1) * row);
        w[(T - 1) * row + tc * K] = tok;
      }
    }
    await assert.rejects(f.forecast(x, new Int32Array(1)), /fill has 1 tokens/);
    await f.dispose();
    await trainer.dispose();
  });
}
