import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bootstrapMean, blockResample } from '../../src/evaluate/bootstrap.ts';
import { Rng } from '../../src/util/rng.ts';

test('interval covers the true mean and is wider under block resampling of correlated data', () => {
  const rng = new Rng(11), n = 4000, v = new Float64Array(n);
  // AR(1) with strong correlation: i.i.d. resampling underestimates the spread
  let x = 0;
  for (let i = 0; i < n; i++) { x = 0.95 * x + rng.normal(); v[i] = x; }
  const iid = bootstrapMean(v, { samples: 400, confidence: 0.95, block: 1, seed: 1 });
  const blk = bootstrapMean(v, { samples: 400, confidence: 0.95, block: 100, seed: 1 });
  assert.ok(blk.high - blk.low > 2 * (iid.high - iid.low), `block ${blk.high - blk.low} iid ${iid.high - iid.low}`);
  assert.ok(blk.low < blk.estimate && blk.estimate < blk.high);
});

test('block resample returns n in-range indices in runs', () => {
  const idx = blockResample(10, 4, new Rng(2));
  assert.equal(idx.length, 10);
  for (const i of idx) assert.ok(i >= 0 && i < 10);
  assert.equal((idx[1] - idx[0] + 10) % 10, 1);
});
