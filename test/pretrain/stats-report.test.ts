// loadRealTrainMarket (training rows of clean.parquet on an hourly grid, NaN for gaps, marked and non-training hours)
// and the real channels built from it (no return across a gap), plus the Markdown table of a comparison.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeParquet } from '../../src/data/parquet.ts';
import { loadRealTrainMarket, realSeries, syntheticDataStats, statsTableMarkdown } from '../../src/pretrain/stats-report.ts';
import { defaultMarketParams } from '../../src/market/defaults.ts';
import type { EdgesFile } from '../../src/tokenize/edges-file.ts';

const H = 3_600_000, t0 = Date.UTC(2022, 0, 1, 5);

test('training rows go on an hourly grid; dropped, marked and validation hours are NaN; no return across a gap', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tokcast-real-'));
  // hours 0..9; hours 3-4 dropped (absent rows), hour 6 marked (segment -1), hours 8-9 validation
  const hours = [0, 1, 2, 5, 6, 7, 8, 9];
  const segment = Int32Array.from([0, 0, 0, 1, -1, 2, 2, 2]);
  const split = Uint8Array.from([0, 0, 0, 0, 0, 0, 1, 1]);
  const close = Float64Array.from(hours, (h) => 100 + h), vol = Float64Array.from(hours, (h) => 10 * (h + 1));
  await writeParquet(join(dir, 'clean.parquet'), {
    open_time: Float64Array.from(hours, (h) => t0 + h * H), segment, BTC_close: close, BTC_volume: vol,
  });
  await writeParquet(join(dir, 'split.parquet'), { open_time: Float64Array.from(hours, (h) => t0 + h * H), split });
  const m = await loadRealTrainMarket(join(dir, 'clean.parquet'), join(dir, 'split.parquet'), ['BTC']);
  assert.equal(m.openTime.length, 8, 'hours 0..7: the first to the last training hour');
  assert.equal(m.openTime[7], t0 + 7 * H);
  assert.deepEqual([...m.close[0]!].map((x) => (Number.isNaN(x) ? null : x)), [100, 101, 102, null, null, 105, null, 107]);
  assert.equal(m.presentHours, 5);
  const s = realSeries(m, [[Float64Array.from([-0.001, 0.001]), Float64Array.from([-0.1, 0.1])]], [1]);
  const r = [...s.returns[0]!];
  assert.ok(Math.abs(r[1]! - Math.log(101 / 100)) < 1e-15);
  assert.ok(Number.isNaN(r[5]!) && Number.isNaN(r[7]!), 'no return right after a gap');
  assert.ok(Math.abs(s.volumeChanges[0]![2]! - Math.log((30 + 1) / (20 + 1))) < 1e-15, 'floored volume change');
  assert.deepEqual([...s.priceTokens![0]!].slice(0, 4), [255, 2, 2, 255]);
});

test('the stats table has a row per coin and the correlation errors', () => {
  const coins = ['BTC', 'ETH'];
  const params = defaultMarketParams(coins);
  const n = 3000;
  const close = coins.map(() => new Float64Array(n)), volume = coins.map(() => new Float64Array(n));
  for (let i = 0; i < n; i++) { close[0]![i] = 100 * Math.exp(0.01 * Math.sin(i)); close[1]![i] = 10 * Math.exp(0.01 * Math.cos(i)); volume[0]![i] = volume[1]![i] = 5 + (i % 7); }
  const edges = { price: { edges: [-0.003, 0.003], ranges: [] }, volume: { edges: [-0.1, 0.1], ranges: [], floor: 0.01 } };
  const file = { num_bins: 3, coins, per_coin: { BTC: edges, ETH: edges } } as unknown as EdgesFile;
  const stats = syntheticDataStats({ coins, openTime: Float64Array.from({ length: n }, (_, i) => t0 + i * H), close, volume, presentHours: n }, params, file, { hours: 4000, seed: 1, source: 'test' });
  const md = statsTableMarkdown(stats);
  assert.equal(md.split('\n').filter((l) => l.startsWith('| BTC') || l.startsWith('| ETH')).length, 2);
  assert.match(md, /Frobenius, 2x2\): Pearson \d\.\d{3}/);
  assert.equal(stats.comparison.perCoin[0]!.priceTokens!.real.length, 3);
});
