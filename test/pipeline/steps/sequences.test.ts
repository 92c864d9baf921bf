// Step 5 through its files: the safetensors tensors line up with tokens.parquet (windows recomputed by hand).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { runClean } from '../../../src/pipeline/steps/clean.ts';
import { runSplit } from '../../../src/pipeline/steps/split.ts';
import { runTokenize, TOKENS_FILE } from '../../../src/pipeline/steps/tokenize.ts';
import { runSequences, sequencesFile } from '../../../src/pipeline/steps/sequences.ts';
import { stepDir } from '../../../src/pipeline/artifact.ts';
import { readParquet } from '../../../src/data/parquet.ts';
import { readSafetensors } from '../../../src/checkpoint/safetensors.ts';
import { HOUR_MS } from '../../../src/data/candles.ts';
import { INVALID_TOKEN } from '../../../src/tokenize/bins.ts';
import { fixtureMarket, fixtureContext, writeDownload, COINS } from './clean-fixture.ts';

test('x (N,T,C,K), y, t0, row and future line up with tokens.parquet; no window crosses a split or the dropped gap', async () => {
  const ctx = fixtureContext({ split: { train_ratio: 0.6, val_ratio: 0.2, embargo_hours: 1 } });
  await writeDownload(ctx, fixtureMarket());
  await runClean(ctx); await runSplit(ctx); await runTokenize(ctx, { plot: false });
  const a = await runSequences(ctx);
  const T = 12, C = 3, K = 2, H = 4, target = 1;
  const tok = await readParquet(join(stepDir(ctx.artifactsDir, 'tokenize'), TOKENS_FILE));
  const time = tok.open_time as Float64Array, split = tok.split as Uint8Array, seg = tok.segment as Int32Array;
  const price = COINS.map((c) => tok[`${c}_price`] as Uint8Array), volume = COINS.map((c) => tok[`${c}_volume`] as Uint8Array);
  assert.deepEqual(a.stats.splits.map((s) => s.split), ['train', 'val', 'test']);
  const codes = { train: 0, val: 1, test: 2 } as const;
  for (const s of a.stats.splits) {
    const f = readSafetensors(join(stepDir(ctx.artifactsDir, 'sequences'), sequencesFile(s.split)));
    const N = s.N;
    assert.ok(N > 0);
    assert.deepEqual(f.tensors.x!.shape, [N, T, C, K]);
    assert.deepEqual(f.tensors.future!.shape, [N, H]);
    assert.equal(f.tensors.x!.dtype, 'U8');
    assert.equal(f.metadata.target_coin, 'BBB');
    assert.deepEqual(JSON.parse(f.metadata.coins!), COINS);
    const x = f.tensors.x!.data as Uint8Array, y = f.tensors.y!.data as Uint8Array, t0 = f.tensors.t0!.data as Float64Array;
    const row = f.tensors.row!.data as Int32Array, fut = f.tensors.future!.data as Uint8Array;
    for (let i = 0; i < N; i++) {
      const r = row[i]!;
      assert.equal(t0[i], time[r]);
      assert.equal(time[r + T]! - time[r]!, T * HOUR_MS, 'contiguous hours, target = the hour after the window');
      for (let q = r; q <= r + T; q++) { assert.equal(split[q], codes[s.split]); assert.equal(seg[q], seg[r]); }
      assert.equal(y[i], price[target]![r + T]);
      for (let t = 0; t < T; t++) for (let c = 0; c < C; c++) {
        const b = ((i * T + t) * C + c) * K;
        if (x[b] !== price[c]![r + t] || x[b + 1] !== volume[c]![r + t]) assert.fail(`window ${i} t=${t} c=${c} differs from tokens.parquet`);
        assert.notEqual(x[b], INVALID_TOKEN);
      }
      for (let h = 0; h < H; h++) {
        const q = r + T + h;
        const inside = q < split.length && split[q] === codes[s.split] && seg[q] === seg[r];
        assert.equal(fut[i * H + h], inside ? price[target]![q] : INVALID_TOKEN);
      }
    }
    assert.equal(s.y_counts.reduce((p, q) => p + q, 0), N);
  }
  // every train window start that could exist does: rows 1..(299-T) in segment 0 are all starts
  const tr = readSafetensors(join(stepDir(ctx.artifactsDir, 'sequences'), sequencesFile('train')));
  const rows = [...(tr.tensors.row!.data as Int32Array)];
  assert.equal(rows[0], 1);
  assert.ok(!rows.includes(300 - T), 'the window whose target would be the first row after the gap does not exist');
  assert.ok(rows.includes(299 - T));
});

test('a window longer than the split is a user error', async () => {
  const ctx = fixtureContext();
  await writeDownload(ctx, fixtureMarket());
  await runClean(ctx); await runSplit(ctx); await runTokenize(ctx, { plot: false });
  const long = fixtureContext({ sequences: { window: 400 } }, ctx.artifactsDir);
  await assert.rejects(runSequences(long), /no window of 400 hours/);
});

test("long_gap 'mark': the marked hours stay in the tables but no window, target or future hour touches them", async () => {
  const ctx = fixtureContext({ clean: { long_gap: 'mark' }, split: { train_ratio: 0.8, val_ratio: 0.2, embargo_hours: 0 } });
  await writeDownload(ctx, fixtureMarket());
  const c = await runClean(ctx);
  assert.equal(c.stats.rows_out, 600);
  assert.equal(c.stats.marked_hours, 5);
  await runSplit(ctx); await runTokenize(ctx, { plot: false });
  const a = await runSequences(ctx);
  const T = 12, H = 4;
  const f = readSafetensors(join(stepDir(ctx.artifactsDir, 'sequences'), sequencesFile('train')));
  const row = f.tensors.row!.data as Int32Array, fut = f.tensors.future!.data as Uint8Array;
  for (let i = 0; i < row.length; i++) {
    const r = row[i]!;
    assert.ok(r + T < 300 || r > 304, `window at row ${r} touches the marked hours 300..304`);
    for (let h = 0; h < H; h++) if (r + T + h >= 300 && r + T + h <= 304) assert.equal(fut[i * H + h], INVALID_TOKEN);
  }
  // rows 1..299 (first hour has no return) and 306..479 (row 305 starts a new segment; train ends at row 480)
  assert.equal(a.stats.splits[0]!.N, (299 - T) + (479 - 306 + 1 - T));
});
