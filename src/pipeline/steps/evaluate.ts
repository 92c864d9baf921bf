// Step 7 evaluate (docs/evaluation.md): H-hour autoregressive forecasts of the best checkpoint on the test windows (or on
// other candles with --source/--data-dir, written to their own folder), against persistence, majority class,
// class-prior random, a Markov chain, the window majority, multinomial logistic regression and GARCH(1,1)-t, all
// fitted on the training split. The validation split makes every choice (logistic L2, best baseline per hour,
// temperature); the test split is read here only. Block-bootstrap intervals for every accuracy and difference.
import { join } from 'node:path';
import { z } from 'zod';
import type { StepContext } from '../context.ts';
import { writeArtifact, readArtifact, startTimer, inputRef, stepDir, type Artifact } from '../artifact.ts';
import { sequencesStats, sequencesFile, readTokenTable } from './sequences.ts';
import { tokenizeStats, TOKENS_FILE, EDGES_FILE } from './tokenize.ts';
import { trainStats, BEST_DIR } from './train.ts';
import { retractArtifact } from './clean.ts';
import { modelConfigFrom, readSequenceSet } from '../model-setup.ts';
import { loadCheckpoint } from '../../checkpoint/manifest.ts';
import { Forecaster } from '../../train/forecaster.ts';
import { fitBaselines, baselineForecasts, NOT_CANDIDATES, type FittedBaselines } from '../../evaluate/suite.ts';
import { buildReport, hourProbs, type EvaluationReport, type MethodForecast, type BaselineChoice } from '../../evaluate/report.ts';
import { applyTemperature, fitTemperature, reliability } from '../../evaluate/calibration.ts';
import { forecastColumns, realisedReturns, type ForecastBlock } from '../../evaluate/forecast-table.ts';
import { reliabilitySpec } from '../../plots/specs/calibration.ts';
import { bestPerHour } from '../../evaluate/select.ts';
import { readParquet, writeParquet } from '../../data/parquet.ts';
import { wideColumn } from '../../data/candles.ts';
import { logReturns } from '../../tokenize/returns.ts';
import { readEdgesFile, edgesOf } from '../../tokenize/edges-file.ts';
import { CLEAN_FILE } from './clean.ts';
import { SPLIT_CODE } from '../../data/split.ts';
import { writeJsonAtomic } from '../../util/fs.ts';
import { UserError } from '../../util/errors.ts';
import { renderPng } from '../../plots/render.ts';
import { accuracyByHourSpec, confusionSpec } from '../../plots/specs/evaluation.ts';
import type { ModelConfig } from '../../model/config.ts';
import type { Params } from '../../model/params.ts';

export const evaluateStats = z.object({
  data: z.string(),
  folder: z.string(),
  n_windows: z.number().int(),
  horizon: z.number().int(),
  volume_policy: z.string(),
  /** where the headline numbers come from: the test split, the validation split (no test split), or fresh candles */
  headline_split: z.enum(['test', 'validation', 'out-of-sample']),
  accuracy_by_hour: z.record(z.string(), z.array(z.number())),
  mean_accuracy: z.record(z.string(), z.number()),
  model_better_hours: z.array(z.number().int()),
  model_worse_hours: z.array(z.number().int()),
  /** per hour, the baseline with the best validation accuracy (the one the model is compared with) */
  best_baseline_by_hour: z.array(z.string()),
  summary: z.string(),
  seconds_forecast: z.number(),
}).strict();
export type EvaluateStats = z.infer<typeof evaluateStats>;

export const RESULTS_FILE = 'eval_results.json';
export const CALIBRATION_PLOT = 'calibration.png';
export const FORECASTS_FILE = 'forecasts.parquet';

/** Windows to evaluate: tokens (N,T,C,K), the true target tokens of the next H hours, window start times; `row`
 *  (each window's first row) and `returns` (the target's log returns over those rows) feed the GARCH baseline. */
export interface EvalWindows { x: Uint8Array; future: Uint8Array; N: number; H: number; t0: Float64Array; row?: Int32Array | null; returns?: Float64Array }

export interface EvaluateOptions {
  horizon: number; policy: 'persist' | 'mode'; samples: number; confidence: number; seed: number; threads: number;
  /** bootstrap block length in hours, or 'auto' (Politis-White per interval) @default T */
  block?: number | 'auto';
  /** baselines fitted beforehand (training data, choices on validation); by default only the ones fitted on trainTarget */
  baselines?: FittedBaselines;
  /** best baseline per hour chosen on validation; by default the best on these windows */
  bestBaselines?: BaselineChoice;
  /** per-hour temperatures fitted on validation: adds the method `model_temperature` */
  temperature?: number[] | null;
}

export interface WindowsEvaluation {
  report: EvaluationReport;
  secondsForecast: number;
  /** every method's forecasts (N, H) and the true tokens (N, H) they were scored on */
  forecasts: Record<string, MethodForecast>;
  truth: Uint8Array;
}

/** The model's H-hour forecasts of every window: one run of the unrolled forecast graph per batch. */
export async function modelForecasts(model: ModelConfig, params: Params, w: EvalWindows, H: number, modeTokens: Uint8Array,
  opts: { policy: 'persist' | 'mode'; threads: number }): Promise<{ pred: Uint8Array; probs: Float64Array; seconds: number }> {
  const { T, C, K, V } = model;
  const N = w.N, row = C * K, win = T * row;
  const t0 = performance.now();
  const forecaster = await Forecaster.create(model, params, { horizon: H, threads: opts.threads });
  const pred = new Uint8Array(N * H), probs = new Float64Array(N * H * V);
  try {
    const bs = 512;
    for (let b0 = 0; b0 < N; b0 += bs) {
      const B = Math.min(bs, N - b0);
      const x = Int32Array.from(w.x.subarray(b0 * win, (b0 + B) * win));
      let fill: Int32Array | undefined;
      if (opts.policy === 'mode') {
        fill = new Int32Array(B * row);
        for (let i = 0; i < B; i++) fill.set(modeTokens, i * row);
      }
      const r = await forecaster.forecast(x, fill);
      for (let i = 0; i < B * H; i++) pred[b0 * H + i] = r.tokens[i];
      for (let i = 0; i < B * H * V; i++) probs[b0 * H * V + i] = r.proba[i];
    }
  } finally {
    await forecaster.dispose();
  }
  return { pred, probs, seconds: (performance.now() - t0) / 1000 };
}

/** Applies per-hour temperatures to (N, H, V) probabilities. */
export function temperatureScaled(f: MethodForecast, N: number, H: number, V: number, temps: number[]): MethodForecast {
  const probs = new Float64Array(N * H * V);
  for (let h = 0; h < H; h++) {
    const p = applyTemperature(hourProbs(f.probs!, N, H, V, h), V, temps[h]);
    for (let i = 0; i < N; i++) for (let j = 0; j < V; j++) probs[(i * H + h) * V + j] = p[i * V + j];
  }
  return { pred: f.pred, probs };
}

/** Forecasts with the model and every baseline on the same windows and builds the report. */
export async function evaluateWindows(model: ModelConfig, params: Params, w: EvalWindows, trainTarget: Uint8Array, modeTokens: Uint8Array,
  opts: EvaluateOptions): Promise<WindowsEvaluation> {
  const { T, C, K, V, target_coin } = model;
  const H = Math.min(opts.horizon, w.H);
  if (H < opts.horizon) throw new UserError(`evaluate: the windows carry ${w.H} future hours, fewer than the horizon ${opts.horizon}; rerun \`tokcast pipeline sequences\` with evaluate.horizon >= ${opts.horizon}`);
  const N = w.N;
  const truth = new Uint8Array(N * H);
  for (let i = 0; i < N; i++) for (let h = 0; h < H; h++) truth[i * H + h] = w.future[i * w.H + h];
  const m = await modelForecasts(model, params, w, H, modeTokens, opts);
  const baselines = opts.baselines ?? fitBaselines({ T, C, K, V, targetCoin: target_coin }, H, { trainTarget });
  if (baselines.horizon !== H) throw new Error(`evaluate: baselines were fitted for ${baselines.horizon} hours, not ${H}`);
  const methods: Record<string, MethodForecast> = {
    model: { pred: m.pred, probs: m.probs },
    ...baselineForecasts(baselines, { x: w.x, N, returns: w.returns, row: w.row ?? undefined }, opts.seed),
  };
  return rescore({ forecasts: methods, truth, secondsForecast: m.seconds }, T, V, opts);
}

/** Scores forecasts already made (adding the temperature-scaled model when temperatures are given). */
export function rescore(e: { forecasts: Record<string, MethodForecast>; truth: Uint8Array; secondsForecast: number },
  T: number, V: number, opts: EvaluateOptions): WindowsEvaluation {
  const { model, model_temperature: _old, ...rest } = e.forecasts;
  const H = opts.horizon, N = e.truth.length / H;
  const methods: Record<string, MethodForecast> = { model: model! };
  if (opts.temperature) methods.model_temperature = temperatureScaled(model!, N, H, V, opts.temperature);
  Object.assign(methods, rest);
  const truth = e.truth;
  // default block length T: windows T hours apart share no input hours ('auto' chooses it from each series). prior_random is reported but not a candidate for
  // "best baseline": its expected accuracy (sum of squared priors) never exceeds majority's, so picking it would only
  // reward its luck on this sample (a winner's-curse bias against the model).
  const report = buildReport(methods, truth, N, H, V, {
    samples: opts.samples, confidence: opts.confidence, block: opts.block ?? T, seed: opts.seed, notCandidates: NOT_CANDIDATES,
    notBaselines: ['model_temperature'], bestBaselines: opts.bestBaselines,
  });
  return { report, secondsForecast: e.secondsForecast, forecasts: methods, truth };
}

/** Baselines that may be "the best baseline" in a report. */
export function baselineCandidates(report: EvaluationReport): string[] {
  return Object.keys(report.methods).filter((n) => n !== 'model' && n !== 'model_temperature' && !NOT_CANDIDATES.includes(n));
}

/** Per hour, the baseline with the best validation accuracy and the one with the best validation log loss. */
export function chooseBaselines(val: EvaluationReport): BaselineChoice {
  const cands = baselineCandidates(val);
  const acc = Object.fromEntries(cands.map((n) => [n, val.methods[n]!.accuracy_by_hour.map((a) => a.estimate)]));
  const ll = Object.fromEntries(cands.map((n) => [n, val.methods[n]!.log_loss_by_hour.map((l) => l ?? NaN)]));
  return { accuracy: bestPerHour(acc, cands, true), log_loss: bestPerHour(ll, cands, false) };
}

/** The numbers a reader looks at first: hour 1 and the mean over hours, model vs the baseline chosen on validation. */
export function headlineOf(r: EvaluationReport, split: string, choice: BaselineChoice) {
  const m = r.methods.model!;
  const c1 = r.comparison[0], l1 = r.log_loss_comparison[0];
  const mean = (a: (number | null)[]) => { const v = a.filter((x): x is number => x !== null && Number.isFinite(x)); return v.length ? v.reduce((s, x) => s + x, 0) / v.length : null; };
  return {
    split, n_windows: r.n_windows, horizon: r.horizon,
    baseline_choice: 'best baseline per hour chosen on the validation split (accuracy and log loss separately), then scored here',
    hour_1: {
      model_accuracy: m.accuracy_by_hour[0]!, model_log_loss: m.log_loss_by_hour[0], model_brier: m.brier_by_hour[0], model_ece: m.ece_by_hour[0],
      accuracy_baseline: choice.accuracy[0] ?? null, baseline_accuracy: c1?.baseline_accuracy ?? null, accuracy_difference: c1?.difference ?? null,
      log_loss_baseline: choice.log_loss[0] ?? null, baseline_log_loss: l1?.baseline_log_loss ?? null, log_loss_difference: l1?.difference ?? null,
    },
    mean_over_hours: { model_accuracy: m.mean_accuracy, model_log_loss: mean(m.log_loss_by_hour) },
    model_better_accuracy_hours: r.comparison.filter((c) => c.model_better).map((c) => c.hour),
    model_worse_accuracy_hours: r.comparison.filter((c) => c.model_worse).map((c) => c.hour),
    model_better_log_loss_hours: r.log_loss_comparison.filter((c) => c.model_better).map((c) => c.hour),
    model_worse_log_loss_hours: r.log_loss_comparison.filter((c) => c.model_worse).map((c) => c.hour),
  };
}

/** Runs step 7 on the test split (validation choosing every baseline setting, the best baseline and the temperature),
 *  or on fresh candles (`outOfSample`) into their own folder. Without a test split the headline is on validation. */
export async function runEvaluate(ctx: StepContext, opts: { outOfSample?: boolean; horizon?: number } = {}): Promise<Artifact<EvaluateStats>> {
  const timer = startTimer();
  const { config, artifactsDir, reporter } = ctx;
  const seq = readArtifact(artifactsDir, 'sequences', sequencesStats);
  const tok = readArtifact(artifactsDir, 'tokenize', tokenizeStats);
  const trained = readArtifact(artifactsDir, 'train', trainStats);
  const model = modelConfigFrom(config, seq.stats);
  const ckDir = join(stepDir(artifactsDir, 'train'), BEST_DIR);
  const ck = loadCheckpoint(ckDir);
  const fits = (['V', 'C', 'K', 'T', 'target_coin'] as const).filter((k) => ck.modelConfig[k] !== model[k]);
  if (fits.length) throw new UserError(`${ckDir}: checkpoint was trained for ${fits.map((k) => `${k}=${ck.modelConfig[k]}`).join(', ')} but the sequences need ${fits.map((k) => `${k}=${model[k]}`).join(', ')}; rerun \`tokcast pipeline train\``);
  const horizon = opts.horizon ?? config.evaluate.horizon;
  const { T, C, K, V, target_coin } = ck.modelConfig;

  // training tokens of every coin/channel: the Markov chain and prior use the target's, 'mode' fill uses all
  const tt = await readTokenTable(join(stepDir(artifactsDir, 'tokenize'), TOKENS_FILE), seq.stats.coins);
  const trainRows: number[] = [];
  for (let i = 0; i < tt.split.length; i++) if (tt.split[i] === SPLIT_CODE.train) trainRows.push(i);
  const trainTarget = Uint8Array.from(trainRows, (i) => tt.price[model.target_coin][i]);
  const modeTokens = new Uint8Array(model.C * model.K);
  for (let c = 0; c < model.C; c++) for (let k = 0; k < model.K; k++) {
    const col = k === 0 ? tt.price[c] : tt.volume[c];
    const counts = new Array<number>(model.V).fill(0);
    for (const i of trainRows) if (col[i] < model.V) counts[col[i]]++;
    modeTokens[c * model.K + k] = counts.indexOf(Math.max(...counts));
  }
  // the target's hourly log returns over every row (GARCH filter; realised returns) and its price bin edges
  const targetName = seq.stats.coins[target_coin]!;
  const cleanCols = await readParquet(join(stepDir(artifactsDir, 'clean'), CLEAN_FILE), { columns: ['open_time', 'segment', wideColumn(targetName, 'close')] });
  const cleanTime = cleanCols.open_time as Float64Array;
  if (cleanTime.length !== tt.openTime.length || cleanTime.some((t, i) => t !== tt.openTime[i])) {
    throw new UserError(`${join(stepDir(artifactsDir, 'clean'), CLEAN_FILE)}: its hours do not match tokens.parquet; rerun \`tokcast pipeline tokenize\``);
  }
  const returns = logReturns(cleanCols[wideColumn(targetName, 'close')] as Float64Array, cleanCols.segment as Int32Array);
  const trainReturns = Float64Array.from(returns, (r, i) => (tt.split[i] === SPLIT_CODE.train ? r : NaN));
  const priceEdges = edgesOf(readEdgesFile(join(stepDir(artifactsDir, 'tokenize'), EDGES_FILE)), targetName, 'price');

  const seqDir = stepDir(artifactsDir, 'sequences');
  const has = (name: string) => seq.stats.splits.some((s) => s.split === name && s.N > 0);
  const train = readSequenceSet(seqDir, sequencesFile('train'), seq.stats);
  const val = { ...readSequenceSet(seqDir, sequencesFile('val'), seq.stats), returns };
  if (val.N === 0) throw new UserError('evaluate: no windows in the validation split');
  if (val.H < horizon) throw new UserError(`evaluate: the windows carry ${val.H} future hours, fewer than the horizon ${horizon}; rerun \`tokcast pipeline sequences\` with evaluate.horizon >= ${horizon}`);
  const dims = { T, C, K, V, targetCoin: target_coin };
  const tFit = performance.now();
  const baselines = fitBaselines(dims, horizon, { trainTarget, train, val, trainReturns, priceEdges });
  reporter.log(`evaluate: baselines fitted on train in ${((performance.now() - tFit) / 1000).toFixed(1)} s` +
    (baselines.logistic ? `; logistic lambda ${baselines.logistic.lambda} (validation log loss)` : '') +
    (baselines.garch ? `; GARCH persistence ${(baselines.garch.params.alpha + baselines.garch.params.beta).toFixed(3)}, nu ${baselines.garch.params.nu.toFixed(1)}` : ''));
  const evalOpts: EvaluateOptions = {
    horizon, policy: config.evaluate.volume_policy, samples: config.evaluate.bootstrap_samples, confidence: config.evaluate.confidence, block: config.evaluate.bootstrap_block,
    seed: config.seed, threads: config.train.threads, baselines,
  };

  // validation: every choice is made here
  reporter.log(`evaluate: ${val.N} validation windows (choices), horizon ${horizon}`);
  const valEval = await evaluateWindows(ck.modelConfig, ck.params, val, trainTarget, modeTokens, evalOpts);
  const choice = chooseBaselines(valEval.report);
  let temperature: number[] | null = null;
  if (config.evaluate.calibrate === 'temperature') {
    const N = val.N, H = horizon;
    temperature = Array.from({ length: H }, (_, h) =>
      fitTemperature(hourProbs(valEval.forecasts.model!.probs!, N, H, V, h), Uint8Array.from({ length: N }, (_, i) => valEval.truth[i * H + h]), V));
  }

  let windows: EvalWindows, data: string, folder: string, split: 'test' | 'validation' | 'out-of-sample';
  if (opts.outOfSample) {
    // resolved at run time: the fresh-data path is its own module
    const { loadFreshWindows } = (await import(new URL('../fresh-data.ts', import.meta.url).href)) as {
      loadFreshWindows: (c: StepContext, o: { horizon: number }) => Promise<EvalWindows & { source: string; startMs: number; endMs: number; trainOverlapHours: number }>;
    };
    const fresh = await loadFreshWindows(ctx, { horizon });
    if (fresh.trainOverlapHours > 0) reporter.log(`evaluate: WARNING: ${fresh.trainOverlapHours} hours of this range lie in the training split; the result is not out-of-sample there`);
    windows = fresh;
    data = `out-of-sample ${fresh.source} ${new Date(fresh.startMs).toISOString()} .. ${new Date(fresh.endMs).toISOString()}`;
    folder = `out_of_sample_${isoDay(fresh.startMs)}_${isoDay(fresh.endMs)}`;
    split = 'out-of-sample';
  } else if (has('test')) {
    windows = { ...readSequenceSet(seqDir, sequencesFile('test'), seq.stats), returns };
    data = 'test split';
    folder = '.';
    split = 'test';
  } else {
    reporter.log('evaluate: WARNING: there is no test split (split.train_ratio + split.val_ratio = 1); the headline is on the validation split that chose the checkpoint and the baselines');
    windows = val;
    data = 'validation split';
    folder = '.';
    split = 'validation';
  }
  if (windows.N === 0) throw new UserError(`evaluate: no windows in the ${data}`);
  if (split !== 'validation') reporter.log(`evaluate: ${windows.N} windows (${data}), horizon ${horizon}`);
  const main = split === 'validation' ? rescore(valEval, T, V, { ...evalOpts, bestBaselines: choice, temperature })
    : await evaluateWindows(ck.modelConfig, ck.params, windows, trainTarget, modeTokens, { ...evalOpts, bestBaselines: choice, temperature });
  const report = main.report;
  const headline = headlineOf(report, split, choice);
  const outDir = join(stepDir(artifactsDir, 'evaluate'), folder);
  if (!opts.outOfSample) retractArtifact(artifactsDir, 'evaluate');
  const results = {
    data, checkpoint: ckDir, trained_epochs: trained.stats.epochs_run, volume_policy: config.evaluate.volume_policy,
    fill_rule: 'tokens of forecast hours that are not predicted (other coins, target volume) follow volume_policy: persist = last observed hour, mode = training mode',
    window_range: { first: new Date(windows.t0[0]).toISOString(), last: new Date(windows.t0[windows.N - 1]).toISOString() },
    headline,
    ...report,
    selection: {
      made_on: 'validation split',
      best_baseline: choice,
      logistic: baselines.logistic ? { lags: baselines.logistic.lags, lambda: baselines.logistic.lambda, validation: baselines.logistic.validation } : null,
      garch: baselines.garch ? { ...baselines.garch.params, train_returns: baselines.garch.n } : null,
      temperature,
    },
    validation: { window_range: { first: new Date(val.t0[0]!).toISOString(), last: new Date(val.t0[val.N - 1]!).toISOString() }, ...valEval.report },
  };
  writeJsonAtomic(join(outDir, RESULTS_FILE), results);
  await renderPng(accuracyByHourSpec(report, `Accuracy by forecast hour (${data})`), join(outDir, 'accuracy_by_hour.png'));
  await renderPng(confusionSpec(report.methods.model.confusion, 'Model confusion matrices (rows: true, columns: predicted)'), join(outDir, 'confusion_matrices.png'));
  // reliability diagram of the main split at hours 1, 4 and 8 (those within the horizon)
  const shown = [1, 4, 8].filter((h) => h <= horizon);
  const curves = ['model', 'model_temperature', 'logistic', 'garch', 'markov'].filter((m) => main.forecasts[m]?.probs).flatMap((m) => shown.map((h) => ({
    method: m, hour: h,
    bins: reliability(hourProbs(main.forecasts[m]!.probs!, windows.N, horizon, V, h - 1), Uint8Array.from({ length: windows.N }, (_, i) => main.truth[i * horizon + h - 1]), V, 10),
  })));
  await renderPng(reliabilitySpec(curves, `Reliability (${data}; one-vs-rest, every class)`), join(outDir, CALIBRATION_PLOT));
  // one row per (window, hour) of the validation windows and of the main split's
  const valMethods = temperature ? { ...valEval.forecasts, model_temperature: temperatureScaled(valEval.forecasts.model!, val.N, horizon, V, temperature) } : valEval.forecasts;
  const blocks: ForecastBlock[] = [{ split: 'validation', N: val.N, H: horizon, t0: val.t0, truth: valEval.truth, realised: realisedReturns(returns, val.row, val.N, T, horizon), methods: valMethods }];
  if (split !== 'validation') {
    blocks.push({ split, N: windows.N, H: horizon, t0: windows.t0, truth: main.truth, realised: realisedReturns(windows.returns, windows.row, windows.N, T, horizon), methods: main.forecasts });
  }
  await writeParquet(join(outDir, FORECASTS_FILE), forecastColumns(blocks, T, V));
  const rel = (f: string) => (folder === '.' ? f : `${folder}/${f}`);
  const stats: EvaluateStats = {
    data, folder, n_windows: windows.N, horizon, volume_policy: config.evaluate.volume_policy, headline_split: split,
    accuracy_by_hour: Object.fromEntries(Object.entries(report.methods).map(([k, m]) => [k, m.accuracy_by_hour.map((a) => a.estimate)])),
    mean_accuracy: Object.fromEntries(Object.entries(report.methods).map(([k, m]) => [k, m.mean_accuracy])),
    model_better_hours: report.comparison.filter((c) => c.model_better).map((c) => c.hour),
    model_worse_hours: report.comparison.filter((c) => c.model_worse).map((c) => c.hour),
    best_baseline_by_hour: choice.accuracy,
    summary: report.summary, seconds_forecast: valEval.secondsForecast + (split === 'validation' ? 0 : main.secondsForecast),
  };
  const artifact: Artifact<EvaluateStats> = {
    step: 'evaluate', version: 1, created_at: new Date().toISOString(), config_hash: ctx.configHash, seed: config.seed,
    inputs: [inputRef(artifactsDir, 'sequences', seq), inputRef(artifactsDir, 'tokenize', tok), inputRef(artifactsDir, 'train', trained)],
    timings: timer.finish(), files: [rel(RESULTS_FILE), rel('accuracy_by_hour.png'), rel('confusion_matrices.png'), rel(CALIBRATION_PLOT), rel(FORECASTS_FILE)], stats,
  };
  // the main report is the step's artifact; an out-of-sample run keeps its own copy in its folder
  if (opts.outOfSample) writeJsonAtomic(join(outDir, 'evaluate_artifact.json'), artifact);
  else writeArtifact(artifactsDir, 'evaluate', evaluateStats, artifact);
  for (const c of report.comparison) {
    reporter.log(`  hour ${c.hour}: model ${(c.model_accuracy * 100).toFixed(1)}% vs ${c.best_baseline} ${(c.baseline_accuracy * 100).toFixed(1)}% ` +
      `(diff ${(c.difference.estimate * 100).toFixed(1)} [${(c.difference.low * 100).toFixed(1)}, ${(c.difference.high * 100).toFixed(1)}])`);
  }
  const l1 = report.log_loss_comparison[0];
  if (l1) reporter.log(`  hour 1 log loss: model ${l1.model_log_loss.toFixed(4)} vs ${l1.best_baseline} ${l1.baseline_log_loss.toFixed(4)} (diff ${l1.difference.estimate.toFixed(4)} [${l1.difference.low.toFixed(4)}, ${l1.difference.high.toFixed(4)}])`);
  reporter.log(`evaluate: ${report.summary} (${data}; best baselines chosen on validation)`);
  return artifact;
}

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
