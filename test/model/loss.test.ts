// Tests the label-smoothed loss and last-position accuracy graph against a float64 JS implementation of
// PyTorch's cross_entropy(label_smoothing=s), for both loss_positions modes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Graph } from '../../src/graph/builder.ts';
import { Session } from '../../src/runtime/session.ts';
import { buildLoss } from '../../src/model/loss.ts';
import type { ModelConfig } from '../../src/model/config.ts';
import { Rng } from '../../src/util/rng.ts';

const base: ModelConfig = {
  V: 3, O: 4, C: 2, K: 2, T: 4, e: 2, d: 4, H: 1, N: 1, F: 4,
  dropout: 0, coin_mixing: 'concat', loss_positions: 'all', label_smoothing: 0.2, target_coin: 1,
};

function reference(cfg: ModelConfig, logits: Float32Array, x: Int32Array, y: Int32Array, B: number) {
  const { T, O, C, K, target_coin: tc, label_smoothing: s } = cfg;
  let total = 0, count = 0, hits = 0;
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < T; t++) {
      const row = Array.from(logits.subarray((b * T + t) * O, (b * T + t + 1) * O));
      const mx = Math.max(...row);
      const lse = mx + Math.log(row.reduce((a, v) => a + Math.exp(v - mx), 0));
      const logp = row.map((v) => v - lse);
      if (t === T - 1 && row.indexOf(mx) === y[b]) hits++;
      if (cfg.loss_positions === 'last' && t !== T - 1) continue;
      const target = t === T - 1 ? y[b]! : x[((b * T + t + 1) * C + tc) * K]!;
      total += (1 - s) * -logp[target]! + s * -logp.reduce((a, v) => a + v, 0) / O;
      count++;
    }
  }
  return { loss: total / count, acc: hits / B };
}

for (const mode of ['all', 'last'] as const) {
  for (const s of [0, 0.2]) {
    test(`loss_positions ${mode}, label smoothing ${s}`, async () => {
      const cfg = { ...base, loss_positions: mode, label_smoothing: s };
      const g = new Graph('loss');
      const logits = g.input('logits', 'float32', ['B', cfg.T, cfg.O]);
      const x = g.input('x', 'int32', ['B', cfg.T, cfg.C, cfg.K]);
      const y = g.input('y', 'int32', ['B']);
      const out = buildLoss(g, cfg, logits, x, y);
      g.output('loss', out.loss);
      g.output('acc', out.acc);
      const session = await Session.create(g.toOnnx(), { threads: 1 });
      const rng = new Rng(7);
      const B = 5;
      const l = Float32Array.from({ length: B * cfg.T * cfg.O }, () => 3 * rng.normal());
      const xs = Int32Array.from({ length: B * cfg.T * cfg.C * cfg.K }, () => rng.int(cfg.V));
      const ys = Int32Array.from({ length: B }, () => rng.int(cfg.O));
      const r = await session.run({
        logits: { dtype: 'float32', dims: [B, cfg.T, cfg.O], data: l },
        x: { dtype: 'int32', dims: [B, cfg.T, cfg.C, cfg.K], data: xs },
        y: { dtype: 'int32', dims: [B], data: ys },
      });
      const want = reference(cfg, l, xs, ys, B);
      assert.ok(Math.abs(Number(r.loss!.data[0]) - want.loss) < 1e-5, `loss ${r.loss!.data[0]} vs ${want.loss}`);
      assert.equal(Number(r.acc!.data[0]), want.acc);
      await session.release();
    });
  }
}
