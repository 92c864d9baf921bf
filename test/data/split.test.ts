// splitRows: temporal train/val/test by ratio or date, embargo after each boundary, never shuffled; bad configs named.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HOUR_MS } from '../../src/data/candles.ts';
import { splitRows, parseHourBound, SPLIT_CODE, EMBARGO, type SplitOptions } from '../../src/data/split.ts';

const T0 = Date.UTC(2022, 0, 1);
const hours = (n: number, skip: number[] = []) => {
  const out: number[] = [];
  for (let h = 0; out.length < n; h++) if (!skip.includes(h)) out.push(T0 + h * HOUR_MS);
  return Float64Array.from(out);
};
const RATIO: SplitOptions = { mode: 'ratio', trainRatio: 0.8, valRatio: 0.2, trainEnd: null, valEnd: null, embargoHours: 0 };

function assertOrdered(code: Uint8Array): void {
  // codes never go back: train* embargo? val* embargo? test*
  let last = -1;
  for (const c of code) {
    if (c === EMBARGO) continue;
    assert.ok(c >= last, `split codes go back from ${last} to ${c}`);
    last = c;
  }
}

test('ratio: first 80% train, last 20% val, in time order; no test when the ratios sum to 1', () => {
  const r = splitRows(hours(100), RATIO);
  assert.deepEqual([...r.split], [...new Array(80).fill(SPLIT_CODE.train), ...new Array(20).fill(SPLIT_CODE.val)]);
  assert.deepEqual(r.ranges.map((x) => [x.name, x.start_row, x.end_row, x.rows]), [['train', 0, 80, 80], ['val', 80, 100, 20]]);
  assert.equal(r.ranges[1]!.start, new Date(T0 + 80 * HOUR_MS).toISOString());
});

test('ratio with a test split: train/val/test = 0.6/0.25/rest, boundaries in rows and hours', () => {
  const r = splitRows(hours(40), { ...RATIO, trainRatio: 0.6, valRatio: 0.25 });
  assert.deepEqual(r.ranges.map((x) => [x.name, x.start_row, x.end_row]), [['train', 0, 24], ['val', 24, 34], ['test', 34, 40]]);
  assertOrdered(r.split);
  assert.throws(() => splitRows(hours(40), { ...RATIO, trainRatio: 0.9, valRatio: 0.2 }), /> 1/);
});

test('embargo: the hours right after each boundary belong to no split, measured in hours across dropped gaps', () => {
  const r = splitRows(hours(40), { ...RATIO, trainRatio: 0.5, valRatio: 0.25, embargoHours: 3 });
  assert.equal(r.embargoRows, 6);
  assert.deepEqual([...r.split.slice(18, 26)], [0, 0, EMBARGO, EMBARGO, EMBARGO, 1, 1, 1]);
  assert.deepEqual([...r.split.slice(28, 35)], [1, 1, EMBARGO, EMBARGO, EMBARGO, 2, 2]);
  assert.deepEqual(r.ranges.map((x) => [x.name, x.start_row, x.end_row]), [['train', 0, 20], ['val', 23, 30], ['test', 33, 40]]);
  // a 2-hour dropped gap right after the boundary already covers 2 of the 3 embargo hours
  const g = splitRows(hours(40, [20, 21]), { ...RATIO, trainRatio: 0.5, valRatio: 0.5, embargoHours: 3 });
  assert.equal(g.embargoRows, 1);
});

test('date mode: train through train_end (a date = its last hour), val through val_end, test after', () => {
  const t = hours(24 * 5);
  const r = splitRows(t, { ...RATIO, mode: 'date', trainEnd: '2022-01-02', valEnd: '2022-01-03T12:00Z' });
  const tr = r.ranges.find((x) => x.name === 'train')!, va = r.ranges.find((x) => x.name === 'val')!, te = r.ranges.find((x) => x.name === 'test')!;
  assert.equal(tr.end, '2022-01-02T23:00:00.000Z');
  assert.equal(va.start, '2022-01-03T00:00:00.000Z');
  assert.equal(va.end, '2022-01-03T12:00:00.000Z');
  assert.equal(te.start, '2022-01-03T13:00:00.000Z');
  assert.equal(tr.rows + va.rows + te.rows, t.length);
  const noTest = splitRows(t, { ...RATIO, mode: 'date', trainEnd: '2022-01-03' });
  assert.deepEqual(noTest.ranges.map((x) => x.name), ['train', 'val']);
});

test('errors name the config key: missing train_end, val_end before train_end, empty split', () => {
  assert.throws(() => splitRows(hours(10), { ...RATIO, mode: 'date' }), /split\.train_end/);
  assert.throws(() => splitRows(hours(48), { ...RATIO, mode: 'date', trainEnd: '2022-01-02', valEnd: '2022-01-01' }), /split\.val_end/);
  assert.throws(() => splitRows(hours(48), { ...RATIO, mode: 'date', trainEnd: '2023-01-01' }), /val split is empty/);
  assert.throws(() => parseHourBound('2022-13-45x', 'split.train_end'), /split\.train_end/);
});
