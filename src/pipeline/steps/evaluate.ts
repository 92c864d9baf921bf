// Step 7 evaluate (docs/architecture.md#steps): H-hour autoregressive forecasts of the best checkpoint on the validation
// windows (or on other candles with --source/--data-dir, written to their own folder), against persistence,
// majority class, class-prior random and a Markov chain fitted on the training tokens, with block-bootstrap
// intervals for every accuracy and for the model-minus-best-baseline difference.
import { join } from 'node:path';
import { z } from 'zod';
import type { StepContext } from '../context.ts';
import { writeArtifact, readArtifact, startTimer, inputRef, stepDir, type Artifact } from '../artifact.ts';
import { sequencesStats, sequencesFile, readTokenTable } from './sequences.ts';
import { tokenizeStats, TOKENS_FILE } from './tokenize.ts';
import { trainStats, BEST_DIR } from './train.ts';
import { retractArtifact } from './clean.ts';
import { modelConfigFrom, readSequenceSet } from '../model-setup.ts';
import { loadCheckpoint } from '../../checkpoint/manifest.ts';
import { Forecaster } from '../../train/forecaster.ts';
import { classPrior, fitMarkov, persistence, majority, priorRandom, markov, windowMajority } from '../../evaluate/baselines.ts';
import { buildReport, type EvaluationReport, type MethodForecast } from '../../evaluate/report.ts';
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
  accuracy_by_hour: z.record(z.string(), z.array(z.number())),
  mean_accuracy: z.record(z.string(), z.number()),
  model_better_hours: z.array(z.number().int()),
  model_worse_hours: z.array(z.number().int()),
  summary: z.string(),
  seconds_forecast: z.number(),
}).strict();
export type EvaluateStats = z.infer<typeof evaluateStats>;

export const RESULTS_FILE = 'eval_results.json';

/** Windows to evaluate: tokens (N,T,C,K), the true target tokens of the next H hours, window start times. */
export interface EvalWindows { x: Uint8Array; future: Uint8Array; N: number; H: number; t0: Float64Array }

/** Forecasts with the model and every baseline on the same windows and builds the report. */
export async function evaluateWindows(model: ModelConfig, params: Params, w: EvalWindows, trainTarget: Uint8Array, modeTokens: Uint8Array,
  opts: { horizon: number; policy: 'persist' | 'mode'; samples: number; confidence: number; seed: number; threads: number }):
  Promise<{ report: EvaluationReport; secondsForecast: number }> {
  const { T, C, K, V, target_coin } = model;
  const H = Math.min(opts.horizon, w.H);
  if (H < opts.horizon) throw new UserError(`evaluate: the windows carry ${w.H} future hours, fewer than the horizon ${opts.horizon}; rerun \`tokcast pipeline sequences\` with evaluate.horizon >= ${opts.horizon}`);
  const N = w.N, row = C * K, win = T * row;
  const truth = new Uint8Array(N * H), last = new Uint8Array(N), targets = new Uint8Array(N * T);
  for (let i = 0; i < N; i++) {
    for (let h = 0; h < H; h++) truth[i * H + h] = w.future[i * w.H + h];
    for (let t = 0; t < T; t++) targets[i * T + t] = w.x[i * win + t * row + target_coin * K];
    last[i] = targets[i * T + T - 1];
  }
  // the model: one run of the unrolled forecast graph per batch
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
  const secondsForecast = (performance.now() - t0) / 1000;
  const prior = classPrior(trainTarget, V);
  const methods: Record<string, MethodForecast> = {
    model: { pred, probs },
    persistence: persistence(last, H),
    majority: majority(prior, N, H),
    prior_random: priorRandom(prior, N, H, opts.seed),
    markov: markov(fitMarkov(trainTarget, V), last, H),
    window_majority: windowMajority(targets, N, T, V, H),
  };
  // block length T: windows T hours apart share no input hours. prior_random is reported but not a candidate for
  // "best baseline": its expected accuracy (sum of squared priors) never exceeds majority's, so picking it would only
  // reward its luck on this sample (a winner's-curse bias against the model).
  const report = buildReport(methods, truth, N, H, V, { samples: opts.samples, confidence: opts.confidence, block: T, seed: opts.seed, notCandidates: ['prior_random'] });
  return { report, secondsForecast };
}

/** Runs step 7 on the validation split, or on fresh candles (`outOfSample`) into their own folder. */
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

  let windows: EvalWindows, data: string, folder: string;
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
  } else {
    const val = readSequenceSet(stepDir(artifactsDir, 'sequences'), sequencesFile('val'), seq.stats);
    windows = val;
    data = 'validation split';
    folder = '.';
  }
  if (windows.N === 0) throw new UserError(`evaluate: no windows in the ${data}`);
  reporter.log(`evaluate: ${windows.N} windows (${data}), horizon ${horizon}`);
  const { report, secondsForecast } = await evaluateWindows(ck.modelConfig, ck.params, windows, trainTarget, modeTokens, {
    horizon, policy: config.evaluate.volume_policy, samples: config.evaluate.bootstrap_samples, confidence: config.evaluate.confidence,
    seed: config.seed, threads: config.train.threads,
  });
  const outDir = join(stepDir(artifactsDir, 'evaluate'), folder);
  if (!opts.outOfSample) retractArtifact(artifactsDir, 'evaluate');
  const results = {
    data, checkpoint: ckDir, trained_epochs: trained.stats.epochs_run, volume_policy: config.evaluate.volume_policy,
    fill_rule: 'tokens of forecast hours that are not predicted (other coins, target volume) follow volume_policy: persist = last observed hour, mode = training mode',
    window_range: { first: new Date(windows.t0[0]).toISOString(), last: new Date(windows.t0[windows.N - 1]).toISOString() },
    ...report,
  };
  writeJsonAtomic(join(outDir, RESULTS_FILE), results);
  await renderPng(accuracyByHourSpec(report, `Accuracy by forecast hour (${data})`), join(outDir, 'accuracy_by_hour.png'));
  await renderPng(confusionSpec(report.methods.model.confusion, 'Model confusion matrices (rows: true, columns: predicted)'), join(outDir, 'confusion_matrices.png'));
  const rel = (f: string) => (folder === '.' ? f : `${folder}/${f}`);
  const stats: EvaluateStats = {
    data, folder, n_windows: windows.N, horizon, volume_policy: config.evaluate.volume_policy,
    accuracy_by_hour: Object.fromEntries(Object.entries(report.methods).map(([k, m]) => [k, m.accuracy_by_hour.map((a) => a.estimate)])),
    mean_accuracy: Object.fromEntries(Object.entries(report.methods).map(([k, m]) => [k, m.mean_accuracy])),
    model_better_hours: report.comparison.filter((c) => c.model_better).map((c) => c.hour),
    model_worse_hours: report.comparison.filter((c) => c.model_worse).map((c) => c.hour),
    summary: report.summary, seconds_forecast: secondsForecast,
  };
  const artifact: Artifact<EvaluateStats> = {
    step: 'evaluate', version: 1, created_at: new Date().toISOString(), config_hash: ctx.configHash, seed: config.seed,
    inputs: [inputRef(artifactsDir, 'sequences', seq), inputRef(artifactsDir, 'tokenize', tok), inputRef(artifactsDir, 'train', trained)],
    timings: timer.finish(), files: [rel(RESULTS_FILE), rel('accuracy_by_hour.png'), rel('confusion_matrices.png')], stats,
  };
  // the validation report is the step's artifact; an out-of-sample run keeps its own copy in its folder
  if (opts.outOfSample) writeJsonAtomic(join(outDir, 'evaluate_artifact.json'), artifact);
  else writeArtifact(artifactsDir, 'evaluate', evaluateStats, artifact);
  for (const c of report.comparison) {
    reporter.log(`  hour ${c.hour}: model ${(c.model_accuracy * 100).toFixed(1)}% vs ${c.best_baseline} ${(c.baseline_accuracy * 100).toFixed(1)}% ` +
      `(diff ${(c.difference.estimate * 100).toFixed(1)} [${(c.difference.low * 100).toFixed(1)}, ${(c.difference.high * 100).toFixed(1)}])`);
  }
  reporter.log(`evaluate: ${report.summary}`);
  return artifact;
}

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
