import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initialSchedule, lrAt, endOfEpoch, type ScheduleConfig } from '../../src/train/schedule.ts';

const cfg: ScheduleConfig = { lr: 1e-3, warmupEpochs: 1, warmupStartLr: 1e-5,
  plateau: { factor: 0.5, patience: 1, min_lr: 3e-4 }, earlyStopping: { patience: 3, min_delta: 0.01 } };

test('warmup rises linearly to the base LR, then holds', () => {
  const s = initialSchedule(cfg);
  assert.ok(lrAt(cfg, s, 0, 10) < 2e-4);
  assert.ok(Math.abs(lrAt(cfg, s, 9, 10) - 1e-3) < 1e-15);
  assert.equal(lrAt(cfg, s, 50, 10), 1e-3);
  assert.ok(lrAt(cfg, s, 4, 10) > lrAt(cfg, s, 3, 10));
});

test('plateau halves the LR after patience bad epochs, never below min_lr; early stop after patience', () => {
  let s = initialSchedule(cfg);
  const losses = [1.0, 0.9, 0.95, 0.96, 0.97, 0.98];
  const out = losses.map((l) => { const r = endOfEpoch(cfg, s, l); s = r.state; return { ...r, lr: s.baseLr }; });
  assert.deepEqual(out.map((o) => o.improved), [true, true, false, false, false, false]);
  assert.equal(out[3].lr, 5e-4, 'reduced after 2 bad epochs (patience 1)');
  assert.equal(out[5].lr, 3e-4, 'clamped at min_lr');
  assert.deepEqual(out.map((o) => o.stop), [false, false, false, false, true, true]);
});
