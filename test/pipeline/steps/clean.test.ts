// Step 2 through its files: clean.parquet columns and values, the artifact's counts, and failures leaving files alone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runClean, cleanStats, CLEAN_FILE } from '../../../src/pipeline/steps/clean.ts';
import { readArtifact, stepDir, artifactPath } from '../../../src/pipeline/artifact.ts';
import { readParquet } from '../../../src/data/parquet.ts';
import { HOUR_MS } from '../../../src/data/candles.ts';
import { fixtureMarket, fixtureContext, writeDownload, T0, COINS } from './clean-fixture.ts';

test('clean writes the grid with flags, segment and valid columns and counts every repair by coin', async () => {
  const ctx = fixtureContext({ clean: { max_ffill_hours: 3 } });
  const m = fixtureMarket();
  m.volume[1]![50] = -2;                    // BBB negative volume
  m.high[2]![60] = m.low[2]![60]! * 0.5;    // CCC high < low
  await writeDownload(ctx, m);
  const a = await runClean(ctx);
  assert.deepEqual(readArtifact(ctx.artifactsDir, 'clean', cleanStats).stats, a.stats);
  const s = a.stats;
  assert.equal(s.rows_out, 600 - 5);
  assert.equal(s.removed_hours, 5);
  assert.deepEqual(s.segments.map((x) => x.rows), [300, 295]);
  assert.equal(s.repairs.AAA!.ffill_hours, 2);
  assert.equal(s.repairs.BBB!.ffill_hours, 0);
  for (const c of COINS) assert.deepEqual([s.repairs[c]!.long_gaps, s.repairs[c]!.long_gap_hours], [1, 5]);
  assert.equal(s.repairs.BBB!.negative_volume, 1);
  assert.equal(s.repairs.CCC!.high_below_low, 1);
  assert.equal(s.repair_totals.negative_volume, 1);
  const cols = await readParquet(join(stepDir(ctx.artifactsDir, 'clean'), CLEAN_FILE));
  assert.deepEqual(Object.keys(cols).slice(0, 6), ['open_time', 'AAA_open', 'AAA_high', 'AAA_low', 'AAA_close', 'AAA_volume']);
  for (const c of COINS) assert.ok(cols[`${c}_flags`] instanceof Uint8Array);
  assert.ok(cols.segment instanceof Int32Array);
  const t = cols.open_time as Float64Array;
  assert.equal(t[300], T0 + 305 * HOUR_MS);
  assert.equal((cols.segment as Int32Array)[299], 0);
  assert.equal((cols.segment as Int32Array)[300], 1);
  assert.equal((cols.BBB_volume as Float64Array)[50], 0);
  assert.equal((cols.AAA_close as Float64Array)[101], m.close[0]![99]);
  for (const [k, col] of Object.entries(cols)) if (col instanceof Float64Array) assert.ok(col.every(Number.isFinite), `${k} finite`);
});

test('a failing clean leaves the download artifact and the previous clean artifact untouched', async () => {
  const ctx = fixtureContext();
  await writeDownload(ctx, fixtureMarket());
  await runClean(ctx);
  const before = readFileSync(artifactPath(ctx.artifactsDir, 'clean'), 'utf8');
  const dl = readFileSync(artifactPath(ctx.artifactsDir, 'download'), 'utf8');
  const bad = fixtureContext({ data: { coins: [...COINS, 'ZZZ'], target_coin: 'BBB' } }, ctx.artifactsDir);
  await assert.rejects(runClean(bad), /no column "ZZZ_open"/);
  const late = fixtureMarket();
  for (const f of ['open', 'high', 'low', 'close', 'volume'] as const) late[f][2]!.fill(NaN, 0, 590);
  await writeDownload(ctx, late);
  await assert.rejects(runClean(fixtureContext({ clean: { min_coverage: 0.5 } }, ctx.artifactsDir)), /coin CCC .*coverage/);
  assert.equal(readFileSync(artifactPath(ctx.artifactsDir, 'clean'), 'utf8'), before);
  assert.notEqual(readFileSync(artifactPath(ctx.artifactsDir, 'download'), 'utf8'), dl, 'the rewritten download is the new one');
});

test('a missing download is a user error naming the command', async () => {
  await assert.rejects(runClean(fixtureContext()), /run `tokcast pipeline download` first/);
});
