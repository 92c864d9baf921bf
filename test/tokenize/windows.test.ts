// windowStarts / buildWindows: windows and targets stay inside one split and one segment; y is the hour after the
// window; x is (N, T, C, K) in coin order with k = 0 price, 1 volume; future holds hours 1..H (255 beyond the run).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HOUR_MS } from '../../src/data/candles.ts';
import { windowStarts, buildWindows, usableRuns, K, type TokenTable } from '../../src/tokenize/windows.ts';
import { INVALID_TOKEN } from '../../src/tokenize/bins.ts';
import { EMBARGO } from '../../src/data/split.ts';

const T0 = Date.UTC(2023, 0, 1);
// 30 rows: segment 0 = rows 0..11, segment 1 = rows 12..29 (an hour jump between 11 and 12); train rows 0..19,
// embargo 20..21, val 22..29. Row r, coin c: price = (r + 10c) % 3, volume = (r + c) % 3; segment starts invalid.
function table(): TokenTable {
  const n = 30;
  const openTime = Float64Array.from({ length: n }, (_, r) => T0 + (r + (r >= 12 ? 5 : 0)) * HOUR_MS);
  const segment = Int32Array.from({ length: n }, (_, r) => (r < 12 ? 0 : 1));
  const split = Uint8Array.from({ length: n }, (_, r) => (r < 20 ? 0 : r < 22 ? EMBARGO : 1));
  const price = [0, 1, 2].map((c) => Uint8Array.from({ length: n }, (_, r) => (r === 0 || r === 12 ? INVALID_TOKEN : (r + 10 * c) % 3)));
  const volume = [0, 1, 2].map((c) => Uint8Array.from({ length: n }, (_, r) => (r === 0 || r === 12 ? INVALID_TOKEN : (r + c) % 3)));
  return { openTime, split, segment, price, volume };
}

test('runs break at segment starts (invalid tokens), segment changes, split changes and embargo rows', () => {
  const tt = table();
  assert.deepEqual(usableRuns(tt, 0), [[1, 11], [13, 19]]);
  assert.deepEqual(usableRuns(tt, 1), [[22, 29]]);
});

test('no window or target crosses a split boundary or a gap; y is the target price token of the hour after', () => {
  const tt = table();
  const T = 4;
  for (const code of [0, 1]) {
    const { starts, runEnd } = windowStarts(tt, code, T, 1);
    const w = buildWindows(tt, starts, runEnd, T, 2, 3);
    for (let i = 0; i < w.N; i++) {
      const s = starts[i]!;
      for (let r = s; r <= s + T; r++) {
        assert.equal(tt.split[r], code);
        assert.equal(tt.segment[r], tt.segment[s]);
      }
      assert.equal(tt.openTime[s + T]! - tt.openTime[s]!, T * HOUR_MS, 'target is T hours after the window start');
      assert.equal(w.y[i], tt.price[2]![s + T]);
      assert.equal(w.t0[i], tt.openTime[s]);
    }
  }
  const tr = windowStarts(tt, 0, T, 1);
  assert.deepEqual([...tr.starts], [1, 2, 3, 4, 5, 6, 7, 13, 14, 15]);
  assert.deepEqual([...windowStarts(tt, 1, T, 1).starts], [22, 23, 24, 25]);
  assert.deepEqual([...windowStarts(tt, 0, T, 3).starts], [1, 4, 7, 13]);
});

test('x is (N, T, C, K) in coin order, k = 0 price, k = 1 volume; future = target tokens 1..H after, 255 past the run', () => {
  const tt = table();
  const T = 4, H = 3, C = 3;
  const { starts, runEnd } = windowStarts(tt, 0, T, 1);
  const w = buildWindows(tt, starts, runEnd, T, 1, H);
  assert.equal(w.x.length, w.N * T * C * K);
  for (let i = 0; i < w.N; i++) {
    for (let t = 0; t < T; t++) {
      for (let c = 0; c < C; c++) {
        const base = ((i * T + t) * C + c) * K;
        assert.equal(w.x[base], tt.price[c]![starts[i]! + t]);
        assert.equal(w.x[base + 1], tt.volume[c]![starts[i]! + t]);
      }
    }
  }
  // window starting at row 7 (run 1..11): target row 11, future rows 11, 12(beyond), 13(beyond)
  const i7 = [...starts].indexOf(7);
  assert.deepEqual([...w.future.slice(i7 * H, i7 * H + H)], [tt.price[1]![11], INVALID_TOKEN, INVALID_TOKEN]);
  const i5 = [...starts].indexOf(5);
  assert.deepEqual([...w.future.slice(i5 * H, i5 * H + H)], [9, 10, 11].map((r) => tt.price[1]![r]));
  for (let i = 0; i < w.N; i++) assert.equal(w.future[i * H], w.y[i]);
});
