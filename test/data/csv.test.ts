import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCsvFolder, parseCandleCsv, findCoinFile, parseIsoUtc, sliceCandles } from '../../src/data/csv.ts';
import { HOUR_MS } from '../../src/data/candles.ts';
import { UserError } from '../../src/util/errors.ts';
import { candleSubsetDir, needs, externalDir } from '../fixtures/data.ts';

const SUBSET = candleSubsetDir();
const COINS = ['BTC', 'ETH', 'BNB', 'XRP', 'SOL', 'DOGE', 'ADA', 'AVAX', 'DOT', 'LTC'];
// rows / first hour from the full data set's table (its SOURCE.md)
const TABLE: Record<string, [number, string]> = {
  BTC: [35032, '2020-01-01T00:00:00Z'], ETH: [35032, '2020-01-01T00:00:00Z'], BNB: [35032, '2020-01-01T00:00:00Z'],
  XRP: [35032, '2020-01-01T00:00:00Z'], SOL: [29686, '2020-08-11T06:00:00Z'], DOGE: [35032, '2020-01-01T00:00:00Z'],
  ADA: [35032, '2020-01-01T00:00:00Z'], AVAX: [28678, '2020-09-22T06:00:00Z'], DOT: [29501, '2020-08-18T23:00:00Z'],
  LTC: [35032, '2020-01-01T00:00:00Z'],
};
const LAST = Date.parse('2023-12-31T23:00:00Z');

function tmp(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'tokcast-csv-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}
function rejects(text: string, re: RegExp, name = 'BTCUSDT-1h.csv') {
  const dir = tmp({ [name]: text });
  assert.throws(() => loadCsvFolder({ dir, coins: ['BTC'], quote: 'USDT' }), (e: unknown) => {
    assert.ok(e instanceof UserError, `expected a UserError, got ${e}`);
    assert.match(e.message, new RegExp(name.replace('.', '\\.')), 'names the file');
    assert.match(e.message, re);
    return true;
  });
}

test('the full real folder loads as is: row counts, first/last hours, 32 missing hours, first BTC candle', { skip: needs('TOKCAST_REAL_DATA_DIR') }, () => {
  const REAL = externalDir('TOKCAST_REAL_DATA_DIR');
  const cs = loadCsvFolder({ dir: REAL, coins: COINS, quote: 'USDT' });
  assert.deepEqual(cs.map((c) => c.coin), COINS);
  for (const c of cs) {
    const [rows, first] = TABLE[c.coin];
    assert.equal(c.openTime.length, rows, `${c.coin} rows`);
    assert.equal(c.openTime[0], Date.parse(first), `${c.coin} first`);
    assert.equal(c.openTime[rows - 1], LAST, `${c.coin} last`);
    const spanHours = (c.openTime[rows - 1] - c.openTime[0]) / HOUR_MS + 1;
    assert.equal(spanHours - rows, ['SOL', 'AVAX', 'DOT'].includes(c.coin) ? 20 : 32, `${c.coin} missing hours`);
  }
  const btc = cs[0];
  assert.deepEqual([btc.open[0], btc.high[0], btc.low[0], btc.close[0], btc.volume[0]], [7195.24, 7196.25, 7175.46, 7177.02, 511.814901]);
  // numbers are parsed exactly like Number(): compare a whole file against a naive parse
  const lines = readFileSync(join(REAL, 'DOGEUSDT-1h.csv'), 'utf8').trim().split('\n').slice(1);
  const doge = cs[5];
  for (let i = 0; i < lines.length; i += 7) {
    const f = lines[i].split(',');
    assert.equal(doge.openTime[i], Date.parse(f[0]));
    assert.deepEqual([doge.open[i], doge.high[i], doge.low[i], doge.close[i], doge.volume[i]], f.slice(1).map(Number), `DOGE line ${i + 2}`);
  }
});

test('the real-candle subset loads as is: every row, first BTC candle, numbers parsed like Number()', () => {
  const coins = ['BTC', 'ETH', 'XRP', 'SOL', 'DOT'];
  const cs = loadCsvFolder({ dir: SUBSET, coins, quote: 'USDT' });
  assert.deepEqual(cs.map((c) => c.coin), coins);
  for (const c of cs) {
    const lines = readFileSync(join(SUBSET, `${c.coin}USDT-1h.csv`), 'utf8').trim().split('\n').slice(1);
    assert.equal(c.openTime.length, lines.length, `${c.coin} rows`);
    for (let i = 0; i < lines.length; i += 5) {
      const f = lines[i].split(',');
      assert.equal(c.openTime[i], Date.parse(f[0]), `${c.coin} line ${i + 2}`);
      assert.deepEqual([c.open[i], c.high[i], c.low[i], c.close[i], c.volume[i]], f.slice(1).map(Number), `${c.coin} line ${i + 2}`);
    }
  }
  assert.equal(cs[0].openTime[0], Date.parse('2020-01-01T00:00:00Z'));
  assert.deepEqual([cs[0].open[0], cs[0].high[0], cs[0].low[0], cs[0].close[0], cs[0].volume[0]], [7195.24, 7196.25, 7175.46, 7177.02, 511.814901]);
  assert.equal(cs[3].openTime[0], Date.parse(TABLE.SOL[1]));
  assert.equal(cs[4].openTime[0], Date.parse(TABLE.DOT[1]));
  assert.equal(cs[0].openTime[cs[0].openTime.length - 1], LAST);
});

test('the range cut keeps hours inside [start, end]', () => {
  const [sol] = loadCsvFolder({ dir: SUBSET, coins: ['SOL'], quote: 'USDT', startMs: Date.parse('2020-01-01T00:00Z'), endMs: Date.parse('2020-08-12T00:00Z') });
  assert.equal(sol.openTime.length, 19);
  assert.deepEqual([sol.open[0], sol.high[0]], [2.85, 3.47]); // SOURCE.md: SOL 2020-08-11T06 2.85 -> 3.47
  const s = sliceCandles(sol, Date.parse('2020-08-11T08:00Z'), Date.parse('2020-08-11T09:00Z'));
  assert.equal(s.openTime.length, 2);
});

test('file names are found case-insensitively in several spellings; a missing one lists the names tried', () => {
  const row = 'open_time,open,high,low,close,volume\n2020-01-01T00:00:00Z,1,2,0.5,1.5,10\n';
  for (const name of ['btcusdt-1h.CSV', 'BTCUSDT.csv', 'btc.csv', 'BTC_USDT-1h.csv']) {
    const dir = tmp({ [name]: row });
    assert.equal(findCoinFile(dir, 'BTC', 'USDT'), join(dir, name));
  }
  const dir = tmp({ 'ETH.csv': row });
  assert.throws(() => findCoinFile(dir, 'BTC', 'USDT'), /no CSV file for coin BTC \(tried BTCUSDT-1h\.csv, BTCUSDT\.csv, BTC\.csv, BTC_USDT-1h\.csv/);
  assert.throws(() => findCoinFile(join(dir, 'nope'), 'BTC', 'USDT'), /folder not found/);
});

const T0 = Date.parse('2021-03-01T00:00:00Z');
function kline(t: number, unit: 'ms' | 'us', i: number): string {
  const ts = unit === 'ms' ? t : t * 1000;
  const close = unit === 'ms' ? t + HOUR_MS - 1 : (t + HOUR_MS) * 1000 - 1;
  return `${ts},${100 + i}.5,${102 + i}.25,${99 + i}.0,${101 + i}.0,${12.5 + i},${close},1000.0,50,6.0,600.0,0`;
}

test('Binance kline CSVs: with or without header, ms or us epochs detected per file', () => {
  const header = 'open_time,open,high,low,close,volume,close_time,quote_volume,count,taker_buy_volume,taker_buy_quote_volume,ignore\n';
  const body = (u: 'ms' | 'us') => [0, 1, 3].map((h, i) => kline(T0 + h * HOUR_MS, u, i)).join('\n') + '\n';
  const dir = tmp({ 'BTCUSDT-1h.csv': body('ms'), 'ETHUSDT-1h.csv': header + body('us'), 'XRPUSDT.csv': body('us').replace(/\n/g, '\r\n') });
  const cs = loadCsvFolder({ dir, coins: ['BTC', 'ETH', 'XRP'], quote: 'USDT' });
  for (const c of cs) {
    assert.deepEqual([...c.openTime], [T0, T0 + HOUR_MS, T0 + 3 * HOUR_MS], c.coin);
    assert.deepEqual([...c.open], [100.5, 101.5, 102.5]);
    assert.deepEqual([...c.volume], [12.5, 13.5, 14.5]); // field 5 (base volume), not the quote volume
  }
});

test('plain layout with ISO (Z, offset, space, no zone) or epoch s/ms/us open times, any column order', () => {
  const want = [T0, T0 + HOUR_MS];
  const variants = [
    'open_time,open,high,low,close,volume\n2021-03-01T00:00:00Z,1,2,0.5,1.5,10\n2021-03-01T01:00:00Z,1.5,2,1,1.8,11\n',
    'open_time,open,high,low,close,volume\n2021-03-01 02:00:00+02:00,1,2,0.5,1.5,10\n2021-03-01T01:00,1.5,2,1,1.8,11\n',
    `timestamp,open,high,low,close,volume\n${T0 / 1000},1,2,0.5,1.5,10\n${T0 / 1000 + 3600},1.5,2,1,1.8,11\n`,
    `${T0},1,2,0.5,1.5,10\n${T0 + HOUR_MS},1.5,2,1,1.8,11\n`,
    `Volume,Close,Low,High,Open,Date\n10,1.5,0.5,2,1,${T0 * 1000}\n11,1.8,1,2,1.5,${(T0 + HOUR_MS) * 1000}\n`,
  ];
  for (const v of variants) {
    const c = parseCandleCsv(v, 'BTC', 'x.csv');
    assert.deepEqual([...c.openTime], want, v);
    assert.deepEqual([...c.close], [1.5, 1.8], v);
    assert.deepEqual([...c.open], [1, 1.5], v);
  }
  assert.equal(parseIsoUtc('2021-03-01T00:00:00.500Z'), T0 + 500);
  assert.ok(Number.isNaN(parseIsoUtc('yesterday')));
});

test('bad input: missing, empty, header only', () => {
  rejects('', /empty file/);
  rejects('\n\n', /empty file/);
  rejects('open_time,open,high,low,close,volume\n', /no data rows/);
});

test('bad input: a missing column, a short row, a wrong headerless width', () => {
  rejects('open_time,open,high,low,volume\n2021-03-01T00:00:00Z,1,2,0.5,10\n', /line 1: missing column "close"/);
  rejects('date_of_it,open,high,low,close,volume\n', /line 1: missing column "open_time"/);
  rejects('open_time,open,high,low,close,volume\n2021-03-01T00:00:00Z,1,2,0.5,1.5,10\n2021-03-01T01:00:00Z,1,2\n', /line 3: expected at least 6 fields, found 3/);
  rejects(`${T0},1,2,0.5,1.5,10,7,8\n`, /line 1: expected 6 columns .* or 12 .*found 8/);
});

test('bad input: unparsable numbers and times name the line and column', () => {
  const h = 'open_time,open,high,low,close,volume\n2021-03-01T00:00:00Z,1,2,0.5,1.5,10\n';
  rejects(h + '2021-03-01T01:00:00Z,1,2,abc,1.5,10\n', /line 3: column low: "abc" is not a number/);
  rejects(h + '2021-03-01T01:00:00Z,1,2,0.5,,10\n', /line 3: column close: "" is not a number/);
  rejects(h + '\n2021-03-01T01:00:00Z,1,2,0.5,1.5,NaN\n', /line 4: column volume: "NaN" is not a number/);
  rejects(h + 'tomorrow,1,2,0.5,1.5,10\n', /line 3: column open_time: "tomorrow" is not a time/);
  rejects(h + `${T0 + HOUR_MS},1,2,0.5,1.5,10\n`, /line 3: .*looks like epoch ms but line 2 used ISO-8601/);
  rejects(`${T0},1,2,0.5,1.5,10\n${(T0 + HOUR_MS) * 1000},1,2,0.5,1.5,10\n`, /line 2: .*looks like epoch us but line 1 used epoch ms/);
});

test('bad input: duplicated and unsorted timestamps name both rows', () => {
  const h = 'open_time,open,high,low,close,volume\n2021-03-01T00:00:00Z,1,2,0.5,1.5,10\n2021-03-01T01:00:00Z,1,2,0.5,1.5,10\n';
  rejects(h + '2021-03-01T01:00:00Z,1,2,0.5,1.5,10\n', /line 4: duplicated open time 2021-03-01T01:00:00Z \(also on line 3/);
  rejects(h + '2021-03-01T00:00:00Z,1,2,0.5,1.5,10\n', /line 4: open time 2021-03-01T00:00:00Z is earlier than line 3 \(2021-03-01T01:00:00Z\)/);
});

test('bad input: mixed intervals (off the hour, or not 1h spacing)', () => {
  const h = 'open_time,open,high,low,close,volume\n2021-03-01T00:00:00Z,1,2,0.5,1.5,10\n';
  rejects(h + '2021-03-01T00:15:00Z,1,2,0.5,1.5,10\n', /line 3: open time 2021-03-01T00:15:00Z .*is not on the hour/);
  const fourHourly = [0, 4, 8, 12, 16].map((k) => `${T0 + k * HOUR_MS},1,2,0.5,1.5,10`).join('\n');
  rejects(fourHourly, /only 0 of 4 steps between rows are 1h \(smallest step 4h\)/);
});
