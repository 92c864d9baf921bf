// Step 9 through its files: backtest.json (schema, every method, buy-and-hold equal to the closes of the test hours
// net of one round trip, thresholds from validation), equity.png, the printed assumptions and the refusal without a
// test split.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tinyPipeline } from './tiny-pipeline.ts';
import { makeContext, type StepContext } from '../../../src/pipeline/context.ts';
import { runTrain } from '../../../src/pipeline/steps/train.ts';
import { runBacktest, backtestFileSchema, backtestStats, BACKTEST_FILE, EQUITY_PLOT, NOT_ADVICE } from '../../../src/pipeline/steps/backtest.ts';
import { readArtifact, stepDir } from '../../../src/pipeline/artifact.ts';
import { readParquet } from '../../../src/data/parquet.ts';
import { SPLIT_CODE } from '../../../src/data/split.ts';
import { readJson } from '../../../src/util/fs.ts';
import { UserError } from '../../../src/util/errors.ts';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fixtureContext, fixtureMarket, writeDownload } from './clean-fixture.ts';
import { runClean } from '../../../src/pipeline/steps/clean.ts';
import { runSplit } from '../../../src/pipeline/steps/split.ts';
import { runTokenize } from '../../../src/pipeline/steps/tokenize.ts';
import { runSequences } from '../../../src/pipeline/steps/sequences.ts';
import { Rng } from '../../../src/util/rng.ts';
import type { MarketTable } from '../../../src/data/candles.ts';

let ctx: StepContext;
const logs: string[] = [];
before(async () => {
  ctx = await tinyPipeline({ split: { train_ratio: 0.6, val_ratio: 0.2 }, train: { epochs: 1, batch_size: 64, threads: 1 } });
  await runTrain(ctx);
  ctx = { ...ctx, reporter: { log: (m) => logs.push(m), progress: () => ({ tick: () => {}, done: () => {} }) } };
});

test('backtest.json: every method, buy-and-hold from the test closes net of one round trip, the model against the best alternative', async () => {
  const a = (await runBacktest(ctx))!;
  const dir = stepDir(ctx.artifactsDir, 'backtest');
  const f = backtestFileSchema.parse(readJson(join(dir, BACKTEST_FILE)));
  assert.deepEqual(readArtifact(ctx.artifactsDir, 'backtest', backtestStats).stats, a.stats);
  assert.deepEqual(Object.keys(f.methods).sort(), ['buy_and_hold', 'garch', 'logistic', 'majority', 'markov', 'model', 'persistence', 'window_majority']);
  assert.equal(f.not_advice, NOT_ADVICE);
  assert.equal(f.costs.cost_per_side, 0.001);

  // the test hours, straight from the files of steps 2 and 3: target hours of the test split with T hours before them
  const T = ctx.config.sequences.window;
  const clean = await readParquet(join(stepDir(ctx.artifactsDir, 'clean'), 'clean.parquet'), { columns: ['open_time', 'XRP_close'] });
  const split = await readParquet(join(stepDir(ctx.artifactsDir, 'split'), 'split.parquet'), { columns: ['split'] });
  const sp = split.split as Uint8Array, close = clean.XRP_close as Float64Array, time = clean.open_time as Float64Array;
  const rows: number[] = [];
  for (let r = T; r < sp.length; r++) if (sp.subarray(r - T, r + 1).every((s) => s === SPLIT_CODE.test)) rows.push(r);
  assert.equal(f.test.gaps, 0, 'the synthetic market has no gaps');
  assert.equal(f.test.hours, rows.length);
  assert.equal(Date.parse(f.test.first), time[rows[0]]);
  assert.equal(Date.parse(f.test.last), time[rows[rows.length - 1]]);
  let e = 1;
  rows.forEach((r, i) => { e *= 1 + close[r] / close[r - 1] - 1 - (i === 0 || i === rows.length - 1 ? 0.001 : 0); });
  const hold = f.methods.buy_and_hold.test;
  assert.ok(Math.abs(hold.total_return - (e - 1)) < 1e-9, `${hold.total_return} vs ${e - 1}`);
  assert.equal(hold.trades, 2);
  assert.equal(hold.exposure, 1);

  for (const [k, m] of Object.entries(f.methods)) {
    assert.equal(m.test.hours, rows.length, k);
    if (m.threshold === null) assert.ok(k === 'buy_and_hold' || m.test.exposure === 0, k);
    assert.ok(m.validation.sharpe >= 0 || m.threshold === null || k === 'buy_and_hold', `${k}: a threshold is kept only when it made money on validation`);
  }
  const c = f.comparison!;
  assert.notEqual(c.best_alternative, 'model');
  const alts = Object.keys(f.methods).filter((k) => k !== 'model');
  assert.equal(f.methods[c.best_alternative].validation.sharpe, Math.max(...alts.map((k) => f.methods[k].validation.sharpe)));
  assert.ok(Math.abs(c.sharpe_difference.estimate - (f.methods.model.test.sharpe - f.methods[c.best_alternative].test.sharpe)) < 1e-9);
  assert.ok(c.sharpe_difference.low! <= c.sharpe_difference.high!);

  const png = readFileSync(join(dir, EQUITY_PLOT));
  assert.equal(png.subarray(1, 4).toString('ascii'), 'PNG');
  assert.ok(png.readUInt32BE(16) > 800 && png.readUInt32BE(20) > 400, 'a 2x render of the 560 x 280 chart');

  assert.ok(logs.some((l) => l.includes(NOT_ADVICE)), 'says it is not advice');
  assert.ok(logs.filter((l) => l.startsWith('  assumes: ')).length === f.assumptions.length);
  assert.ok(logs.some((l) => l.includes('buy_and_hold')));
});

test('without a test split it refuses, naming the keys to change', async () => {
  const noTest = await tinyPipeline({ split: { train_ratio: 0.8, val_ratio: 0.2 }, train: { epochs: 1, batch_size: 64, threads: 1 } });
  await runTrain(noTest);
  const notes: string[] = [];
  assert.equal(await runBacktest({ ...noTest, reporter: { log: (m) => notes.push(m), progress: () => ({ tick: () => {}, done: () => {} }) } }, { chained: true }), null, 'run-all skips it');
  assert.ok(notes.some((m) => /backtest: skipped: the run has no test split/.test(m)));
  await assert.rejects(runBacktest(noTest), (e: Error) => e instanceof UserError && /test split has no window.*split\.train_ratio \+ split\.val_ratio/.test(e.message));
  await assert.rejects(runBacktest(makeContext(ctx.config, undefined, join(ctx.artifactsDir, 'nothing'))), UserError);
});

test('poisoning the test candles leaves every threshold and validation figure of the backtest identical', async () => {
  const run = async (table: MarketTable) => {
    const c = fixtureContext({ sequences: { window: 12 }, model: { embed_dim: 4, d_model: 8, n_heads: 2, n_layers: 1, d_ff: 16, dropout: 0.1 },
      train: { epochs: 1, batch_size: 64, threads: 1 }, evaluate: { horizon: 4, bootstrap_samples: 50 } }, mkdtempSync(join(tmpdir(), 'tokcast-bt-')));
    await writeDownload(c, table);
    await runClean(c); await runSplit(c); await runTokenize(c, { plot: false }); await runSequences(c); await runTrain(c);
    await runBacktest(c);
    return backtestFileSchema.parse(readJson(join(stepDir(c.artifactsDir, 'backtest'), BACKTEST_FILE)));
  };
  const good = await run(fixtureMarket(1000, 8));
  const testStart = Date.parse(good.test.first) - 12 * 3_600_000; // the first test window's first hour
  const rng = new Rng(99), bad = fixtureMarket(1000, 8);
  for (let i = 0; i < bad.openTime.length; i++) {
    if (bad.openTime[i]! < testStart) continue;
    for (let c = 0; c < bad.coins.length; c++) {
      bad.close[c]![i] = bad.close[c]![i]! * Math.exp(0.05 * rng.normal());
      bad.high[c]![i] = Math.max(bad.high[c]![i]!, bad.close[c]![i]!);
      bad.low[c]![i] = Math.min(bad.low[c]![i]!, bad.close[c]![i]!);
    }
  }
  const poisoned = await run(bad);
  for (const k of Object.keys(good.methods)) {
    assert.equal(poisoned.methods[k].threshold, good.methods[k].threshold, k);
    assert.deepEqual(poisoned.methods[k].validation, good.methods[k].validation, k);
  }
  assert.equal(poisoned.comparison!.best_alternative, good.comparison!.best_alternative);
  assert.deepEqual(poisoned.validation, good.validation);
  assert.notDeepEqual(poisoned.methods.buy_and_hold.test, good.methods.buy_and_hold.test, 'the poison reached the test hours');
});
