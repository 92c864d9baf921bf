import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planFolds, meanOverFolds } from '../../src/evaluate/folds.ts';
import { UserError } from '../../src/util/errors.ts';

const H = 3_600_000;

test('test blocks tile the end of the data; training expands; nothing is closer than the embargo to a later part', () => {
  // 1000 hours with a 30-hour hole at row 700
  const t = Array.from({ length: 1000 }, (_, i) => (i < 700 ? i : i + 30) * H);
  const E = 20;
  const f = planFolds(t, { folds: 4, initialFraction: 0.4, valFraction: 0.2, embargoHours: E, minRows: 10 });
  assert.equal(f.length, 4);
  assert.equal(f[0].testStart, 400);
  assert.equal(f[3].testEnd, 999);
  for (let k = 0; k < 4; k++) {
    const x = f[k];
    if (k > 0) {
      assert.equal(x.testStart, f[k - 1].testEnd + 1, 'blocks are consecutive and disjoint');
      assert.ok(x.trainEnd > f[k - 1].trainEnd && x.valEnd > f[k - 1].valEnd, 'the window expands');
    }
    assert.ok(0 < x.trainEnd && x.trainEnd < x.valEnd && x.valEnd < x.testStart && x.testStart <= x.testEnd);
    assert.ok(t[x.testStart] - t[x.valEnd] > E * H, `fold ${k + 1}: validation ends more than the embargo before the test block`);
    assert.ok(t[x.valEnd + 1] - t[x.valEnd] <= H || t[x.testStart] - t[x.valEnd + 1] <= E * H, 'the rows dropped are only the embargo');
    assert.ok(Math.abs((x.valEnd - x.trainEnd) - 0.2 * (x.valEnd + 1)) <= 1);
  }
  // the hole before row 700 counts as hours: a fold whose test starts after it keeps more rows before it
  const g = planFolds(t, { folds: 1, initialFraction: 0.701, valFraction: 0.2, embargoHours: E, minRows: 10 });
  assert.equal(g[0].testStart, 701);
  assert.equal(g[0].valEnd, 699, 'the 30-hour hole already covers the embargo');
});

test('too many folds for the data is refused with the numbers', () => {
  const t = Array.from({ length: 200 }, (_, i) => i * H);
  assert.throws(() => planFolds(t, { folds: 10, initialFraction: 0.5, valFraction: 0.2, embargoHours: 24, minRows: 9 }),
    (e: Error) => e instanceof UserError && /10 folds .* blocks of 10 hours, fewer than the 33 needed/.test(e.message));
});

test('mean over folds with a Student-t interval; nulls skipped; one value has no interval', () => {
  const m = meanOverFolds([1, 2, 3, null], 0.95);
  assert.equal(m.mean, 2);
  // t(0.975, 2) = 4.302652729911275, sd = 1
  assert.ok(Math.abs(m.high! - (2 + 4.302652729911275 / Math.sqrt(3))) < 1e-9);
  assert.ok(Math.abs(m.low! - (2 - 4.302652729911275 / Math.sqrt(3))) < 1e-9);
  assert.deepEqual(m.values, [1, 2, 3, null]);
  const one = meanOverFolds([5], 0.95);
  assert.deepEqual([one.mean, one.low, one.high], [5, null, null]);
});
