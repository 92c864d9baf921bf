#!/usr/bin/env node
// Regenerates test/fixtures/candles/ (a small subset of the real hourly candles, gzipped CSV) from the full data set:
//   TOKCAST_REAL_DATA_DIR=/path/to/ohlcv-1h node scripts/make-candle-subset.mjs
// Rows are copied verbatim (header + every row whose open_time lies in one of WINDOWS); output is deterministic.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

export const COINS = ['BTC', 'ETH', 'XRP', 'SOL', 'DOT'];
/** Inclusive [first, last] open hours (UTC) kept for every coin: the ranges the tests read. */
export const WINDOWS = [
  ['2020-01-01T00:00:00Z', '2020-04-30T23:00:00Z'],
  ['2020-08-01T00:00:00Z', '2020-11-30T23:00:00Z'],
  ['2021-01-01T00:00:00Z', '2021-06-30T23:00:00Z'],
  ['2022-03-01T00:00:00Z', '2022-03-10T23:00:00Z'],
  ['2023-05-25T00:00:00Z', '2023-06-07T23:00:00Z'],
  ['2023-12-25T00:00:00Z', '2023-12-31T23:00:00Z'],
];

const src = process.env.TOKCAST_REAL_DATA_DIR;
if (!src) { console.error('make-candle-subset: set TOKCAST_REAL_DATA_DIR to the folder of the full <COIN>USDT-1h.csv files'); process.exit(2); }
const out = join(import.meta.dirname, '..', 'test', 'fixtures', 'candles');
mkdirSync(out, { recursive: true });
const ranges = WINDOWS.map(([a, b]) => [Date.parse(a), Date.parse(b)]);
for (const coin of COINS) {
  const lines = readFileSync(join(src, `${coin}USDT-1h.csv`), 'utf8').split('\n');
  const kept = [lines[0]];
  for (const line of lines.slice(1)) {
    if (!line) continue;
    const t = Date.parse(line.slice(0, line.indexOf(',')));
    if (ranges.some(([a, b]) => t >= a && t <= b)) kept.push(line);
  }
  const gz = gzipSync(kept.join('\n') + '\n', { level: 9 });
  gz[9] = 3; // OS byte: fixed, so the output does not depend on the platform
  writeFileSync(join(out, `${coin}USDT-1h.csv.gz`), gz);
  console.log(`${coin}USDT-1h.csv.gz: ${kept.length - 1} rows, ${gz.length} bytes`);
}
