// Step 10 walk-forward (docs/walk-forward.md): K expanding-window folds over the cleaned hours. Each fold is a run of
// its own in fold_<k>/ (the cleaned hours up to the end of its test block, split by date with an embargo, tokenized,
// windowed, trained from scratch with the config as it is: nothing is tuned), evaluated on its test block against the
// baselines and backtested there; walk_forward.json holds the per-fold table and the mean of every metric over the
// folds with a Student-t interval, walk_forward.png the per-fold figures.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { Config } from '../../config/schema.ts';
import { makeContext, type StepContext } from '../context.ts';
import type { Reporter } from '../../util/reporter.ts';
import { writeArtifact, readArtifact, startTimer, inputRef, stepDir, type Artifact } from '../artifact.ts';
import { cleanStats, CLEAN_FILE } from './clean.ts';
import { runSplit, effectiveEmbargoHours } from './split.ts';
import { runTokenize } from './tokenize.ts';
import { runSequences } from './sequences.ts';
import { runTrain } from './train.ts';
import { runEvaluate, RESULTS_FILE } from './evaluate.ts';
import { runBacktest, backtestFileSchema, BACKTEST_FILE } from './backtest.ts';
import { readParquet, writeParquet, type Columns } from '../../data/parquet.ts';
import { planFolds, meanOverFolds, type FoldMean, type FoldPlan } from '../../evaluate/folds.ts';
import { renderPng } from '../../plots/render.ts';
import { walkForwardSpec } from '../../plots/specs/walk-forward.ts';
import { readJson, writeJsonAtomic } from '../../util/fs.ts';
import { UserError } from '../../util/errors.ts';
import { isoHour } from '../../util/calendar.ts';

export const WALK_FORWARD_FILE = 'walk_forward.json';
export const WALK_FORWARD_PLOT = 'walk_forward.png';
/** metrics of the forecasts (hour 1 and the mean over hours) and of the backtest, per method and fold */
export const FORECAST_METRICS = ['accuracy_h1', 'log_loss_h1', 'brier_h1', 'ece_h1', 'mean_accuracy'] as const;
export const TRADING_METRICS = ['sharpe', 'sortino', 'total_return', 'annualized_return', 'max_drawdown', 'turnover', 'hit_rate', 'exposure'] as const;
export const METRICS = [...FORECAST_METRICS, ...TRADING_METRICS] as const;

const span = z.object({ first: z.string(), last: z.string(), hours: z.number().int().min(0) }).strict();
const value = z.number().nullable();
const foldMean = z.object({ values: z.array(value), mean: value, low: value, high: value }).strict();
export const walkForwardFileSchema = z.object({
  created_at: z.string(),
  target_coin: z.string(),
  folds_requested: z.number().int().positive(),
  embargo_hours: z.number().int().min(0),
  initial_train_fraction: z.number(),
  val_fraction: z.number(),
  confidence: z.number(),
  method: z.string(),
  not_advice: z.string(),
  folds: z.array(z.object({
    fold: z.number().int().positive(), folder: z.string(),
    train: span, validation: span, test: span,
    epochs_run: z.number().int(), best_epoch: z.number().int(), seconds: z.number().min(0),
    metrics: z.record(z.string(), z.record(z.string(), value)),
  }).strict()),
  /** per method and metric: the fold values, their mean and interval */
  means: z.record(z.string(), z.record(z.string(), foldMean)),
  summary: z.string(),
}).strict();
export type WalkForwardFile = z.infer<typeof walkForwardFileSchema>;

export const walkForwardStats = z.object({
  folds: z.number().int(),
  embargo_hours: z.number().int(),
  seconds_per_fold: z.array(z.number()),
  model_mean: z.record(z.string(), value),
}).strict();
export type WalkForwardStats = z.infer<typeof walkForwardStats>;

const evalResultsSchema = z.object({
  data: z.string(),
  methods: z.record(z.string(), z.object({
    accuracy_by_hour: z.array(z.object({ estimate: z.number() }).loose()), log_loss_by_hour: z.array(z.number().nullable()),
    brier_by_hour: z.array(z.number().nullable()).optional(), ece_by_hour: z.array(z.number().nullable()).optional(), mean_accuracy: z.number().nullable(),
  }).loose()),
}).loose();
/** A fold's steps report through this: progress bars prefixed with the fold; their log lines only with `verbose`
 *  (each fold's full report is in its folder), so the terminal shows one line per fold with its time and the ETA. */
const foldReporter = (r: Reporter, p: string, verbose: boolean): Reporter => ({
  log: (m) => { if (verbose) r.log(`${p}${m}`); }, progress: (l, t, u) => r.progress(`${p}${l}`, t, u),
});
const finite = (x: number | null | undefined) => (x !== null && x !== undefined && Number.isFinite(x) ? x : null);

/** The config of one fold: the cleaned hours split by date at the fold's boundaries, with the embargo. */
export function foldConfig(config: Config, openTime: ArrayLike<number>, f: FoldPlan, embargoHours: number): Config {
  return { ...config, split: { ...config.split, mode: 'date', train_end: isoHour(openTime[f.trainEnd]), val_end: isoHour(openTime[f.valEnd]), embargo_hours: embargoHours } };
}

/** Runs one fold in `dir` from the cleaned columns (already cut at the fold's test end); returns its metrics. */
async function runFold(ctx: StepContext, dir: string): Promise<{ metrics: Record<string, Record<string, number | null>>; epochs: number; best: number }> {
  await runSplit(ctx);
  await runTokenize(ctx, { plot: false });
  await runSequences(ctx);
  const trained = await runTrain(ctx, { pretrained: false });
  // evaluate as step 7 does: baselines fitted on the fold's training part, every choice on its validation part,
  // the figures on its test block
  await runEvaluate(ctx);
  const ev = evalResultsSchema.parse(readJson(join(stepDir(dir, 'evaluate'), RESULTS_FILE)));
  if (ev.data !== 'test split') throw new UserError(`walk-forward: ${dir}: evaluate scored the ${ev.data}, not the fold's test block`);
  const report = ev;
  await runBacktest(ctx);
  const bt = backtestFileSchema.parse(readJson(join(stepDir(dir, 'backtest'), BACKTEST_FILE)));
  const metrics: Record<string, Record<string, number | null>> = {};
  for (const [name, r] of Object.entries(report.methods)) {
    metrics[name] = {
      accuracy_h1: finite(r.accuracy_by_hour[0]?.estimate), log_loss_h1: finite(r.log_loss_by_hour[0]), brier_h1: finite(r.brier_by_hour?.[0]),
      ece_h1: finite(r.ece_by_hour?.[0]), mean_accuracy: finite(r.mean_accuracy),
    };
  }
  for (const [name, b] of Object.entries(bt.methods)) {
    metrics[name] ??= Object.fromEntries(FORECAST_METRICS.map((k) => [k, null]));
    for (const k of TRADING_METRICS) metrics[name][k] = finite(b.test[k]);
  }
  return { metrics, epochs: trained.stats.epochs_run, best: trained.stats.best_epoch };
}

/** Runs step 10 (opts.folds: K, default walk_forward.folds; opts.verbose: the folds' own step logs too). Prints the time of every fold and the ETA. */
export async function runWalkForward(ctx: StepContext, opts: { folds?: number; verbose?: boolean } = {}): Promise<Artifact<WalkForwardStats>> {
  const timer = startTimer();
  const { config, artifactsDir, reporter } = ctx;
  const K = opts.folds ?? config.walk_forward.folds;
  const clean = readArtifact(artifactsDir, 'clean', cleanStats);
  const cols = await readParquet(join(stepDir(artifactsDir, 'clean'), CLEAN_FILE));
  const openTime = cols.open_time as Float64Array;
  const T = config.sequences.window, H = config.evaluate.horizon;
  const embargo = Math.max(effectiveEmbargoHours(config), T + H);
  const valFraction = config.split.val_ratio / (config.split.train_ratio + config.split.val_ratio);
  const plan = planFolds(openTime, { folds: K, initialFraction: config.walk_forward.initial_train_fraction, valFraction, embargoHours: embargo, minRows: T + H + 1 });
  const root = stepDir(artifactsDir, 'walk_forward');
  const weight = plan.map((f) => f.testEnd + 1); // a fold's work grows with the hours it reads
  const folds: WalkForwardFile['folds'] = [];
  let done = 0, doneWeight = 0;
  reporter.log(`walk-forward: ${K} folds, test blocks from ${isoHour(openTime[plan[0].testStart])}, embargo ${embargo} h, a fresh model per fold`);
  for (const f of plan) {
    const t0 = performance.now();
    const folder = `fold_${f.fold}`, dir = join(root, folder);
    rmSync(dir, { recursive: true, force: true });
    const cut: Columns = Object.fromEntries(Object.entries(cols).map(([k, v]) => [k, v.slice(0, f.testEnd + 1)])) as Columns;
    await writeParquet(join(stepDir(dir, 'clean'), CLEAN_FILE), cut);
    writeArtifact(dir, 'clean', cleanStats, clean);
    const fctx = makeContext(foldConfig(config, openTime, f, embargo), foldReporter(reporter, `  fold ${f.fold}/${K}: `, opts.verbose ?? false), dir);
    reporter.log(`walk-forward: fold ${f.fold}/${K}: train .. ${isoHour(openTime[f.trainEnd])}, validation .. ${isoHour(openTime[f.valEnd])}, ` +
      `test ${isoHour(openTime[f.testStart])} .. ${isoHour(openTime[f.testEnd])}`);
    const r = await runFold(fctx, dir);
    const split = readArtifact(dir, 'split', z.object({ splits: z.array(z.object({ name: z.string(), start: z.string(), end: z.string(), rows: z.number() }).loose()) }).loose());
    const spanOf = (name: string) => { const s = split.stats.splits.find((x) => x.name === name)!; return { first: s.start, last: s.end, hours: s.rows }; };
    const seconds = (performance.now() - t0) / 1000;
    folds.push({ fold: f.fold, folder, train: spanOf('train'), validation: spanOf('val'), test: spanOf('test'), epochs_run: r.epochs, best_epoch: r.best, seconds, metrics: r.metrics });
    done += seconds; doneWeight += weight[f.fold - 1];
    const left = weight.slice(f.fold).reduce((a, b) => a + b, 0) * (done / doneWeight);
    const m = r.metrics.model ?? {};
    reporter.log(`walk-forward: fold ${f.fold}/${K} done in ${seconds.toFixed(1)} s: model hour-1 accuracy ${pct(m.accuracy_h1)}, log loss ${fix(m.log_loss_h1, 3)}, ` +
      `Sharpe ${fix(m.sharpe, 2)}${f.fold < K ? `; ETA ${left.toFixed(0)} s` : ''}`);
  }

  const methods = [...new Set(folds.flatMap((f) => Object.keys(f.metrics)))];
  const means: Record<string, Record<string, FoldMean>> = {};
  for (const name of methods) {
    means[name] = Object.fromEntries(METRICS.map((k) => [k, meanOverFolds(folds.map((f) => f.metrics[name]?.[k] ?? null), config.evaluate.confidence)]));
  }
  const file: WalkForwardFile = {
    created_at: new Date().toISOString(), target_coin: config.data.target_coin, folds_requested: K, embargo_hours: embargo,
    initial_train_fraction: config.walk_forward.initial_train_fraction, val_fraction: valFraction, confidence: config.evaluate.confidence,
    method: 'expanding window: fold k trains a fresh model on every hour before its test block (the last val_fraction as validation, which ' +
      'chooses the best epoch and the backtest thresholds), embargo_hours dropped before validation and before the test block; nothing is tuned. ' +
      'Means over folds with a Student-t interval at the given confidence.',
    not_advice: 'The trading figures are historical simulations under the assumptions in each fold\'s backtest.json, not investment advice.',
    folds, means, summary: summaryOf(means, K, config.evaluate.confidence),
  };
  writeJsonAtomic(join(root, WALK_FORWARD_FILE), walkForwardFileSchema.parse(file));
  await renderPng(walkForwardSpec(folds.flatMap((f) => methods.flatMap((method) => (['accuracy_h1', 'log_loss_h1', 'sharpe'] as const).map((metric) => ({
    fold: f.fold, method, metric, value: f.metrics[method]?.[metric] ?? null,
  }))))), join(root, WALK_FORWARD_PLOT));

  reporter.log(`walk-forward: ${file.summary}`);
  reporter.log('walk-forward: mean over folds [interval]');
  for (const name of methods) {
    const s = means[name];
    reporter.log(`  ${name.padEnd(17)} acc h1 ${meanText(s.accuracy_h1, 100)}  log loss h1 ${meanText(s.log_loss_h1, 1, 3)}  Sharpe ${meanText(s.sharpe, 1)}`);
  }
  const stats: WalkForwardStats = {
    folds: K, embargo_hours: embargo, seconds_per_fold: folds.map((f) => f.seconds),
    model_mean: Object.fromEntries(METRICS.map((k) => [k, means.model?.[k]?.mean ?? null])),
  };
  const artifact: Artifact<WalkForwardStats> = {
    step: 'walk_forward', version: 1, created_at: file.created_at, config_hash: ctx.configHash, seed: config.seed,
    inputs: [inputRef(artifactsDir, 'clean', clean)], timings: timer.finish(), files: [WALK_FORWARD_FILE, WALK_FORWARD_PLOT, ...folds.map((f) => `${f.folder}/`)], stats,
  };
  writeArtifact(artifactsDir, 'walk_forward', walkForwardStats, artifact);
  return artifact;
}

/** One line: the model's mean hour-1 accuracy, log loss and Sharpe over the folds beside the best baseline's. */
function summaryOf(means: Record<string, Record<string, FoldMean>>, K: number, confidence: number): string {
  const m = means.model;
  if (!m) return 'no model figures';
  const others = Object.keys(means).filter((k) => k !== 'model' && k !== 'prior_random');
  const best = (metric: string, higher: boolean) => others.filter((k) => means[k][metric]?.mean !== null)
    .reduce<string | null>((a, k) => (a === null || (higher ? means[k][metric].mean! > means[a][metric].mean! : means[k][metric].mean! < means[a][metric].mean!) ? k : a), null);
  const part = (label: string, metric: string, higher: boolean, scale: number, d: number) => {
    const b = best(metric, higher);
    return `${label} ${meanText(m[metric], scale, d)}${b ? ` vs ${b} ${meanText(means[b][metric], scale, d)}` : ''}`;
  };
  return `mean over ${K} folds [${Math.round(confidence * 100)}% t-interval]: model ${part('hour-1 accuracy (%)', 'accuracy_h1', true, 100, 1)}; ` +
    `${part('hour-1 log loss', 'log_loss_h1', false, 1, 3)}; ${part('test Sharpe', 'sharpe', true, 1, 2)} (the best baseline by its mean on each figure)`;
}

const pct = (x: number | null | undefined) => (x === null || x === undefined ? '-' : `${(x * 100).toFixed(1)}%`);
const fix = (x: number | null | undefined, d: number) => (x === null || x === undefined ? '-' : x.toFixed(d));
const meanText = (m: FoldMean, scale: number, d = 2) => (m.mean === null ? '-' : `${(m.mean * scale).toFixed(d)} [${m.low === null ? '-' : (m.low * scale).toFixed(d)}, ${m.high === null ? '-' : (m.high * scale).toFixed(d)}]`);
