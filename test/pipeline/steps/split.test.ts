// Step 3 through its files: split.parquet codes agree with the artifact's boundaries; date mode and embargo.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { runClean } from '../../../src/pipeline/steps/clean.ts';
import { runSplit, SPLIT_FILE } from '../../../src/pipeline/steps/split.ts';
import { stepDir } from '../../../src/pipeline/artifact.ts';
import { readParquet } from '../../../src/data/parquet.ts';
import { EMBARGO } from '../../../src/data/split.ts';
import { fixtureMarket, fixtureContext, writeDownload } from './clean-fixture.ts';

test('ratio split with test and embargo: file codes match the recorded row ranges; time order kept', async () => {
  const ctx = fixtureContext({ split: { train_ratio: 0.6, val_ratio: 0.2, embargo_hours: 2 } });
  await writeDownload(ctx, fixtureMarket());
  await runClean(ctx);
  const a = await runSplit(ctx);
  const cols = await readParquet(join(stepDir(ctx.artifactsDir, 'split'), SPLIT_FILE));
  const code = cols.split as Uint8Array;
  assert.equal(code.length, a.stats.rows);
  assert.equal(a.stats.embargo_rows, 4);
  assert.deepEqual(a.stats.splits.map((s) => s.name), ['train', 'val', 'test']);
  for (const s of a.stats.splits) {
    const c = a.stats.codes[s.name];
    for (let i = s.start_row; i < s.end_row; i++) assert.equal(code[i], c);
    assert.equal((cols.open_time as Float64Array)[s.start_row], s.start_ms);
  }
  let embargo = 0;
  for (const x of code) embargo += x === EMBARGO ? 1 : 0;
  assert.equal(embargo, 4);
  const t = cols.open_time as Float64Array;
  for (let i = 1; i < t.length; i++) assert.ok(t[i]! > t[i - 1]!);
});

test('date split: train ends at the configured hour', async () => {
  const ctx = fixtureContext({ split: { mode: 'date', train_end: '2022-01-15T10:00Z', val_end: null, embargo_hours: 0 } });
  await writeDownload(ctx, fixtureMarket());
  await runClean(ctx);
  const a = await runSplit(ctx);
  assert.equal(a.stats.splits[0]!.end, '2022-01-15T10:00:00.000Z');
  assert.equal(a.stats.splits[1]!.start, '2022-01-15T11:00:00.000Z');
});

test('default split: train / validation / test 70 / 15 / 15 with an embargo of one window plus the horizon after each boundary', async () => {
  const ctx = fixtureContext({});
  await writeDownload(ctx, fixtureMarket());
  await runClean(ctx);
  const a = await runSplit(ctx);
  const T = ctx.config.sequences.window, H = ctx.config.evaluate.horizon;
  assert.equal(a.stats.embargo_hours, T + H);
  assert.deepEqual(a.stats.splits.map((s) => s.name), ['train', 'val', 'test']);
  const [tr, va, te] = a.stats.splits;
  const n = a.stats.rows;
  assert.equal(tr!.rows, Math.round(0.7 * n));
  // each later split starts embargo_hours + 1 hours after the previous one ends (no dropped gap in this fixture)
  assert.equal((va!.start_ms - tr!.end_ms) / 3600e3, T + H + 1);
  assert.equal((te!.start_ms - va!.end_ms) / 3600e3, T + H + 1);
  assert.equal(a.stats.embargo_rows, 2 * (T + H));
  assert.equal(va!.rows + T + H, Math.round(0.15 * n));
});
