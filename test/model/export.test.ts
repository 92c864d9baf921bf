// Tests model.onnx (written to disk, loaded in a fresh session, dynamic batch) against the Trainer's in-process
// forward pass, and the unrolled forecast graph against a step-by-step loop over predictProba.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Session } from '../../src/runtime/session.ts';
import { exportModelOnnx } from '../../src/model/export.ts';
import { Trainer } from '../../src/train/engine.ts';
import { Forecaster } from '../../src/train/forecaster.ts';
import type { ModelConfig } from '../../src/model/config.ts';
import { Rng } from '../../src/util/rng.ts';
import { assertClose, loadFixture, toFloat32 } from './fixture.ts';

const optim = { lr: 1e-2, weight_decay: 0.1, beta1: 0.9, beta2: 0.999, eps: 1e-8, max_norm: 1 };

async function trainerFromFixture(): Promise<{ trainer: Trainer; cfg: ModelConfig }> {
  const fx = loadFixture('case_a_concat_all');
  const { B: _B, ...cfg } = fx.config;
  const trainer = await Trainer.create(cfg, optim, { threads: 1 });
  trainer.setParams(toFloat32(fx.params));
  return { trainer, cfg };
}

function tokens(n: number, V: number, seed: number): Int32Array {
  const rng = new Rng(seed);
  return Int32Array.from({ length: n }, () => rng.int(V));
}

test('model.onnx loads in a fresh session and matches the in-process forward pass at any batch size', async () => {
  const { trainer, cfg } = await trainerFromFixture();
  const path = join(mkdtempSync(join(tmpdir(), 'onnx-')), 'model.onnx');
  exportModelOnnx(path, cfg, trainer.getParams());
  const session = await Session.create(readFileSync(path), { threads: 1 });
  assert.deepEqual([...session.inputNames], ['x']);
  assert.deepEqual([...session.outputNames].sort(), ['logits', 'proba']);
  for (const B of [1, 5]) {
    const x = tokens(B * cfg.T * cfg.C * cfg.K, cfg.V, B);
    const y = tokens(B, cfg.O, 100 + B);
    const r = await session.run({ x: { dtype: 'int64', dims: [B, cfg.T, cfg.C, cfg.K], data: BigInt64Array.from(x, BigInt) } });
    assert.deepEqual(r.logits!.dims, [B, cfg.T, cfg.O]);
    const want = await trainer.predictProba(x);
    assertClose(`proba B=${B}`, r.proba!.data as Float32Array, want, 1e-6);
    const ev = await trainer.evaluate(x, y);
    const logits = r.logits!.data as Float32Array;
    const last = Float32Array.from({ length: B * cfg.O }, (_, i) => logits[Math.floor(i / cfg.O) * cfg.T * cfg.O + (cfg.T - 1) * cfg.O + (i % cfg.O)]!);
    assertClose(`last logits B=${B}`, last, ev.logits, 1e-5);
  }
  await session.release();
  await trainer.dispose();
});

test('the unrolled forecast equals feeding predictions back one hour at a time', async () => {
  const { trainer, cfg } = await trainerFromFixture();
  const { T, C, K, O, target_coin: tc } = cfg;
  const horizon = 4, B = 3;
  const f = await Forecaster.create(cfg, trainer.getParams(), { horizon });
  const x = tokens(B * T * C * K, cfg.V, 7);
  const got = await f.forecast(x);
  const win = x.slice();
  const per = T * C * K, row = C * K;
  for (let h = 0; h < horizon; h++) {
    const p = await trainer.predictProba(win);
    for (let b = 0; b < B; b++) {
      const probs = p.subarray(b * O, (b + 1) * O);
      const tok = probs.indexOf(Math.max(...probs));
      assert.equal(got.tokens[b * horizon + h], tok, `token b=${b} h=${h}`);
      assertClose(`proba b=${b} h=${h}`, got.proba.subarray((b * horizon + h) * O, (b * horizon + h + 1) * O), probs, 1e-6);
      const w = win.subarray(b * per, (b + 1) * per);
      const lastRow = w.slice((T - 1) * row, T * row);
      w.copyWithin(0, row);
      w.set(lastRow, (T - 1) * row);
      w[(T - 1) * row + tc * K] = tok;
    }
  }
  await f.dispose();
  await trainer.dispose();
});
