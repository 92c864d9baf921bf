// The trader's view of step 8: token meanings from edges.json, hour 1 = the model's probabilities, P(up) = the up
// bins' sum, return quantiles that match the mixture of the bins' training returns, the verdict with step 7's skill.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { StepContext } from '../../src/pipeline/context.ts';
import { stepDir } from '../../src/pipeline/artifact.ts';
import { runInference, predictionsSchema, type Predictions } from '../../src/pipeline/steps/inference.ts';
import { runEvaluate } from '../../src/pipeline/steps/evaluate.ts';
import { binLabels, QUANTILES } from '../../src/pipeline/readable-forecast.ts';
import { readEdgesFile } from '../../src/tokenize/edges-file.ts';
import { readParquet } from '../../src/data/parquet.ts';
import { SPLIT_CODE } from '../../src/data/split.ts';
import { readJson } from '../../src/util/fs.ts';
import { buildPipeline, removeTempDirs } from './fresh-fixture.ts';

let ctx: StepContext;
const logs: string[] = [];
before(async () => {
  ctx = await buildPipeline();
  ctx = { ...ctx, reporter: { log: (m) => logs.push(m), progress: () => ({ tick: () => {}, done: () => {} }) } };
});
after(() => removeTempDirs());

const read = (file: string): Predictions => predictionsSchema.parse(readJson(join(stepDir(ctx.artifactsDir, 'inference'), file)));

test('labels say what each token means, from the bin edges', () => {
  const l = binLabels([[null, Math.log1p(-0.0031)], [Math.log1p(-0.0031), Math.log1p(0.0029)], [Math.log1p(0.0029), null]]);
  assert.deepEqual(l.map((x) => `${x.name}: ${x.meaning}`), ['down: below -0.31%', 'flat: -0.31% to +0.29%', 'up: above +0.29%']);
  const four = binLabels([[null, -0.01], [-0.01, 0], [0, 0.01], [0.01, null]]);
  assert.deepEqual(four.map((x) => x.name), ['down 1', 'down 2', 'up 1', 'up 2']);
});

test('per hour: probabilities, P(up), quantiles of the return that match the bins\' training returns; a verdict', async () => {
  const a = await runInference(ctx, { horizon: 1, paths: 4000 });
  const p = read(a.stats.predictions_file);
  const r = p.readable!;
  const ranges = readEdgesFile(join(stepDir(ctx.artifactsDir, 'tokenize'), 'edges.json')).per_coin.XRP!.price.ranges;
  assert.deepEqual(r.labels, binLabels(ranges));
  const h1 = r.hours[0];
  r.labels.forEach((l, j) => assert.ok(Math.abs(h1.probabilities[l.name] - p.hours[0].probabilities[j]) < 1e-6, 'hour 1 = the model'));
  assert.ok(Math.abs(h1.p_up - p.hours[0].probabilities[2]) < 1e-6);
  assert.ok(Math.abs(h1.p_down - p.hours[0].probabilities[0]) < 1e-6);

  // hour 1's return is a mixture of each bin's training returns, weighted by the model's probabilities
  const cols = await readParquet(join(stepDir(ctx.artifactsDir, 'clean'), 'clean.parquet'), { columns: ['XRP_close'] });
  const tok = await readParquet(join(stepDir(ctx.artifactsDir, 'tokenize'), 'tokens.parquet'), { columns: ['split', 'XRP_price'] });
  const close = cols.XRP_close as Float64Array, sp = tok.split as Uint8Array, tk = tok.XRP_price as Uint8Array;
  const bins: number[][] = [[], [], []];
  for (let i = 1; i < close.length; i++) if (sp[i] === SPLIT_CODE.train && tk[i] < 3) bins[tk[i]].push(Math.log(close[i] / close[i - 1]));
  const cdf = (x: number) => bins.reduce((s, b, j) => s + p.hours[0].probabilities[j] * b.filter((v) => v <= Math.log1p(x)).length / b.length, 0);
  for (const q of QUANTILES) {
    const v = h1.cumulative_return[`${Math.round(q * 100)}%`];
    assert.ok(Math.abs(cdf(v) - q) < 0.03, `quantile ${q}: mixture CDF ${cdf(v)}`);
  }
  assert.match(r.verdict, /^next hour .*P\(up\) \d\.\d\d.*skill not measured yet.*Not advice\.$/);
  assert.ok(logs.some((l) => l.startsWith('XRP: last close ')));
  assert.ok(logs.some((l) => l.includes('down: below -')));
});

test('later hours: quantiles widen with the horizon, shares sum to one; the verdict carries step 7\'s skill', async () => {
  await runEvaluate(ctx);
  const a = await runInference(ctx, { horizon: 3, paths: 2000 });
  const r = read(a.stats.predictions_file).readable!;
  assert.equal(r.hours.length, 3);
  for (const h of r.hours) {
    const qs = QUANTILES.map((q) => h.cumulative_return[`${Math.round(q * 100)}%`]);
    assert.ok(qs.every((v, i) => i === 0 || v >= qs[i - 1]), 'quantiles ascend');
    assert.ok(Math.abs(Object.values(h.probabilities).reduce((s, x) => s + x, 0) - 1) < 1e-6);
  }
  const spread = (h: (typeof r.hours)[number]) => h.cumulative_return['95%'] - h.cumulative_return['5%'];
  assert.ok(spread(r.hours[2]) > spread(r.hours[0]), 'three hours spread wider than one');
  const ev = readJson(join(stepDir(ctx.artifactsDir, 'evaluate'), 'eval_results.json')) as { comparison: { hour: number; model_accuracy: number; best_baseline: string }[] };
  const c = ev.comparison.find((x) => x.hour === 1)!;
  assert.equal(r.skill!.model_accuracy, c.model_accuracy);
  assert.ok(r.verdict.includes(`${(c.model_accuracy * 100).toFixed(1)}% vs`) && r.verdict.includes(c.best_baseline));
  // the same seed draws the same paths
  const b = await runInference(ctx, { horizon: 3, paths: 2000 });
  assert.deepEqual(read(b.stats.predictions_file).readable!.hours, r.hours);
});
