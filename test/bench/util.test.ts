// The benchmark rule bench/run.ts enforces (bench/util.ts ruleProblem): a timed figure is the median of >= 5 runs
// after >= 1 warm-up, with min and max; quality figures, skipped figures and breakdown rows are exempt.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { measure, median, ruleProblem, spread } from '../../bench/util.ts';

test('ruleProblem accepts a median of 5 after a warm-up with min and max, and names what a figure lacks', () => {
  const ok = { name: 'x', runs: 5, warmup: 1, median_ms: 2, min_ms: 1, max_ms: 3 };
  assert.equal(ruleProblem(ok), null);
  assert.equal(ruleProblem({ name: 'x', runs: 7, warmup: 2, seconds: { median: 2, min: 1, max: 3 } }), null);
  assert.match(ruleProblem({ ...ok, runs: 3 })!, /runs = 3, expected >= 5/);
  assert.match(ruleProblem({ ...ok, runs: undefined })!, /runs = undefined/);
  assert.match(ruleProblem({ ...ok, warmup: 0 })!, /warmup = 0, expected >= 1/);
  assert.match(ruleProblem({ name: 'x', runs: 5, warmup: 1, median_ms: 2 })!, /no min and max/);
  assert.match(ruleProblem({ name: 'x', runs: 5, warmup: 1, median_ms: 2, min_ms: 1 })!, /no min and max/);
  for (const exempt of [{ quality: true }, { skipped: 'no server' }, { breakdown_of: 'x' }]) assert.equal(ruleProblem({ name: 'y', ...exempt }), null);
});

test('spread and measure report the median with the min and max of the timed runs only', async () => {
  assert.deepEqual(spread([5, 1, 4, 2, 3]), { median: 3, min: 1, max: 5 });
  assert.deepEqual(spread([4000, 1000, 2000, 3000], 1000, 1), { median: 2.5, min: 1, max: 4 });
  const calls: number[] = [];
  const t = await measure(() => { calls.push(calls.length); }, { warmup: 2, runs: 5 });
  assert.equal(calls.length, 7);
  assert.equal(t.runs, 5);
  assert.equal(t.warmup, 2);
  assert.ok(t.min_ms <= t.median_ms && t.median_ms <= t.max_ms);
  assert.equal(median([3, 1, 2]), 2);
});
