// cleanMarket: every repair rule and its count by coin and kind; listing trim; gaps filled, dropped or marked; segments.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HOUR_MS, type MarketTable } from '../../src/data/candles.ts';
import { cleanMarket, REPAIR_KINDS, FLAG, type CleanOptions } from '../../src/data/clean.ts';

const T0 = Date.UTC(2022, 5, 1);
const OPTS: CleanOptions = { maxFfillHours: 2, longGap: 'drop', outlierLogReturn: 0.4, outlierRevertFraction: 0.8, minCoverage: 0.05 };

/** closes per coin (NaN = no candle); open = previous close, high/low 1% around, volume 5 */
function market(closes: Record<string, number[]>): MarketTable {
  const coins = Object.keys(closes);
  const n = closes[coins[0]!]!.length;
  const t: MarketTable = {
    coins, openTime: Float64Array.from({ length: n }, (_, i) => T0 + i * HOUR_MS),
    open: [], high: [], low: [], close: [], volume: [],
  };
  for (const coin of coins) {
    const c = Float64Array.from(closes[coin]!);
    const o = c.map((x, i) => (i > 0 && Number.isFinite(c[i - 1]!) ? c[i - 1]! : x));
    t.close.push(c); t.open.push(o);
    t.high.push(c.map((x, i) => Math.max(x, o[i]!) * 1.01));
    t.low.push(c.map((x, i) => Math.min(x, o[i]!) * 0.99));
    t.volume.push(c.map((x) => (Number.isNaN(x) ? NaN : 5)));
  }
  return t;
}
const flat = (n: number, v = 100) => new Array<number>(n).fill(v).map((x, i) => x + (i % 3));

test('a clean table passes unchanged: one segment, zero repairs of every kind for every coin', () => {
  const r = cleanMarket(market({ AAA: flat(10), BBB: flat(10, 50) }), OPTS);
  assert.equal(r.quality.rows_out, 10);
  assert.deepEqual([...r.segment], new Array(10).fill(0));
  for (const coin of ['AAA', 'BBB']) for (const k of REPAIR_KINDS) assert.equal(r.quality.repairs[coin]![k], 0, `${coin} ${k}`);
  assert.deepEqual([...r.table.close[0]!], flat(10));
});

test('high < low is swapped, then high/low are widened to cover open and close; each counted for its coin', () => {
  const m = market({ AAA: flat(6), BBB: flat(6, 50) });
  m.high[0]![2] = 90; m.low[0]![2] = 110;        // AAA: high < low (swap gives 90..110, covers 100..102)
  m.high[1]![3] = 50.5;                            // BBB: high below close (50 + 0 .. 52)
  m.low[1]![4] = 50.9;                             // BBB: low above open (50), below high
  const r = cleanMarket(m, OPTS);
  const a = r.quality.repairs.AAA!, b = r.quality.repairs.BBB!;
  assert.equal(a.high_below_low, 1);
  assert.equal(r.table.high[0]![2], 110);
  assert.equal(r.table.low[0]![2], 90);
  assert.equal(b.high_below_low, 0);
  assert.equal(b.high_widened, 1);
  assert.equal(r.table.high[1]![3], Math.max(m.open[1]![3]!, m.close[1]![3]!));
  assert.equal(b.low_widened, 1);
  assert.equal(r.table.low[1]![4], Math.min(m.open[1]![4]!, m.close[1]![4]!));
  assert.ok(r.flags[1]![3]! & FLAG.repaired);
  for (let i = 0; i < 6; i++) {
    for (let c = 0; c < 2; c++) {
      const t = r.table;
      assert.ok(t.high[c]![i]! >= Math.max(t.open[c]![i]!, t.close[c]![i]!) && t.low[c]![i]! <= Math.min(t.open[c]![i]!, t.close[c]![i]!));
    }
  }
});

test('negative volume -> 0, NaN volume -> 0, non-positive price -> missing hour (then filled); all counted', () => {
  const m = market({ AAA: flat(8), BBB: flat(8, 50) });
  m.volume[0]![2] = -3;
  m.volume[1]![5] = NaN;
  m.low[1]![3] = 0;      // BBB hour 3: non-positive price -> missing -> forward-filled (1 h gap)
  const r = cleanMarket(m, OPTS);
  assert.equal(r.quality.repairs.AAA!.negative_volume, 1);
  assert.equal(r.table.volume[0]![2], 0);
  assert.equal(r.quality.repairs.BBB!.missing_volume, 1);
  assert.equal(r.table.volume[1]![5], 0);
  assert.equal(r.quality.repairs.BBB!.invalid_price, 1);
  assert.equal(r.quality.repairs.BBB!.ffill_hours, 1);
  assert.equal(r.table.close[1]![3], m.close[1]![2]);
  assert.equal(r.table.low[1]![3], m.close[1]![2]);
  assert.equal(r.table.volume[1]![3], 0);
  assert.equal(r.quality.repairs.AAA!.invalid_price, 0);
});

test('short gaps are forward-filled (close carried, volume 0); long gaps are dropped and split segments', () => {
  const a = flat(20);
  for (const i of [4, 5]) a[i] = NaN;          // 2 h: filled
  for (const i of [10, 11, 12]) a[i] = NaN;    // 3 h > maxFfillHours 2: dropped
  const r = cleanMarket(market({ AAA: a, BBB: flat(20, 50) }), OPTS);
  const q = r.quality.repairs.AAA!;
  assert.deepEqual([q.ffill_gaps, q.ffill_hours, q.long_gaps, q.long_gap_hours], [1, 2, 1, 3]);
  assert.deepEqual([r.quality.repairs.BBB!.ffill_hours, r.quality.repairs.BBB!.long_gap_hours], [0, 0]);
  assert.equal(r.quality.rows_out, 17);
  assert.equal(r.quality.removed_hours, 3);
  assert.deepEqual([r.table.open[0]![4], r.table.high[0]![5], r.table.close[0]![5], r.table.volume[0]![4]], [a[3], a[3], a[3], 0]);
  assert.ok(r.flags[0]![4]! & FLAG.ffill);
  // hours 10..12 are gone for every coin; segment 0 = hours 0..9, segment 1 = hours 13..19
  assert.equal(r.table.openTime[10], T0 + 13 * HOUR_MS);
  assert.deepEqual([...r.segment], [...new Array(10).fill(0), ...new Array(7).fill(1)]);
  assert.deepEqual(r.quality.segments.map((s) => s.rows), [10, 7]);
  assert.deepEqual(r.quality.gaps.map((g) => [g.hours, g.action, g.coins.join()]), [[2, 'ffill', 'AAA'], [3, 'drop', 'AAA']]);
});

test("long_gap 'mark' keeps the hours with NaN, valid = 0 and segment -1", () => {
  const a = flat(12);
  for (const i of [5, 6, 7]) a[i] = NaN;
  const r = cleanMarket(market({ AAA: a, BBB: flat(12, 50) }), { ...OPTS, longGap: 'mark' });
  assert.equal(r.quality.rows_out, 12);
  assert.equal(r.quality.marked_hours, 3);
  assert.deepEqual([...r.valid], [1, 1, 1, 1, 1, 0, 0, 0, 1, 1, 1, 1]);
  assert.deepEqual([...r.segment], [0, 0, 0, 0, 0, -1, -1, -1, 1, 1, 1, 1]);
  assert.ok(Number.isNaN(r.table.close[0]![6]!));
  assert.equal(r.table.close[1]![6], flat(12, 50)[6]);
  assert.ok(r.flags[0]![6]! & FLAG.missing);
});

test('listing: rows before the last coin lists are trimmed; coverage below the minimum is an error naming the coin', () => {
  const late = flat(30, 50).map((x, i) => (i < 8 ? NaN : x));
  const r = cleanMarket(market({ AAA: flat(30), BBB: late }), OPTS);
  assert.equal(r.quality.trimmed_start_hours, 8);
  assert.equal(r.quality.rows_out, 22);
  assert.equal(r.table.openTime[0], T0 + 8 * HOUR_MS);
  assert.equal(r.quality.coins.BBB!.first_hour, new Date(T0 + 8 * HOUR_MS).toISOString());
  assert.equal(r.quality.repairs.BBB!.long_gap_hours, 0, 'hours before listing are not gaps');
  const tiny = flat(30, 50).map((x, i) => (i < 29 ? NaN : x));
  assert.throws(() => cleanMarket(market({ AAA: flat(30), BBB: tiny }), { ...OPTS, minCoverage: 0.1 }), /coin BBB .*coverage/);
  const early = flat(30, 50).map((x, i) => (i < 10 ? x : NaN));
  const later = flat(30).map((x, i) => (i >= 20 ? x : NaN));
  assert.throws(() => cleanMarket(market({ AAA: later, BBB: early }), OPTS), /AAA starts .* after BBB ends/);
});

test('a one-hour spike that reverts is repaired to the geometric mean of its neighbours; a real move is kept', () => {
  const a = flat(12);
  a[5] = a[4]! * 2;                       // +69% then back: spike
  const b = flat(12, 50);
  for (let i = 6; i < 12; i++) b[i] = b[i]! * 1.8; // +59% and stays: real move
  const r = cleanMarket(market({ AAA: a, BBB: b }), OPTS);
  assert.equal(r.quality.repairs.AAA!.outlier_spike, 1);
  assert.ok(Math.abs(r.table.close[0]![5]! - Math.sqrt(a[4]! * a[6]!)) < 1e-9);
  assert.ok(r.table.high[0]![5]! >= r.table.close[0]![5]!);
  assert.ok(r.flags[0]![5]! & FLAG.outlier);
  assert.equal(r.quality.repairs.BBB!.outlier_spike, 0);
  assert.equal(r.table.close[1]![6], b[6]);
  // a spike that only half reverts (below outlierRevertFraction) is kept
  const c = flat(12);
  c[5] = c[4]! * 2; for (let i = 6; i < 12; i++) c[i] = c[4]! * 1.5;
  assert.equal(cleanMarket(market({ AAA: c, BBB: flat(12, 50) }), OPTS).quality.repairs.AAA!.outlier_spike, 0);
});

test('zero-volume placeholder candles (O=H=L=C, volume 0) are counted per coin and kept', () => {
  const m = market({ AAA: flat(6), BBB: flat(6, 50) });
  for (const c of [0, 1]) { const x = m.close[c]![2]!; m.open[c]![2] = m.high[c]![2] = m.low[c]![2] = x; m.volume[c]![2] = 0; }
  m.close[0]![3] = NaN; m.open[0]![3] = NaN; m.high[0]![3] = NaN; m.low[0]![3] = NaN; m.volume[0]![3] = NaN;
  const r = cleanMarket(m, OPTS);
  assert.equal(r.quality.repairs.AAA!.zero_volume_placeholder, 1);
  assert.equal(r.quality.repairs.BBB!.zero_volume_placeholder, 1);
  assert.equal(r.quality.repair_totals.zero_volume_placeholder, 2);
  assert.ok(r.flags[0]![2]! & FLAG.placeholder);
  assert.equal(r.table.volume[0]![2], 0);
});

test('rows missing from the input grid (all coins absent) are treated as gaps', () => {
  const m = market({ AAA: flat(10), BBB: flat(10, 50) });
  const keep = [0, 1, 2, 3, 6, 7, 8, 9]; // hours 4, 5 absent rows
  const pick = (x: Float64Array) => Float64Array.from(keep, (i) => x[i]!);
  const sparse: MarketTable = { coins: m.coins, openTime: pick(m.openTime), open: m.open.map(pick), high: m.high.map(pick), low: m.low.map(pick), close: m.close.map(pick), volume: m.volume.map(pick) };
  const r = cleanMarket(sparse, OPTS);
  assert.equal(r.quality.rows_out, 10);
  assert.equal(r.quality.repairs.AAA!.ffill_hours, 2);
  assert.equal(r.quality.repairs.BBB!.ffill_hours, 2);
  assert.deepEqual(r.quality.gaps.map((g) => [g.hours, g.coins.join()]), [[2, 'AAA,BBB']]);
});
