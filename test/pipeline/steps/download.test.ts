import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateConfig } from '../../../src/config/load.ts';
import { makeContext } from '../../../src/pipeline/context.ts';
import { readArtifact, stepDir } from '../../../src/pipeline/artifact.ts';
import { runDownload, downloadStatsSchema, DOWNLOAD_FILE } from '../../../src/pipeline/steps/download.ts';
import { readParquet, parquetColumns } from '../../../src/data/parquet.ts';
import { UserError } from '../../../src/util/errors.ts';
import { startBinanceFixture, fakeClock, CANDLES, type BinanceFixture } from '../../fixtures/binance-server.ts';
import { needs, externalDir } from '../../fixtures/data.ts';

const COINS = ['BTC', 'ETH', 'BNB', 'XRP', 'SOL', 'DOGE', 'ADA', 'AVAX', 'DOT', 'LTC'];
// the full data set's table (its SOURCE.md): rows, first hour, missing hours
const TABLE: Record<string, [number, string, number]> = {
  BTC: [35032, '2020-01-01T00:00:00Z', 32], ETH: [35032, '2020-01-01T00:00:00Z', 32], BNB: [35032, '2020-01-01T00:00:00Z', 32],
  XRP: [35032, '2020-01-01T00:00:00Z', 32], SOL: [29686, '2020-08-11T06:00:00Z', 20], DOGE: [35032, '2020-01-01T00:00:00Z', 32],
  ADA: [35032, '2020-01-01T00:00:00Z', 32], AVAX: [28678, '2020-09-22T06:00:00Z', 20], DOT: [29501, '2020-08-18T23:00:00Z', 20],
  LTC: [35032, '2020-01-01T00:00:00Z', 32],
};
const GRID = 4 * 365 * 24 + 24; // 2020 is a leap year

const ctxFor = (data: Record<string, unknown>, artifactsDir = mkdtempSync(join(tmpdir(), 'tokcast-dl-'))) =>
  makeContext(validateConfig({ data: { ...data } }), undefined, artifactsDir);

let fx: BinanceFixture;
before(async () => { fx = await startBinanceFixture(); });
after(async () => { await fx.close(); });

test('csv source, the full real folder: coverage as its SOURCE.md states, a wide Parquet table, plots', { skip: needs('TOKCAST_REAL_DATA_DIR') }, async () => {
  const REAL = externalDir('TOKCAST_REAL_DATA_DIR');
  const ctx = ctxFor({ source: 'csv', data_dir: REAL, start: '2020-01-01', end: '2023-12-31' });
  const art = await runDownload(ctx);
  const s = readArtifact(ctx.artifactsDir, 'download', downloadStatsSchema).stats;
  assert.deepEqual(s, art.stats);
  assert.equal(s.grid_hours, GRID);
  assert.equal(s.grid_first_hour, '2020-01-01T00:00:00Z');
  assert.equal(s.grid_last_hour, '2023-12-31T23:00:00Z');
  assert.equal(s.common_first_hour, '2020-09-22T06:00:00Z'); // AVAX lists last
  for (const p of s.per_coin) {
    const [rows, first, missing] = TABLE[p.coin];
    assert.equal(p.rows, rows, p.coin);
    assert.equal(p.first_hour, first, p.coin);
    assert.equal(p.last_hour, '2023-12-31T23:00:00Z');
    assert.equal(p.missing_hours, missing, p.coin);
    assert.equal(p.gaps, missing === 32 ? 15 : 10, p.coin);
    assert.equal(p.longest_gap_hours, missing === 32 ? 5 : 4, p.coin); // 2020-02-19 12-16h; 2020-12-21 14-17h after the later listings
    assert.equal(p.coverage, rows / GRID);
    assert.equal(p.zero_volume_rows, 2, p.coin); // the two exchange-halt placeholders
  }
  // hours with all 10 coins: AVAX's span minus the 20 common gap hours
  assert.equal(s.hours_all_coins, TABLE.AVAX[0]);

  const dir = stepDir(ctx.artifactsDir, 'download');
  const cols = await parquetColumns(join(dir, DOWNLOAD_FILE));
  assert.deepEqual(cols[0], { name: 'open_time', type: 'BIGINT' });
  assert.deepEqual(cols.slice(1, 6).map((c) => c.name), ['BTC_open', 'BTC_high', 'BTC_low', 'BTC_close', 'BTC_volume']);
  assert.equal(cols.length, 1 + 5 * 10);
  assert.ok(cols.slice(1).every((c) => c.type === 'DOUBLE'));
  const t = await readParquet(join(dir, DOWNLOAD_FILE), { columns: ['open_time', 'BTC_close', 'BTC_volume', 'SOL_open'] });
  const ot = t.open_time as BigInt64Array;
  assert.equal(ot.length, GRID);
  assert.equal(ot[0], BigInt(Date.parse('2020-01-01T00:00Z')));
  assert.equal((t.BTC_close as Float64Array)[0], 7177.02);
  assert.equal((t.BTC_volume as Float64Array)[0], 511.814901);
  const gapHour = (Date.parse('2020-02-09T02:00Z') - Date.parse('2020-01-01T00:00Z')) / 3_600_000;
  assert.ok(Number.isNaN((t.BTC_close as Float64Array)[gapHour]), 'a missing hour is NULL/NaN');
  const solStart = (Date.parse('2020-08-11T06:00Z') - Date.parse('2020-01-01T00:00Z')) / 3_600_000;
  assert.ok(Number.isNaN((t.SOL_open as Float64Array)[solStart - 1]));
  assert.equal((t.SOL_open as Float64Array)[solStart], 2.85);
  for (const f of ['prices.png', 'coverage.png']) assert.equal(readFileSync(join(dir, f)).subarray(1, 4).toString('ascii'), 'PNG');
  assert.deepEqual(art.files, ['download.parquet', 'prices.png', 'coverage.png']);
  assert.equal(art.config_hash, ctx.configHash);

  // a failing rerun leaves the earlier artifact and files untouched
  const before = [DOWNLOAD_FILE, 'download_artifact.json', 'prices.png'].map((f) => statSync(join(dir, f)).mtimeMs);
  const bad = ctxFor({ source: 'csv', data_dir: REAL, coins: ['BTC', 'FOO'], target_coin: 'BTC' }, ctx.artifactsDir);
  await assert.rejects(runDownload(bad), /no CSV file for coin FOO/);
  assert.deepEqual([DOWNLOAD_FILE, 'download_artifact.json', 'prices.png'].map((f) => statSync(join(dir, f)).mtimeMs), before);
  assert.equal(readArtifact(ctx.artifactsDir, 'download', downloadStatsSchema).stats.coins.length, 10);
});

test('a coin with no candles in the range, or no overlap with the others, is a UserError', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tokcast-dl-csv-'));
  const rows = (from: string, n: number) => 'open_time,open,high,low,close,volume\n' +
    Array.from({ length: n }, (_, i) => `${new Date(Date.parse(from) + i * 3_600_000).toISOString()},1,2,0.5,1.5,10`).join('\n');
  writeFileSync(join(dir, 'AAA.csv'), rows('2021-01-01T00:00Z', 48));
  writeFileSync(join(dir, 'BBB.csv'), rows('2021-01-05T00:00Z', 48));
  const noOverlap = ctxFor({ source: 'csv', data_dir: dir, coins: ['AAA', 'BBB'], target_coin: 'AAA', start: '2021-01-01', end: '2021-01-31' });
  await assert.rejects(runDownload(noOverlap), (e: unknown) => e instanceof UserError && /BBB starts at 2021-01-05T00:00:00Z, after AAA ends at 2021-01-02T23:00:00Z.*no overlap/.test(e.message));
  const outside = ctxFor({ source: 'csv', data_dir: dir, coins: ['AAA', 'BBB'], target_coin: 'AAA', start: '2021-01-03', end: '2021-01-04' });
  await assert.rejects(runDownload(outside), (e: unknown) => e instanceof UserError && /AAA has no candles in 2021-01-03T00:00:00Z \.\. 2021-01-04T23:00:00Z.*AAA\.csv/.test(e.message));
});

test('binance source through the fixture server: same table as the csv, a rerun is served from the cache', async () => {
  const data = { coins: ['BTC', 'DOT'], target_coin: 'BTC', start: '2020-08-01', end: '2020-09-30' };
  const ctx = ctxFor({ ...data, source: 'binance', binance: { base_url: fx.baseUrl } });
  fx.requests.length = 0;
  const a = await runDownload(ctx, { clock: fakeClock() });
  assert.equal(a.stats.requests, 4); // 1464 hours: 2 pages per coin (DOT's first page is short: listed 2020-08-18T23)
  assert.equal(fx.requests.length, 4);
  const csvCtx = ctxFor({ ...data, source: 'csv', data_dir: CANDLES });
  const csv = await runDownload(csvCtx);
  assert.deepEqual(a.stats.per_coin.map((p) => ({ ...p, source: '' })), csv.stats.per_coin.map((p) => ({ ...p, source: '' })));
  const b = await runDownload(ctx, { clock: fakeClock() });
  assert.equal(b.stats.requests, 0);
  assert.equal(fx.requests.length, 4);
  const pa = await readParquet(join(stepDir(ctx.artifactsDir, 'download'), DOWNLOAD_FILE));
  const pc = await readParquet(join(stepDir(csvCtx.artifactsDir, 'download'), DOWNLOAD_FILE));
  assert.equal((pa.open_time as BigInt64Array).length, 1464);
  assert.deepEqual(pa, pc);
});

test('binance source: an unknown coin is a UserError naming the symbol', async () => {
  const ctx = ctxFor({ coins: ['BTC', 'NOPE'], target_coin: 'BTC', start: '2021-01-01', end: '2021-01-02', source: 'binance', binance: { base_url: fx.baseUrl } });
  await assert.rejects(runDownload(ctx, { clock: fakeClock() }), (e: unknown) => e instanceof UserError && /unknown symbol NOPEUSDT/.test(e.message));
});

test('synthetic source: a full grid, seeded', async () => {
  const data = { source: 'synthetic', coins: ['BTC', 'ETH', 'XRP'], target_coin: 'XRP', start: '2022-01-01', end: '2022-01-10', synthetic: { seed: 5 } };
  const a = await runDownload(ctxFor(data));
  assert.equal(a.stats.grid_hours, 240);
  assert.deepEqual(a.stats.per_coin.map((p) => [p.rows, p.missing_hours, p.coverage]), [[240, 0, 1], [240, 0, 1], [240, 0, 1]]);
  const ctxB = ctxFor(data);
  await runDownload(ctxB);
  const ctxC = ctxFor(data);
  await runDownload(ctxC);
  const read = async (c: { artifactsDir: string }) => readParquet(join(stepDir(c.artifactsDir, 'download'), DOWNLOAD_FILE));
  assert.deepEqual(await read(ctxB), await read(ctxC));
});
