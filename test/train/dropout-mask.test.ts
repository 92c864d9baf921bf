// Tests host-generated dropout masks: the keep rate, determinism per (seed, step, site), independence.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fillKeepMask, maskSeed } from '../../src/train/dropout-mask.ts';

test('keep rate is 1 - p and masks are reproducible', () => {
  for (const p of [0.1, 0.5]) {
    const a = new Uint8Array(200_001);
    fillKeepMask(a, p, 12345);
    const kept = a.reduce((s, v) => s + v, 0) / a.length;
    assert.ok(Math.abs(kept - (1 - p)) < 0.005, `p=${p}: kept ${kept}`);
    const b = new Uint8Array(a.length);
    fillKeepMask(b, p, 12345);
    assert.deepEqual(a, b);
  }
  const z = new Uint8Array(1000);
  fillKeepMask(z, 0, 1);
  assert.ok(z.every((v) => v === 1));
});

test('different steps and sites give different, uncorrelated masks', () => {
  const seeds = new Set<number>();
  for (let step = 1; step <= 50; step++) for (let site = 0; site < 9; site++) seeds.add(maskSeed(42, step, site));
  assert.equal(seeds.size, 450);
  const a = new Uint8Array(100_000), b = new Uint8Array(100_000);
  fillKeepMask(a, 0.5, maskSeed(42, 1, 0));
  fillKeepMask(b, 0.5, maskSeed(42, 2, 0));
  let agree = 0;
  for (let i = 0; i < a.length; i++) agree += a[i] === b[i] ? 1 : 0;
  assert.ok(Math.abs(agree / a.length - 0.5) < 0.01, `agreement ${agree / a.length}`);
});
