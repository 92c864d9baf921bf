// Fresh candles -> windows with the training run's fitted values: reproduces step 5 on its own ranges, new ranges
// and CSV folders (gaps filled or split as step 2), and the latest-window errors (stale, too short, gap).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { StepContext } from '../../src/pipeline/context.ts';
import { readArtifact, stepDir } from '../../src/pipeline/artifact.ts';
import { splitStats } from '../../src/pipeline/steps/split.ts';
import { sequencesFile } from '../../src/pipeline/steps/sequences.ts';
import { TOKENS_FILE } from '../../src/pipeline/steps/tokenize.ts';
import { readSafetensors } from '../../src/checkpoint/safetensors.ts';
import { readParquet } from '../../src/data/parquet.ts';
import { loadSynthetic } from '../../src/data/synthetic.ts';
import { HOUR_MS, type CoinCandles } from '../../src/data/candles.ts';
import { INVALID_TOKEN } from '../../src/tokenize/bins.ts';
import { loadFreshWindows, loadLatestWindow } from '../../src/pipeline/fresh-data.ts';
import { buildPipeline, contextWith, writeCsvFolder, removeTempDirs, cfgHour, COINS, T, H, START } from './fresh-fixture.ts';

let ctx: StepContext;
let dir: string;
const h = (s: string) => Date.parse(s);
const T0 = h(`${START}T00:00Z`);
let market: CoinCandles[]; // the synthetic market from START to 2022-03-10T23:00Z (the training run's first 60 days and 9 more)

before(async () => {
  ctx = await buildPipeline();
  dir = ctx.artifactsDir;
  market = loadSynthetic({ coins: COINS, start: T0, end: h('2022-03-10T23:00Z'), seed: ctx.config.seed });
});
after(removeTempDirs);

test("a split's own range reproduces step 5's windows exactly (x, y, future, t0)", async () => {
  const splits = readArtifact(dir, 'split', splitStats).stats.splits;
  for (const name of ['val', 'test'] as const) {
    const s = splits.find((r) => r.name === name)!;
    const fw = await loadFreshWindows(contextWith(dir, { start: cfgHour(s.start_ms), end: cfgHour(s.end_ms) }), { horizon: H });
    const f = readSafetensors(join(stepDir(dir, 'sequences'), sequencesFile(name)));
    const N = f.tensors.y!.shape[0]!;
    assert.ok(N > 100, `${name}: ${N} windows`);
    assert.equal(fw.N, N, `${name}: window count`);
    assert.equal(fw.rowSize, T * COINS.length * 2);
    assert.equal(fw.H, H);
    assert.deepEqual(fw.x, f.tensors.x!.data, `${name}: x`);
    assert.deepEqual(fw.y, f.tensors.y!.data, `${name}: y`);
    assert.deepEqual(fw.future, f.tensors.future!.data, `${name}: future`);
    assert.deepEqual(fw.t0, f.tensors.t0!.data, `${name}: t0`);
    assert.equal(fw.trainOverlapHours, 0);
    assert.equal(fw.startMs, s.start_ms);
    assert.equal(fw.endMs, s.end_ms);
  }
});

test('a range after the training data: new hours of the same simulated market, every window up to the range end', async () => {
  const fw = await loadFreshWindows(contextWith(dir, { start: '2022-03-02', end: '2022-03-05' }), { horizon: H });
  assert.equal(fw.N, 96 - T, 'every start whose target lies in the 96 h (the first return uses the hour before the range)');
  assert.equal(fw.t0[0], h('2022-03-02T00:00Z'));
  assert.equal(fw.t0[fw.N - 1], h('2022-03-05T23:00Z') - T * HOUR_MS);
  const last = [...fw.future.subarray((fw.N - 1) * H)];
  assert.notEqual(last[0], INVALID_TOKEN);
  assert.deepEqual(last.slice(1), [INVALID_TOKEN, INVALID_TOKEN, INVALID_TOKEN], 'future stops at the range end');
  assert.equal(fw.trainOverlapHours, 0);
  // not a replay of the training hours (a fresh simulation started at 2022-03-02 would repeat the first days)
  const tok = await readParquet(join(stepDir(dir, 'tokenize'), TOKENS_FILE));
  const win = (r: number) => {
    const out = new Uint8Array(T * COINS.length * 2);
    let o = 0;
    for (let t = r; t < r + T; t++) for (const c of COINS) { out[o++] = (tok[`${c}_price`] as Uint8Array)[t]!; out[o++] = (tok[`${c}_volume`] as Uint8Array)[t]!; }
    return out;
  };
  const firstX = fw.x.subarray(0, fw.rowSize);
  for (let r = 1; r < 200; r++) assert.notDeepEqual(firstX, win(r), `the first fresh window repeats training hours from row ${r}`);
  // overlap with training is reported
  const over = await loadFreshWindows(contextWith(dir, { start: '2022-02-10', end: '2022-02-14' }), { horizon: H });
  assert.equal(over.trainOverlapHours, 48);
});

test('CSV folder: a long gap splits the windows (none crosses it), a short one is forward-filled as in step 2', async () => {
  const gapFrom = h('2022-03-04T00:00Z'), gapTo = h('2022-03-04T05:00Z'); // 6 h > clean.max_ffill_hours = 3
  const hole = [h('2022-03-07T10:00Z'), h('2022-03-07T11:00Z')]; // XRP only, 2 h
  const csv = writeCsvFolder(market, (t, coin) => !(t >= gapFrom && t <= gapTo) && !(coin === 'XRP' && hole.includes(t)));
  const fw = await loadFreshWindows(contextWith(dir, { source: 'csv', data_dir: csv, start: '2022-03-02', end: '2022-03-08' }), { horizon: H });
  assert.match(fw.source, /^csv:/);
  assert.equal(fw.N, (48 - T) + (114 - 1 - T), 'before the gap: 48 h; after: 114 h whose first has no return');
  for (let i = 0; i < fw.N; i++) {
    const a = fw.t0[i]!, target = a + T * HOUR_MS;
    assert.ok(target < gapFrom || a > gapTo, `window ${new Date(a).toISOString()} crosses the gap`);
    for (let k = 0; k < H; k++) {
      const t = target + k * HOUR_MS;
      if (a < gapFrom && t >= gapFrom) assert.equal(fw.future[i * H + k], INVALID_TOKEN, 'future stops at the gap');
    }
  }
  assert.equal(fw.clean.ffill_hours, 2);
  assert.equal(fw.clean.long_gaps, 3);
  assert.equal(fw.clean.segments, 2);
});

test('ranges without a window and ranges outside the data are user errors naming the range', async () => {
  await assert.rejects(loadFreshWindows(contextWith(dir, { start: '2022-03-02T00:00Z', end: '2022-03-02T11:00Z' }), { horizon: H }),
    /2022-03-02T00:00Z \.\. 2022-03-02T11:00Z.*no window of T = 12 hours/);
  const csv = writeCsvFolder(market);
  await assert.rejects(loadFreshWindows(contextWith(dir, { source: 'csv', data_dir: csv, start: '2023-01-01', end: '2023-01-05' }), { horizon: H }),
    /2023-01-01T00:00Z \.\. 2023-01-05T23:00Z.*BTC has no candles in this range/);
  await assert.rejects(loadFreshWindows(ctx, { horizon: 0 }), /horizon/);
  // the synthetic market begins where the training download began: nothing before it (no replay under other dates)
  await assert.rejects(loadFreshWindows(contextWith(dir, { start: '2021-06-01', end: '2021-06-30' }), { horizon: H }),
    /synthetic\(seed=7, market from 2022-01-01T00:00Z\).*BTC has no candles in this range/);
  const straddle = await loadFreshWindows(contextWith(dir, { start: '2021-12-30', end: '2022-01-03' }), { horizon: H });
  assert.equal(straddle.t0[0], T0 + HOUR_MS, 'windows start at the market start (its first hour has no return)');
  assert.equal(straddle.N, 72 - 1 - T);
  assert.equal(straddle.trainOverlapHours, 72);
});

test('latest window (synthetic, as of data.end): the last T hours of step 4 tokens and the last close', async () => {
  const lw = await loadLatestWindow(ctx);
  const tok = await readParquet(join(stepDir(dir, 'tokenize'), TOKENS_FILE));
  const n = (tok.open_time as Float64Array).length;
  assert.equal(lw.lastHourMs, h('2022-03-01T23:00Z'));
  assert.equal((tok.open_time as Float64Array)[n - 1], lw.lastHourMs);
  const want = new Uint8Array(T * COINS.length * 2);
  let o = 0;
  for (let t = n - T; t < n; t++) for (const c of COINS) { want[o++] = (tok[`${c}_price`] as Uint8Array)[t]!; want[o++] = (tok[`${c}_volume`] as Uint8Array)[t]!; }
  assert.deepEqual(lw.x, want);
  const xrp = market.find((c) => c.coin === 'XRP')!;
  assert.equal(lw.lastClose, xrp.close[(lw.lastHourMs - T0) / HOUR_MS]);
  assert.equal(lw.stalenessHours, 0);
});

test('latest window from a CSV folder agrees with the last fresh window; short gaps are filled', async () => {
  const csv = writeCsvFolder(market, (t, coin) => !(coin === 'ETH' && t === h('2022-03-10T20:00Z')));
  const lw = await loadLatestWindow(ctx, { csvDir: csv, nowMs: h('2022-03-11T00:40Z') });
  assert.equal(lw.lastHourMs, h('2022-03-10T23:00Z'));
  assert.equal(lw.stalenessHours, 0);
  const fw = await loadFreshWindows(contextWith(dir, { source: 'csv', data_dir: csv, start: '2022-03-09', end: '2022-03-10' }), { horizon: H });
  const row = COINS.length * 2, lastX = fw.x.subarray((fw.N - 1) * T * row, fw.N * T * row);
  assert.deepEqual(lw.x.subarray(0, (T - 1) * row), lastX.subarray(row), 'the same hours, one later');
  assert.equal(lw.x[(T - 1) * row + 2 * 2], fw.y[fw.N - 1], "the last hour's XRP price token is the last window's target");
});

test('latest window errors: stale, too short, a gap inside the window', async () => {
  const csv = writeCsvFolder(market);
  const csvCtx = (end: string) => contextWith(dir, { source: 'csv', data_dir: csv, end });
  // csv without a clock: measured against data.end
  await assert.rejects(loadLatestWindow(csvCtx('2022-03-11')), /stale.*2022-03-10T23:00Z, 24 h before.*2022-03-11T23:00Z.*max_staleness_hours = 3/);
  // no candle in the lookback at all: the file's last candle is named
  await assert.rejects(loadLatestWindow(csvCtx('2022-04-30')), /stale: the last candle of BTC is 2022-03-10T23:00Z, 1224 h before.*update the data in/);
  // with a clock: the last closed hour
  const ok = await loadLatestWindow(csvCtx('2022-03-10'), { nowMs: h('2022-03-11T03:10Z') });
  assert.equal(ok.stalenessHours, 3);
  await assert.rejects(loadLatestWindow(csvCtx('2022-03-10'), { nowMs: h('2022-03-11T04:10Z') }), /stale.*4 h before/);
  // too short: only 8 hours of data
  const short = writeCsvFolder(market, (t) => t > h('2022-03-10T15:00Z'));
  await assert.rejects(loadLatestWindow(contextWith(dir, { source: 'csv', data_dir: short, end: '2022-03-10' })), /too short.*T \+ 1 = 13.*8 hour/);
  const lateListing = writeCsvFolder(market, (t, coin) => coin !== 'BTC' || t > h('2022-03-10T15:00Z'));
  await assert.rejects(loadLatestWindow(contextWith(dir, { source: 'csv', data_dir: lateListing, end: '2022-03-10' })),
    /too short.*8 hour\(s\) with every coin, from 2022-03-10T16:00Z/);
  // a 5 h gap 4 hours before the end
  const gap = writeCsvFolder(market, (t) => !(t >= h('2022-03-10T15:00Z') && t <= h('2022-03-10T19:00Z')));
  await assert.rejects(loadLatestWindow(contextWith(dir, { source: 'csv', data_dir: gap, end: '2022-03-10' })),
    /gap inside the window.*5 h from 2022-03-10T15:00.*last 3 hour/);
});
