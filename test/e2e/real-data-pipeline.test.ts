// Steps 1-5 end to end on the full real 10-coin dataset (TOKCAST_REAL_DATA_DIR, csv source). Expected numbers come from
// its SOURCE.md and the files themselves (wc -l, awk), worked out by hand below, not from our own output.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateConfig } from '../../src/config/load.ts';
import { makeContext } from '../../src/pipeline/context.ts';
import { stepDir } from '../../src/pipeline/artifact.ts';
import { runDownload } from '../../src/pipeline/steps/download.ts';
import { runClean } from '../../src/pipeline/steps/clean.ts';
import { runSplit } from '../../src/pipeline/steps/split.ts';
import { runTokenize, TOKENS_FILE, EDGES_FILE } from '../../src/pipeline/steps/tokenize.ts';
import { runSequences, sequencesFile } from '../../src/pipeline/steps/sequences.ts';
import { readParquet } from '../../src/data/parquet.ts';
import { readSafetensors } from '../../src/checkpoint/safetensors.ts';
import { readEdgesFile } from '../../src/tokenize/edges-file.ts';
import { HOUR_MS } from '../../src/data/candles.ts';
import { needs, externalDir } from '../fixtures/data.ts';

const COINS = ['BTC', 'ETH', 'BNB', 'XRP', 'SOL', 'DOGE', 'ADA', 'AVAX', 'DOT', 'LTC'];
const h = (s: string) => Date.parse(s);

// by hand: 2020-01-01T00 .. 2023-12-31T23 = 1461 days = 35064 hours; AVAX lists last, at 2020-09-22T06 =
// (31+29+31+30+31+30+31+31+21) days + 6 h = 265*24 + 6 = 6366 hours after the grid start.
const GRID = 1461 * 24;
const TRIM = 265 * 24 + 6;
// SOURCE.md gaps from 2020-09-22 on (10 gaps / 20 h); max_ffill_hours = 3 fills 1,1,1,1,2,3,2,1 h (8 gaps, 12 h),
// the 4-hour gaps 2020-12-21 14-17h and 2021-08-13 02-05h are dropped (2 gaps, 8 h).
const ROWS = GRID - TRIM - 8;
const SEG = [
  [h('2020-09-22T06:00Z'), h('2020-12-21T13:00Z')],
  [h('2020-12-21T18:00Z'), h('2021-08-13T01:00Z')],
  [h('2021-08-13T06:00Z'), h('2023-12-31T23:00Z')],
];

test('real data: download -> clean -> split -> tokenize -> sequences', { skip: needs('TOKCAST_REAL_DATA_DIR') }, async () => {
  const DATA = externalDir('TOKCAST_REAL_DATA_DIR');
  const dir = mkdtempSync(join(tmpdir(), 'tokcast-e2e-'));
  // the two-split layout this test computes by hand (the default adds a test split and embargoes)
  const config = validateConfig({ artifacts_dir: dir, data: { source: 'csv', data_dir: DATA, coins: COINS, target_coin: 'XRP' }, split: { train_ratio: 0.8, val_ratio: 0.2, embargo_hours: 0 } });
  const ctx = makeContext(config);

  const dl = await runDownload(ctx);
  const rows = Object.fromEntries(dl.stats.per_coin.map((p) => [p.coin, p.rows]));
  assert.deepEqual(rows, { BTC: 35032, ETH: 35032, BNB: 35032, XRP: 35032, SOL: 29686, DOGE: 35032, ADA: 35032, AVAX: 28678, DOT: 29501, LTC: 35032 });

  const clean = (await runClean(ctx)).stats;
  assert.equal(clean.grid_rows, GRID);
  assert.equal(clean.trimmed_start_hours, TRIM);
  assert.equal(clean.trimmed_end_hours, 0);
  assert.equal(clean.first_hour, '2020-09-22T06:00:00.000Z');
  assert.equal(clean.coverage.SOL!.first_hour, '2020-08-11T06:00:00.000Z');
  assert.equal(clean.coverage.DOT!.first_hour, '2020-08-18T23:00:00.000Z');
  assert.equal(clean.coverage.BTC!.present_hours, 35032);
  assert.equal(clean.coverage.AVAX!.coverage, 28678 / GRID);
  assert.equal(clean.rows_out, ROWS);
  assert.equal(clean.removed_hours, 8);
  assert.deepEqual(clean.segments.map((s) => [Date.parse(s.start), Date.parse(s.end)]), SEG);
  for (const coin of COINS) {
    const r = clean.repairs[coin]!;
    assert.deepEqual([r.ffill_gaps, r.ffill_hours, r.long_gaps, r.long_gap_hours], [8, 12, 2, 8], coin);
    // awk over the files: the only zero-volume rows are 2021-02-11T03 and 2023-03-24T12 (O=H=L=C), no OHLC violations
    assert.equal(r.zero_volume_placeholder, 2, coin);
    for (const k of ['invalid_price', 'missing_volume', 'negative_volume', 'high_below_low', 'high_widened', 'low_widened'] as const) assert.equal(r[k], 0, `${coin} ${k}`);
    // the only |log return| > 0.4 after 2020-09-22 is DOGE 2021-01-29T03 (+70%), which does not revert: no spike
    assert.equal(r.outlier_spike, 0, coin);
  }
  assert.deepEqual(clean.gaps.map((g) => [g.start.slice(0, 13), g.hours, g.action, g.coins.length]), [
    ['2020-11-30T06', 1, 'ffill', 10], ['2020-12-21T14', 4, 'drop', 10], ['2020-12-25T02', 1, 'ffill', 10],
    ['2021-02-11T04', 1, 'ffill', 10], ['2021-03-06T02', 1, 'ffill', 10], ['2021-04-20T02', 2, 'ffill', 10],
    ['2021-04-25T05', 3, 'ffill', 10], ['2021-08-13T02', 4, 'drop', 10], ['2021-09-29T07', 2, 'ffill', 10],
    ['2023-03-24T13', 1, 'ffill', 10],
  ]);

  const split = (await runSplit(ctx)).stats;
  const nTrain = Math.round(ROWS * 0.8);
  assert.deepEqual(split.splits.map((s) => [s.name, s.start_row, s.end_row]), [['train', 0, nTrain], ['val', nTrain, ROWS]]);

  const tok = (await runTokenize(ctx)).stats;
  for (const d of tok.distribution.filter((x) => x.split === 'train')) {
    for (const s of d.shares) assert.ok(Math.abs(s - 1 / 3) < 0.01, `${d.coin} ${d.channel} train shares ${d.shares}`);
    assert.equal(d.invalid, 3, 'the first hour of each segment has no return');
  }
  const edges = readEdgesFile(join(stepDir(dir, 'tokenize'), EDGES_FILE));
  for (const coin of COINS) {
    const e = edges.per_coin[coin]!.price.edges;
    assert.ok(e[0]! < 0 && e[1]! > 0 && e[0]! < e[1]!, `${coin} price edges ${e}: down / steady / up`);
  }

  const seq = (await runSequences(ctx)).stats;
  const T = 24;
  // train: three runs (each segment minus its first hour; the third cut at the split), each losing T starts
  // val: one run of ROWS - nTrain rows inside segment 3 (its first hour has a return from the last train hour)
  assert.deepEqual(seq.splits.map((s) => [s.split, s.N]), [['train', nTrain - 3 - 3 * T], ['val', ROWS - nTrain - T]]);
  assert.deepEqual(seq.splits[0]!.x_shape, [nTrain - 3 - 3 * T, T, 10, 2]);
  const tokens = await readParquet(join(stepDir(dir, 'tokenize'), TOKENS_FILE), { columns: ['open_time', 'XRP_price', 'BTC_volume'] });
  const time = tokens.open_time as Float64Array;
  for (const s of seq.splits) {
    const f = readSafetensors(join(stepDir(dir, 'sequences'), sequencesFile(s.split)));
    const row = f.tensors.row!.data as Int32Array, y = f.tensors.y!.data as Uint8Array, x = f.tensors.x!.data as Uint8Array;
    for (let i = 0; i < s.N; i += 997) {
      const r = row[i]!;
      assert.equal(time[r + T]! - time[r]!, T * HOUR_MS);
      assert.ok(!SEG.some(([, end]) => time[r]! <= end! && time[r + T]! > end!), 'window crosses a dropped gap');
      assert.equal(y[i], (tokens.XRP_price as Uint8Array)[r + T]);
      assert.equal(x[((i * T + 5) * 10 + 0) * 2 + 1], (tokens.BTC_volume as Uint8Array)[r + 5]);
    }
  }
});
