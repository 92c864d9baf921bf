// Step 7 through its files: the headline is on the test split, every choice is made on validation, and poisoning the
// test split's candles leaves training, tuning choices and every validation figure byte-identical.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { fixtureContext, fixtureMarket, writeDownload } from './clean-fixture.ts';
import type { StepContext } from '../../../src/pipeline/context.ts';
import type { MarketTable } from '../../../src/data/candles.ts';
import { runClean } from '../../../src/pipeline/steps/clean.ts';
import { runSplit } from '../../../src/pipeline/steps/split.ts';
import { runTokenize, TOKENS_FILE } from '../../../src/pipeline/steps/tokenize.ts';
import { runSequences, sequencesFile } from '../../../src/pipeline/steps/sequences.ts';
import { runTrain, BEST_DIR } from '../../../src/pipeline/steps/train.ts';
import { runEvaluate, RESULTS_FILE, FORECASTS_FILE, CALIBRATION_PLOT } from '../../../src/pipeline/steps/evaluate.ts';
import { stepDir } from '../../../src/pipeline/artifact.ts';
import { readParquet } from '../../../src/data/parquet.ts';
import { SPLIT_CODE } from '../../../src/data/split.ts';
import { Rng } from '../../../src/util/rng.ts';
import { readSafetensors } from '../../../src/checkpoint/safetensors.ts';
import { tinyPipeline } from './tiny-pipeline.ts';
import { makeContext } from '../../../src/pipeline/context.ts';

const overrides = (calibrate: 'none' | 'temperature' = 'none') => ({
  sequences: { window: 12 },
  model: { embed_dim: 4, d_model: 8, n_heads: 2, n_layers: 1, d_ff: 16, dropout: 0.1 },
  train: { epochs: 2, batch_size: 64, threads: 1 },
  evaluate: { horizon: 4, bootstrap_samples: 50, calibrate },
});

async function runAll(table: MarketTable, calibrate: 'none' | 'temperature' = 'none'): Promise<StepContext> {
  const ctx = fixtureContext(overrides(calibrate), mkdtempSync(join(tmpdir(), 'tokcast-eval-')));
  await writeDownload(ctx, table);
  await runClean(ctx); await runSplit(ctx); await runTokenize(ctx, { plot: false }); await runSequences(ctx);
  await runTrain(ctx); await runEvaluate(ctx);
  return ctx;
}

const read = (ctx: StepContext, step: Parameters<typeof stepDir>[1], f: string) => readFileSync(join(stepDir(ctx.artifactsDir, step), f));
const results = (ctx: StepContext) => JSON.parse(read(ctx, 'evaluate', RESULTS_FILE).toString('utf8'));

let clean: StepContext, poisoned: StepContext, testStartMs: number;
before(async () => {
  const table = fixtureMarket(1000, 8);
  clean = await runAll(table, 'temperature');
  const split = JSON.parse(read(clean, 'split', 'split_artifact.json').toString('utf8'));
  testStartMs = split.stats.splits.find((s: { name: string }) => s.name === 'test').start_ms;
  // every candle of the test split changes: closes and volumes scaled by random factors, open/high/low kept consistent
  const rng = new Rng(99), bad = fixtureMarket(1000, 8);
  for (let i = 0; i < bad.openTime.length; i++) {
    if (bad.openTime[i]! < testStartMs) continue;
    for (let c = 0; c < bad.coins.length; c++) {
      const f = Math.exp(0.05 * rng.normal());
      bad.close[c]![i] = bad.close[c]![i]! * f;
      bad.high[c]![i] = Math.max(bad.high[c]![i]!, bad.close[c]![i]!);
      bad.low[c]![i] = Math.min(bad.low[c]![i]!, bad.close[c]![i]!);
      bad.volume[c]![i] = bad.volume[c]![i]! * (1 + 3 * rng.random());
    }
  }
  poisoned = await runAll(bad, 'temperature');
});

test('poisoning the test candles leaves edges, train/val tokens and windows, the trained weights and every validation figure byte-identical', async () => {
  assert.deepEqual(read(poisoned, 'tokenize', 'edges.json'), read(clean, 'tokenize', 'edges.json'));
  const cols = async (ctx: StepContext) => readParquet(join(stepDir(ctx.artifactsDir, 'tokenize'), TOKENS_FILE));
  const a = await cols(clean), b = await cols(poisoned);
  const split = a.split as Uint8Array;
  assert.deepEqual([...(b.split as Uint8Array)], [...split]);
  let testRows = 0;
  for (const name of Object.keys(a)) {
    for (let i = 0; i < split.length; i++) {
      if (split[i] === SPLIT_CODE.test) { testRows++; continue; }
      assert.equal(b[name]![i], a[name]![i], `${name} row ${i}`);
    }
  }
  assert.ok(testRows > 0);
  // the windows' tensors (the files' metadata carry the config hash, which covers the different artifacts folders)
  const tensors = (ctx: StepContext, s: string) => {
    const f = readSafetensors(join(stepDir(ctx.artifactsDir, 'sequences'), sequencesFile(s)));
    return Object.fromEntries(Object.entries(f.tensors).map(([k, t]) => [k, Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength)]));
  };
  for (const s of ['train', 'val']) assert.deepEqual(tensors(poisoned, s), tensors(clean, s), s);
  assert.notDeepEqual(tensors(poisoned, 'test').x, tensors(clean, 'test').x);
  assert.deepEqual(read(poisoned, 'train', `${BEST_DIR}/model.safetensors`), read(clean, 'train', `${BEST_DIR}/model.safetensors`));
  // every epoch's losses, accuracies, learning rate and gradient norm (wall-clock fields aside)
  const history = (ctx: StepContext) => (JSON.parse(read(ctx, 'train', 'history.json').toString('utf8')) as Record<string, unknown>[])
    .map(({ seconds: _s, samples_per_s: _r, ...rest }) => rest);
  assert.equal(JSON.stringify(history(poisoned)), JSON.stringify(history(clean)));
  const ra = results(clean), rb = results(poisoned);
  assert.equal(JSON.stringify(rb.validation), JSON.stringify(ra.validation));
  assert.equal(JSON.stringify(rb.selection), JSON.stringify(ra.selection));
  // the test figures did change: the poison reached the only split that evaluate scores
  assert.notEqual(JSON.stringify(rb.methods), JSON.stringify(ra.methods));
});

test('the headline is on the test split, with the baselines and temperature chosen on validation', () => {
  const r = results(clean);
  assert.equal(r.data, 'test split');
  assert.equal(r.headline.split, 'test');
  assert.ok(new Date(r.window_range.first).getTime() >= testStartMs, 'test windows start in the test split');
  assert.ok(new Date(r.validation.window_range.last).getTime() < testStartMs);
  for (const m of ['model', 'model_temperature', 'persistence', 'majority', 'prior_random', 'markov', 'window_majority', 'logistic', 'garch'])
    assert.ok(r.methods[m], `method ${m}`);
  const H = r.horizon;
  assert.equal(r.selection.temperature.length, H);
  assert.ok(r.selection.temperature.every((t: number) => t > 0));
  assert.equal(r.selection.made_on, 'validation split');
  // the baseline each test comparison uses is the one that was best on validation, hour by hour
  for (let h = 0; h < H; h++) {
    const cands = Object.keys(r.validation.methods).filter((n) => !['model', 'model_temperature', 'prior_random'].includes(n));
    const bestAcc = cands.reduce((b, n) => (r.validation.methods[n].accuracy_by_hour[h].estimate > r.validation.methods[b].accuracy_by_hour[h].estimate ? n : b));
    assert.equal(r.comparison[h].best_baseline, bestAcc, `hour ${h + 1}`);
    assert.equal(r.selection.best_baseline.accuracy[h], bestAcc);
    const probs = cands.filter((n) => r.validation.methods[n].log_loss_by_hour[h] !== null);
    const bestLl = probs.reduce((b, n) => (r.validation.methods[n].log_loss_by_hour[h] < r.validation.methods[b].log_loss_by_hour[h] ? n : b));
    assert.equal(r.log_loss_comparison[h].best_baseline, bestLl);
  }
  assert.equal(r.headline.hour_1.model_accuracy.estimate, r.methods.model.accuracy_by_hour[0].estimate);
  assert.equal(r.headline.hour_1.baseline_log_loss, r.methods[r.selection.best_baseline.log_loss[0]].log_loss_by_hour[0]);
  // temperature scaling keeps the argmax, so accuracy is unchanged
  assert.deepEqual(r.methods.model_temperature.accuracy_by_hour.map((a: { estimate: number }) => a.estimate),
    r.methods.model.accuracy_by_hour.map((a: { estimate: number }) => a.estimate));
  for (const m of Object.values(r.methods) as Array<{ brier_by_hour: (number | null)[]; ece_by_hour: (number | null)[] }>) {
    for (const b of m.brier_by_hour) if (b !== null) assert.ok(b >= 0 && b <= 2);
    for (const e of m.ece_by_hour) if (e !== null) assert.ok(e >= 0 && e <= 1);
  }
});

test('forecasts.parquet holds one row per (window, hour) of validation and test and reproduces the JSON figures', async () => {
  const r = results(clean);
  const dir = stepDir(clean.artifactsDir, 'evaluate');
  const f = await readParquet(join(dir, FORECASTS_FILE));
  const split = f.split as string[], hour = f.hour as Uint8Array, truth = f.true_token as Uint8Array;
  const H = r.horizon, V = r.classes;
  const rows = (s: string) => split.filter((x) => x === s).length;
  assert.equal(rows('test'), r.n_windows * H);
  assert.equal(rows('validation'), r.validation.n_windows * H);
  for (const m of Object.keys(r.methods)) assert.ok(f[`${m}_pred`], `${m}_pred`);
  for (const [s, rep] of [['test', r], ['validation', r.validation]] as const) {
    // the validation report has no model_temperature (the temperature is fitted there); the parquet has its rows
    for (const m of ['model', 'model_temperature', 'logistic', 'garch', 'markov'].filter((x) => rep.methods[x])) {
      for (let h = 1; h <= H; h++) {
        let n = 0, hit = 0, ll = 0;
        for (let k = 0; k < split.length; k++) {
          if (split[k] !== s || hour[k] !== h || truth[k] >= V) continue;
          n++;
          if ((f[`${m}_pred`] as Uint8Array)[k] === truth[k]) hit++;
          ll -= Math.log(Math.max((f[`${m}_p${truth[k]}`] as Float64Array)[k]!, 1e-12));
          let sum = 0;
          for (let j = 0; j < V; j++) sum += (f[`${m}_p${j}`] as Float64Array)[k]!;
          assert.ok(Math.abs(sum - 1) < 1e-6);
        }
        assert.ok(Math.abs(hit / n - rep.methods[m].accuracy_by_hour[h - 1].estimate) < 1e-12, `${s} ${m} hour ${h} accuracy`);
        assert.ok(Math.abs(ll / n - rep.methods[m].log_loss_by_hour[h - 1]) < 1e-9, `${s} ${m} hour ${h} log loss`);
      }
    }
  }
  // times: the forecast hour is the origin plus the hour ahead; realised returns are log returns of the target's closes
  const origin = f.origin as string[], target = f.target_hour as string[], ret = f.realised_return as Float64Array;
  for (let k = 0; k < split.length; k += 37) {
    assert.equal(Date.parse(target[k]!) - Date.parse(origin[k]!), hour[k]! * 3600e3);
    if (truth[k]! < V) assert.ok(Number.isFinite(ret[k]!) && Math.abs(ret[k]!) < 0.5);
  }
  const first = split.indexOf('test');
  assert.equal(Date.parse((f.window_start as string[])[first]!), Date.parse(r.window_range.first));
  const png = readFileSync(join(dir, CALIBRATION_PLOT));
  assert.equal(png.subarray(1, 4).toString('ascii'), 'PNG');
  assert.ok(png.readUInt32BE(16) > 600, 'three hour panels side by side');
});

test('intervals use a block length chosen from each series (bootstrap_block: auto)', () => {
  const r = results(clean);
  assert.equal(r.bootstrap.block, 'auto');
  const blocks = Object.values(r.methods).flatMap((m) => (m as { accuracy_by_hour: { block: number }[] }).accuracy_by_hour.map((a) => a.block));
  assert.ok(blocks.every((b) => Number.isInteger(b) && b >= 1));
  assert.ok(r.comparison.every((c: { difference: { block: number } }) => c.difference.block >= 1));
});

test('out of sample: fresh candles are scored with the validation choices, every file in its own folder', async () => {
  const ctx = await tinyPipeline({ train: { epochs: 1, batch_size: 64, threads: 1 } });
  await runTrain(ctx);
  await runEvaluate(ctx);
  const later = makeContext({ ...ctx.config, data: { ...ctx.config.data, start: '2022-03-01', end: '2022-03-15' } }, undefined, ctx.artifactsDir);
  const a = await runEvaluate(later, { outOfSample: true });
  assert.equal(a.stats.headline_split, 'out-of-sample');
  const dir = join(stepDir(ctx.artifactsDir, 'evaluate'), a.stats.folder);
  const r = JSON.parse(readFileSync(join(dir, RESULTS_FILE), 'utf8'));
  const main = JSON.parse(readFileSync(join(stepDir(ctx.artifactsDir, 'evaluate'), RESULTS_FILE), 'utf8'));
  assert.equal(JSON.stringify(r.selection), JSON.stringify(main.selection), 'the choices come from validation, unchanged');
  assert.ok(r.methods.garch && r.methods.logistic);
  assert.ok(new Date(r.window_range.first).getTime() >= Date.UTC(2022, 2, 1) - 24 * 3600e3);
  const f = await readParquet(join(dir, FORECASTS_FILE));
  assert.equal((f.split as string[]).filter((s) => s === 'out-of-sample').length, r.n_windows * r.horizon);
  assert.ok(readFileSync(join(dir, CALIBRATION_PLOT)).length > 1000);
});
