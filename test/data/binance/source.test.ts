import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BinanceClient } from '../../../src/data/binance/rest.ts';
import { loadBinance } from '../../../src/data/binance/source.ts';
import { loadCsvFolder } from '../../../src/data/csv.ts';
import { startBinanceFixture, fakeClock, CANDLES, type BinanceFixture } from '../../fixtures/binance-server.ts';

const H = 3_600_000;
let fx: BinanceFixture;
before(async () => { fx = await startBinanceFixture(); });
after(async () => { await fx.close(); });
const client = (maxRetries = 3) => new BinanceClient({ baseUrl: fx.baseUrl, maxRetries, timeoutMs: 2000, clock: fakeClock(), random: () => 0.5 });

test('resumable: a rerun with a later end asks only for the new hours', async () => {
  fx.requests.length = 0;
  const cacheDir = mkdtempSync(join(tmpdir(), 'tokcast-bn-'));
  const start = Date.parse('2020-08-01T00:00Z');
  const end1 = Date.parse('2020-08-20T23:00Z');
  const end2 = Date.parse('2020-11-30T23:00Z');
  const a = await loadBinance({ coins: ['BTC', 'SOL'], quote: 'USDT', startMs: start, endMs: end1, cacheDir, client: client() });
  assert.deepEqual(fx.requests.map((r) => [r.symbol, r.startTime]), [['BTCUSDT', start], ['SOLUSDT', start]]);
  assert.equal(a[0].openTime.length, 20 * 24);
  assert.equal(a[1].openTime[0], Date.parse('2020-08-11T06:00Z')); // SOL's listing hour
  fx.requests.length = 0;
  const b = await loadBinance({ coins: ['BTC', 'SOL'], quote: 'USDT', startMs: start, endMs: end2, cacheDir, client: client() });
  // BTC: 2448 new hours -> 3 pages from 2020-08-21; SOL the same
  const firstNew = end1 + H;
  assert.deepEqual(fx.requests.map((r) => [r.symbol, r.startTime]), [
    ['BTCUSDT', firstNew], ['BTCUSDT', firstNew + 1000 * H], ['BTCUSDT', firstNew + 2000 * H],
    ['SOLUSDT', firstNew], ['SOLUSDT', firstNew + 1000 * H], ['SOLUSDT', firstNew + 2000 * H],
  ]);
  const csv = loadCsvFolder({ dir: CANDLES, coins: ['BTC', 'SOL'], quote: 'USDT', startMs: start, endMs: end2 });
  for (let i = 0; i < 2; i++) {
    assert.deepEqual(b[i].openTime, csv[i].openTime);
    assert.deepEqual(b[i].close, csv[i].close);
    assert.deepEqual(b[i].volume, csv[i].volume);
  }
  fx.requests.length = 0;
  await loadBinance({ coins: ['BTC', 'SOL'], quote: 'USDT', startMs: start, endMs: end2, cacheDir, client: client() });
  assert.equal(fx.requests.length, 0, 'a third run with the same range makes no request');
});

test('an interrupted download resumes from the last page written', async () => {
  fx.requests.length = 0;
  const cacheDir = mkdtempSync(join(tmpdir(), 'tokcast-bn-'));
  const start = Date.parse('2021-01-01T00:00Z'), end = Date.parse('2021-06-30T23:00Z'); // 4344 h: 5 pages
  // page 1 succeeds, then the server fails three times in a row with max_retries 2
  let calls = 0;
  const failing: typeof fetch = async (input, init) => {
    calls++;
    if (calls >= 2 && calls <= 4) throw new TypeError('fetch failed');
    return fetch(input, init);
  };
  const c1 = new BinanceClient({ baseUrl: fx.baseUrl, maxRetries: 2, clock: fakeClock(), random: () => 0.5, fetch: failing });
  await assert.rejects(loadBinance({ coins: ['ETH'], quote: 'USDT', startMs: start, endMs: end, cacheDir, client: c1 }), /gave up after 3 attempts \(last: fetch failed\)/);
  assert.equal(fx.requests.length, 1);
  fx.requests.length = 0;
  const [eth] = await loadBinance({ coins: ['ETH'], quote: 'USDT', startMs: start, endMs: end, cacheDir, client: client() });
  // each page starts the hour after the previous page's 1000th candle (gaps shift the boundaries)
  const [csv] = loadCsvFolder({ dir: CANDLES, coins: ['ETH'], quote: 'USDT', startMs: start, endMs: end });
  assert.deepEqual(fx.requests.map((r) => r.startTime), [1, 2, 3, 4].map((p) => csv.openTime[1000 * p - 1] + H));
  assert.deepEqual(eth.openTime, csv.openTime);
  assert.equal(eth.openTime.length, 4344 - 1 - 1 - 2 - 3); // SOURCE.md gaps: 02-11 04h, 03-06 02h, 04-20 02-03h, 04-25 05-07h
});

test('only closed candles are fetched: the open hour is left for the next run; progress ticks add up to the hours', async () => {
  fx.requests.length = 0;
  const cacheDir = mkdtempSync(join(tmpdir(), 'tokcast-bn-'));
  const start = Date.parse('2022-03-01T00:00Z'), end = Date.parse('2022-03-10T23:00Z');
  const ticks: number[] = [];
  const reporter = { log: () => {}, progress: (_l: string, total: number) => { ticks.push(-total); return { tick: (n = 1) => { ticks.push(n); }, done: () => {} }; } };
  // "now" is 2022-03-05T10:20: the 10:00 candle is still open, 09:00 is the last closed one
  const c1 = new BinanceClient({ baseUrl: fx.baseUrl, clock: fakeClock(Date.parse('2022-03-05T10:20Z')) });
  const [a] = await loadBinance({ coins: ['XRP'], quote: 'USDT', startMs: start, endMs: end, cacheDir, client: c1, reporter });
  assert.equal(a.openTime[a.openTime.length - 1], Date.parse('2022-03-05T09:00Z'));
  assert.deepEqual(ticks, [-(4 * 24 + 10), 4 * 24 + 10]);
  const c2 = new BinanceClient({ baseUrl: fx.baseUrl, clock: fakeClock(Date.parse('2022-04-01T00:00Z')) });
  const [b] = await loadBinance({ coins: ['XRP'], quote: 'USDT', startMs: start, endMs: end, cacheDir, client: c2 });
  assert.equal(b.openTime.length, 240);
  assert.deepEqual(fx.requests.map((r) => r.startTime), [start, Date.parse('2022-03-05T10:00Z')]);
});
