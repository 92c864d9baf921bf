import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateConfig } from '../../src/config/load.ts';
import { configRange, loadCandles } from '../../src/data/sources.ts';
import { candleSubsetDir } from '../fixtures/data.ts';

const H = 3_600_000;

test('config dates -> inclusive hour range: a bare end date means its whole day', () => {
  assert.deepEqual(configRange({ start: '2020-01-01', end: '2020-01-02' }), { startMs: Date.parse('2020-01-01T00:00Z'), endMs: Date.parse('2020-01-02T23:00Z') });
  assert.deepEqual(configRange({ start: '2020-01-01T05:30Z', end: '2020-01-01T09:00Z' }), { startMs: Date.parse('2020-01-01T06:00Z'), endMs: Date.parse('2020-01-01T09:00Z') });
  assert.deepEqual(configRange({ start: '2020-01-01T05:00', end: '2020-01-01T05:59:00Z' }), { startMs: Date.parse('2020-01-01T05:00Z'), endMs: Date.parse('2020-01-01T05:00Z') });
  assert.throws(() => configRange({ start: '2020-01-01T05:10Z', end: '2020-01-01T05:50Z' }), /data\.end.*no whole hour/);
});

test('the csv source loads the configured coins cut to the range; synthetic follows the seed', async () => {
  const cfg = validateConfig({ data: { source: 'csv', data_dir: candleSubsetDir(), coins: ['ETH', 'DOT'], target_coin: 'ETH', start: '2020-08-18', end: '2020-08-19' } });
  const ticks: string[] = [];
  const reporter = { log: () => {}, progress: (label: string, total: number) => ({ tick: (_n?: number, info?: Record<string, string | number>) => { ticks.push(`${label}/${total}:${info?.coin}`); }, done: () => {} }) };
  const r = await loadCandles(cfg, { reporter });
  assert.deepEqual(r.candles.map((c) => [c.coin, c.openTime.length]), [['ETH', 48], ['DOT', 25]]);
  assert.deepEqual(ticks, ['load csv/2:ETH', 'load csv/2:DOT']);
  const last3 = await loadCandles(cfg, { range: { startMs: Date.parse('2023-12-31T21:00Z'), endMs: Date.parse('2024-01-01T05:00Z') } });
  assert.deepEqual(last3.candles.map((c) => c.openTime.length), [3, 3]);
  const syn = (seed: number) => loadCandles(validateConfig({ data: { source: 'synthetic', coins: ['BTC', 'ETH'], target_coin: 'BTC', start: '2021-01-01', end: '2021-01-01', synthetic: { seed } } }));
  const [a, b, c] = await Promise.all([syn(1), syn(1), syn(2)]);
  assert.equal(a.candles[0].openTime.length, 24);
  assert.equal(a.candles[0].openTime[23] - a.candles[0].openTime[0], 23 * H);
  assert.deepEqual(a.candles, b.candles);
  assert.notDeepEqual(a.candles[0].close, c.candles[0].close);
});
