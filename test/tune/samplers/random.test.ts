// RandomSampler: uniform in the transformed space (log, widened grid), every grid point equally likely, seeded.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RandomSampler, sampleUniformInternal } from '../../../src/tune/samplers/random.ts';
import { CategoricalDistribution, FloatDistribution, IntDistribution } from '../../../src/tune/distributions.ts';
import { Rng } from '../../../src/util/rng.ts';

const N = 20000;
function freq(values: number[]): Map<number, number> {
  const m = new Map<number, number>();
  for (const v of values) m.set(v, (m.get(v) ?? 0) + 1 / values.length);
  return m;
}

test('grid points of ints and stepped floats are equally likely, ends included', () => {
  const rng = new Rng(1);
  const i = new IntDistribution(0, 100, { step: 25 });
  const f = freq(Array.from({ length: N }, () => sampleUniformInternal(rng, i)));
  assert.deepEqual([...f.keys()].sort((a, b) => a - b), [0, 25, 50, 75, 100]);
  for (const p of f.values()) assert.ok(Math.abs(p - 0.2) < 0.015);
  const s = new FloatDistribution(0, 0.2, { step: 0.05 });
  const fs = Array.from({ length: N }, () => sampleUniformInternal(rng, s));
  assert.ok(fs.every((x) => s.contains(x)));
  assert.equal(new Set(fs.map((x) => x.toFixed(2))).size, 5);
});

test('log distributions are uniform in log space; categorical indices uniform', () => {
  const rng = new Rng(2);
  const d = new FloatDistribution(1e-4, 1, { log: true });
  const xs = Array.from({ length: N }, () => sampleUniformInternal(rng, d));
  assert.ok(xs.every((x) => x >= 1e-4 && x <= 1));
  const below1e2 = xs.filter((x) => x < 1e-2).length / N; // half of the log range
  assert.ok(Math.abs(below1e2 - 0.5) < 0.02);
  const il = new IntDistribution(1, 1000, { log: true });
  const is = Array.from({ length: N }, () => sampleUniformInternal(rng, il));
  assert.ok(is.every((x) => Number.isInteger(x) && x >= 1 && x <= 1000));
  assert.ok(Math.abs(is.filter((x) => x <= 31).length / N - Math.log(31.5 / 0.5) / Math.log(1000.5 / 0.5)) < 0.02);
  const c = new CategoricalDistribution(['a', 'b', 'c']);
  for (const p of freq(Array.from({ length: N }, () => sampleUniformInternal(rng, c))).values()) assert.ok(Math.abs(p - 1 / 3) < 0.02);
});

test('seeded samplers repeat; external values are returned', () => {
  const d = new CategoricalDistribution(['x', 'y', null]);
  const draw = (seed: number) => {
    const s = new RandomSampler({ seed });
    return Array.from({ length: 10 }, (_, number) => s.sampleIndependent({ studyName: 'st', directions: ['minimize'], trials: [] }, { number } as never, 'c', d));
  };
  assert.deepEqual(draw(3), draw(3));
  assert.notDeepEqual(draw(3), draw(4));
  assert.ok(draw(3).every((v) => v === 'x' || v === 'y' || v === null));
});
