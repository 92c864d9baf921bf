import { test } from 'node:test';
import assert from 'node:assert/strict';
import { optimalBlockLength } from '../../src/evaluate/block-length.ts';
import { bootstrapStat } from '../../src/evaluate/bootstrap.ts';
import { Rng } from '../../src/util/rng.ts';

function normal(rng: Rng): number {
  let u = 0;
  while (u === 0) u = rng.random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.random());
}

/** Paired AR(1) series sharing a common shock; returns their per-step difference, whose true mean is `delta`. */
function pairedDifference(n: number, phi: number, delta: number, rng: Rng): Float64Array {
  const d = new Float64Array(n);
  let a = 0, b = 0;
  for (let t = 0; t < n; t++) {
    const common = normal(rng);
    a = phi * a + common + 0.5 * normal(rng);
    b = phi * b + common + 0.5 * normal(rng);
    d[t] = delta + a - b;
  }
  return d;
}

test('the chosen block length is ~1 for white noise and grows with the autocorrelation', () => {
  const rng = new Rng(4), n = 4000;
  const lengths = [0, 0.5, 0.9].map((phi) => {
    const x = new Float64Array(n);
    let s = 0;
    for (let t = 0; t < n; t++) { s = phi * s + normal(rng); x[t] = s; }
    return optimalBlockLength(x);
  });
  assert.ok(lengths[0]!.circular < 3, `white noise: ${lengths[0]!.circular}`);
  assert.ok(lengths[1]!.circular > lengths[0]!.circular && lengths[2]!.circular > 2 * lengths[1]!.circular, JSON.stringify(lengths));
  // Politis-White: b_SB / b_CB = (D_CB / D_SB)^(1/3) = (2/3)^(1/3) before the cap
  assert.ok(Math.abs(lengths[2]!.stationary / lengths[2]!.circular - Math.cbrt(2 / 3)) < 1e-9, JSON.stringify(lengths[2]));
  for (const l of lengths) assert.ok(l.circular >= 1 && l.circular <= Math.ceil(3 * Math.sqrt(n)));
  assert.deepEqual(optimalBlockLength([1, 2, 3]), { stationary: 1, circular: 1, bandwidth: 0 });
  assert.equal(optimalBlockLength(new Float64Array(100).fill(2)).circular, 1);
});

test('coverage: the 95% block-bootstrap interval of a mean difference covers the truth in 93-97% of 800 replications', () => {
  const rng = new Rng(1), reps = 800, n = 1000, delta = 0.1;
  let cover = 0;
  for (let r = 0; r < reps; r++) {
    const d = pairedDifference(n, 0.3, delta, rng);
    const block = Math.max(1, Math.round(optimalBlockLength(d).circular));
    const mean = (idx: Int32Array | null) => {
      let s = 0;
      const m = idx ? idx.length : n;
      for (let i = 0; i < m; i++) s += d[idx ? idx[i]! : i]!;
      return s / m;
    };
    const iv = bootstrapStat(mean, n, { samples: 399, confidence: 0.95, block, seed: r });
    if (iv.low <= delta && delta <= iv.high) cover++;
  }
  const rate = cover / reps;
  assert.ok(rate >= 0.93 && rate <= 0.97, `coverage ${rate}`);
});
