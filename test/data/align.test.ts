// alignCoins / regridTable / wide-column round trip: one hourly grid, NaN where a coin lacks the hour, bad times refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HOUR_MS, allocCandles, type CoinCandles } from '../../src/data/candles.ts';
import { alignCoins, regridTable, tableFromColumns, tableToColumns, selectRows, runsOf } from '../../src/data/align.ts';

const T0 = Date.UTC(2021, 0, 1);
function coin(name: string, hours: number[], base = 100): CoinCandles {
  const c = allocCandles(name, hours.length);
  hours.forEach((h, i) => {
    c.openTime[i] = T0 + h * HOUR_MS;
    c.open[i] = base + h; c.high[i] = base + h + 1; c.low[i] = base + h - 1; c.close[i] = base + h + 0.5; c.volume[i] = 10 + h;
  });
  return c;
}

test('alignCoins: grid from the earliest to the latest hour; each candle lands on its hour; NaN elsewhere', () => {
  const t = alignCoins([coin('AAA', [0, 1, 3]), coin('BBB', [2, 3, 4, 5], 50)]);
  assert.deepEqual(t.coins, ['AAA', 'BBB']);
  assert.deepEqual([...t.openTime], [0, 1, 2, 3, 4, 5].map((h) => T0 + h * HOUR_MS));
  assert.deepEqual([...t.close[0]!], [100.5, 101.5, NaN, 103.5, NaN, NaN]);
  assert.deepEqual([...t.volume[1]!], [NaN, NaN, 12, 13, 14, 15]);
});

test('alignCoins refuses unsorted, duplicate or off-the-hour times, naming the source and row', () => {
  const dup = coin('AAA', [0, 1, 1]);
  dup.source = 'AAAUSDT.csv';
  assert.throws(() => alignCoins([dup]), /AAAUSDT\.csv: row 2: .*duplicate/);
  assert.throws(() => alignCoins([coin('AAA', [0, 2, 1])]), /row 2: .*earlier/);
  const off = coin('AAA', [0, 1]);
  off.openTime[1] = T0 + 90 * 60_000;
  assert.throws(() => alignCoins([off]), /not on the hour/);
});

test('regridTable inserts NaN rows for skipped hours; a full grid is returned as is', () => {
  const full = alignCoins([coin('AAA', [0, 1, 2])]);
  assert.equal(regridTable(full), full);
  const skipped = selectRows(alignCoins([coin('AAA', [0, 1, 2, 3]), coin('BBB', [0, 1, 2, 3])]), new Uint8Array([1, 0, 0, 1]));
  assert.equal(skipped.openTime.length, 2);
  const g = regridTable(skipped);
  assert.equal(g.openTime.length, 4);
  assert.deepEqual([...g.open[1]!], [100, NaN, NaN, 103]);
});

test('wide columns round-trip; a missing coin column is named', () => {
  const t = alignCoins([coin('AAA', [0, 1]), coin('BBB', [1, 2])]);
  const cols = tableToColumns(t);
  assert.deepEqual(Object.keys(cols).slice(0, 6), ['open_time', 'AAA_open', 'AAA_high', 'AAA_low', 'AAA_close', 'AAA_volume']);
  const back = tableFromColumns(cols, ['BBB', 'AAA']);
  assert.deepEqual(back.coins, ['BBB', 'AAA']);
  assert.deepEqual([...back.close[1]!], [...t.close[0]!]);
  assert.throws(() => tableFromColumns(cols, ['CCC']), /no column "CCC_open"/);
});

test('runsOf finds runs of set flags', () => {
  assert.deepEqual(runsOf(new Uint8Array([1, 1, 0, 1, 0, 0, 1, 1, 1])), [[0, 2], [3, 1], [6, 3]]);
  assert.deepEqual(runsOf(new Uint8Array([0, 0])), []);
});
