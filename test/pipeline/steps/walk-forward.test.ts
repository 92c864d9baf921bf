// Step 10 end to end on the tiny synthetic market: two folds, each a run of its own whose split never puts a training
// or validation hour closer than the embargo to its test block; the per-fold table agrees with each fold's own
// eval_results.json and backtest.json; the means agree with the table; the plot and the ETA line exist.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tinyPipeline } from './tiny-pipeline.ts';
import type { StepContext } from '../../../src/pipeline/context.ts';
import { runWalkForward, walkForwardFileSchema, walkForwardStats, WALK_FORWARD_FILE, WALK_FORWARD_PLOT, METRICS } from '../../../src/pipeline/steps/walk-forward.ts';
import { backtestFileSchema } from '../../../src/pipeline/steps/backtest.ts';
import { readArtifact, stepDir } from '../../../src/pipeline/artifact.ts';
import { readParquet } from '../../../src/data/parquet.ts';
import { SPLIT_CODE, EMBARGO } from '../../../src/data/split.ts';
import { readJson } from '../../../src/util/fs.ts';

const HOUR = 3_600_000;
let ctx: StepContext;
const logs: string[] = [];
before(async () => {
  ctx = await tinyPipeline({ train: { epochs: 1, batch_size: 64, threads: 1 } });
  ctx = { ...ctx, reporter: { log: (m) => logs.push(m), progress: () => ({ tick: () => {}, done: () => {} }) } };
});

test('two folds: expanding, disjoint test blocks beyond the embargo, per-fold figures from each fold\'s own files', async () => {
  const a = await runWalkForward(ctx, { folds: 2 });
  const root = stepDir(ctx.artifactsDir, 'walk_forward');
  const f = walkForwardFileSchema.parse(readJson(join(root, WALK_FORWARD_FILE)));
  assert.deepEqual(readArtifact(ctx.artifactsDir, 'walk_forward', walkForwardStats).stats, a.stats);
  assert.equal(f.folds.length, 2);
  const E = f.embargo_hours;
  assert.equal(E, ctx.config.sequences.window + ctx.config.evaluate.horizon);
  const main = await readParquet(join(stepDir(ctx.artifactsDir, 'clean'), 'clean.parquet'), { columns: ['open_time'] });
  const allTimes = main.open_time as Float64Array;

  let prevTest: Float64Array | null = null, prevTrainHours = 0;
  for (const fold of f.folds) {
    const dir = join(root, fold.folder);
    const sp = await readParquet(join(stepDir(dir, 'split'), 'split.parquet'), { columns: ['open_time', 'split'] });
    const t = sp.open_time as Float64Array, code = sp.split as Uint8Array;
    const test = t.filter((_, i) => code[i] === SPLIT_CODE.test);
    const before = t.filter((_, i) => code[i] === SPLIT_CODE.train || code[i] === SPLIT_CODE.val);
    assert.ok(test.length > 0);
    assert.ok(Math.max(...before) < test[0] - E * HOUR, `fold ${fold.fold}: a training or validation hour within ${E} h of the test block`);
    const lastTrain = Math.max(...t.filter((_, i) => code[i] === SPLIT_CODE.train));
    const firstVal = Math.min(...t.filter((_, i) => code[i] === SPLIT_CODE.val));
    assert.ok(firstVal > lastTrain + E * HOUR, 'the embargo also separates train and validation');
    assert.ok(code.every((c) => c === SPLIT_CODE.train || c === SPLIT_CODE.val || c === SPLIT_CODE.test || c === EMBARGO));
    if (prevTest) {
      assert.ok(test[0] > prevTest[prevTest.length - 1], 'test blocks do not overlap');
      assert.ok(before.includes(prevTest[0]) || before.some((x) => x > prevTest![0]), 'a later fold trains on the earlier test block');
    }
    assert.ok(fold.train.hours > prevTrainHours, 'the training window expands');
    prevTest = test; prevTrainHours = fold.train.hours;
    if (fold.fold === f.folds.length) assert.equal(test[test.length - 1], allTimes[allTimes.length - 1], 'the last block ends with the data');

    const ev = readJson(join(stepDir(dir, 'evaluate'), 'eval_results.json')) as { methods: Record<string, { accuracy_by_hour: { estimate: number }[]; log_loss_by_hour: number[] }> };
    const bt = backtestFileSchema.parse(readJson(join(stepDir(dir, 'backtest'), 'backtest.json')));
    assert.equal(fold.metrics.model.accuracy_h1, ev.methods.model.accuracy_by_hour[0].estimate);
    assert.equal(fold.metrics.markov.log_loss_h1, ev.methods.markov.log_loss_by_hour[0]);
    assert.ok('logistic' in fold.metrics && 'garch' in fold.metrics, 'the fold is evaluated with every baseline of evaluate');
    assert.equal(fold.metrics.model.brier_h1, (ev.methods.model as unknown as { brier_by_hour: number[] }).brier_by_hour[0]);
    assert.equal(fold.metrics.model.sharpe, bt.methods.model.test.sharpe);
    assert.equal(fold.metrics.buy_and_hold.total_return, bt.methods.buy_and_hold.test.total_return);
    assert.equal(fold.metrics.buy_and_hold.accuracy_h1, null);
  }
  for (const k of METRICS) {
    const v = f.folds.map((x) => x.metrics.model[k]).filter((x): x is number => x !== null);
    if (v.length) assert.ok(Math.abs(f.means.model[k].mean! - v.reduce((s, x) => s + x, 0) / v.length) < 1e-12, k);
  }
  assert.ok(f.means.model.accuracy_h1.low! <= f.means.model.accuracy_h1.mean! && f.means.model.accuracy_h1.mean! <= f.means.model.accuracy_h1.high!);
  assert.match(f.summary, /^mean over 2 folds .*model hour-1 accuracy/);
  const png = readFileSync(join(root, WALK_FORWARD_PLOT));
  assert.equal(png.subarray(1, 4).toString('ascii'), 'PNG');
  assert.ok(logs.some((l) => /fold 1\/2 done in [\d.]+ s: .*; ETA \d+ s/.test(l)), logs.join('\n'));
  assert.ok(logs.some((l) => /fold 2\/2 done in/.test(l)));
});
