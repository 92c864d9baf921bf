// Tests model.onnx (written to disk, loaded in a fresh session, dynamic batch) against the Trainer's in-process
// forward pass.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Session } from '../../src/runtime/session.ts';
import { exportModelOnnx } from '../../src/model/export.ts';
import { Trainer } from '../../src/train/engine.ts';
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
