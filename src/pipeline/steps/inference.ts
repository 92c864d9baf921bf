// Step 8 inference (docs/architecture.md#steps): the best checkpoint of step 6 forecasts the next H hours of the target coin from
// the latest T hours of the configured source (or --csv); writes predictions_<timestamp>.json and the step artifact.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { StepContext } from '../context.ts';
import { writeArtifact, readArtifact, startTimer, inputRef, stepDir, type Artifact } from '../artifact.ts';
import { loadLatestWindow, readFittedPipeline } from '../fresh-data.ts';
import { sequencesStats } from './sequences.ts';
import { BEST_DIR } from './train.ts';
import { loadCheckpoint, type Checkpoint } from '../../checkpoint/manifest.ts';
import { Forecaster } from '../../train/forecaster.ts';
import { HOUR_MS } from '../../data/candles.ts';
import { configRange } from '../../data/sources.ts';
import { writeJsonAtomic } from '../../util/fs.ts';
import { UserError } from '../../util/errors.ts';
import { readableForecast, readableLines, readableSchema } from '../readable-forecast.ts';
import { forecastAge, forecastAgeSchema } from '../forecast-age.ts';
import { isoHour } from '../../util/calendar.ts';

const bound = z.number().nullable(); // null = open-ended (-inf / +inf)
const range = z.tuple([bound, bound]);

export const predictionHourSchema = z.object({
  /** 1..H: hours after the last observed hour */
  hour: z.number().int().positive(),
  /** open time of the forecast hour (UTC) */
  time: z.string(),
  token: z.number().int().min(0),
  /** probability of `token` */
  probability: z.number(),
  /** class probabilities, index = token */
  probabilities: z.array(z.number()),
  /** log(close_h / close_{h-1}) range the token stands for: [edges[token-1], edges[token]) */
  log_return: range,
  /** the same as a price change relative to the previous hour's close: exp(log_return) - 1 */
  change: range,
  /** along the forecast path (hours 1..h each in its token's range): change relative to the last close, and the price range */
  change_from_last_close: range,
  price: range,
}).strict();

export const predictionsSchema = z.object({
  created_at: z.string(),
  target_coin: z.string(),
  coins: z.array(z.string()),
  source: z.string(),
  /** last observed hour (open time) and the target's close then */
  last_hour: z.string(),
  last_close: z.number().positive(),
  as_of: z.string(),
  staleness_hours: z.number().min(0),
  horizon: z.number().int().positive(),
  /** how old the newest candle used is: against the wall clock (when it closed) and against data.end (--end) */
  data_age: forecastAgeSchema,
  checkpoint: z.object({ path: z.string(), epoch: z.number().nullable(), val_loss: z.number().nullable() }).strict(),
  token_rule: z.string(),
  /** tokens of the hours after the first that are not forecast (other coins, volumes): the last observed hour's (persistence) */
  fill_policy: z.literal('persist'),
  hours: z.array(predictionHourSchema),
  /** the same forecast for a reader: token meanings, P(up), Monte Carlo return quantiles, verdict (docs/pipeline.md#inference) */
  readable: readableSchema.optional(),
}).strict();
export type Predictions = z.infer<typeof predictionsSchema>;

export const inferenceStats = z.object({
  predictions_file: z.string(),
  target_coin: z.string(),
  source: z.string(),
  horizon: z.number().int().positive(),
  last_hour: z.string(),
  last_close: z.number(),
  staleness_hours: z.number(),
  /** hours from the newest candle's close to the wall clock, and the warning when it is old */
  data_age_hours: z.number(),
  data_warning: z.string().nullable(),
  checkpoint: z.string(),
  tokens: z.array(z.number().int()),
  probabilities: z.array(z.number()),
}).strict();
export type InferenceStats = z.infer<typeof inferenceStats>;

const stamp = (d: Date) => d.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');

/** Loads step 6's best checkpoint, refusing (UserError with the reason) a corrupt one or one that does not fit step 5's data. */
export function loadBestCheckpoint(ctx: StepContext): { ck: Checkpoint; dir: string } {
  const seq = readArtifact(ctx.artifactsDir, 'sequences', sequencesStats).stats;
  const dir = join(stepDir(ctx.artifactsDir, 'train'), BEST_DIR);
  if (!existsSync(dir)) throw new UserError(`${dir}: no trained model; run \`tokcast pipeline train\` first`);
  let ck: Checkpoint;
  try {
    ck = loadCheckpoint(dir);
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw new UserError(`checkpoint ${dir} refused: ${(e as Error).message}; rerun \`tokcast pipeline train\``);
  }
  const m = ck.modelConfig;
  const want = { V: seq.V, O: seq.V, C: seq.C, K: seq.K, T: seq.T, target_coin: seq.target_index } as const;
  const diff = (Object.keys(want) as Array<keyof typeof want>).filter((k) => m[k] !== want[k]).map((k) => `${k} ${m[k]} (step 5: ${want[k]})`);
  if (diff.length) throw new UserError(`checkpoint ${dir} refused: it does not fit the sequences of step 5: ${diff.join(', ')}; rerun \`tokcast pipeline train\``);
  return { ck, dir };
}

/** Runs step 8. opts.csv: read the latest candles from this folder; opts.horizon: hours ahead (default inference.horizon). */
export async function runInference(ctx: StepContext, opts: { csv?: string; horizon?: number; nowMs?: number; paths?: number } = {}): Promise<Artifact<InferenceStats>> {
  const timer = startTimer();
  const { config, artifactsDir } = ctx;
  const H = opts.horizon ?? config.inference.horizon;
  if (!Number.isInteger(H) || H < 1) throw new UserError(`--horizon: expected a positive integer, got ${H}`);
  const seq = readArtifact(artifactsDir, 'sequences', sequencesStats);
  const train = readArtifact(artifactsDir, 'train', z.unknown());
  const tokenize = readArtifact(artifactsDir, 'tokenize', z.unknown());
  const fit = readFittedPipeline(ctx);
  const { ck, dir: ckDir } = loadBestCheckpoint(ctx);
  const latest = await loadLatestWindow(ctx, { csvDir: opts.csv, nowMs: opts.nowMs });

  const forecaster = await Forecaster.create(ck.modelConfig, ck.params, {
    horizon: H, executionProvider: config.train.execution_provider,
    allowCpuFallback: config.train.allow_cpu_fallback, onWarning: (m) => process.stderr.write(`tokcast: warning: ${m}\n`),
  });
  let res;
  try {
    res = await forecaster.forecast(Int32Array.from(latest.x));
  } finally {
    await forecaster.dispose();
  }
  const O = ck.modelConfig.O;
  const ranges = fit.edges.per_coin[fit.targetCoin]!.price.ranges;
  const hours: Predictions['hours'] = [];
  let cumLo: number | null = 0, cumHi: number | null = 0;
  for (let h = 0; h < H; h++) {
    const token = res.tokens[h]!;
    const probabilities = Array.from(res.proba.subarray(h * O, (h + 1) * O));
    const [lo, hi] = ranges[token] ?? [null, null];
    cumLo = cumLo === null || lo === null ? null : cumLo + lo;
    cumHi = cumHi === null || hi === null ? null : cumHi + hi;
    const ch = (v: number | null) => (v === null ? null : Math.expm1(v));
    hours.push({
      hour: h + 1, time: isoHour(latest.lastHourMs + (h + 1) * HOUR_MS), token, probability: probabilities[token]!, probabilities,
      log_return: [lo, hi], change: [ch(lo), ch(hi)], change_from_last_close: [ch(cumLo), ch(cumHi)],
      price: [cumLo === null ? 0 : latest.lastClose * Math.exp(cumLo), cumHi === null ? null : latest.lastClose * Math.exp(cumHi)],
    });
  }
  const created = new Date();
  const age = forecastAge(latest.lastHourMs, opts.nowMs ?? created.getTime(), configRange(config.data).endMs);
  if (age.warning) process.stderr.write(`tokcast: warning: ${age.warning}\n`);
  const extra = ck.extra ?? {};
  const predictions: Predictions = {
    created_at: created.toISOString(), target_coin: fit.targetCoin, coins: fit.coins, source: latest.source,
    last_hour: isoHour(latest.lastHourMs), last_close: latest.lastClose, as_of: isoHour(latest.asOfMs), staleness_hours: latest.stalenessHours,
    horizon: H, data_age: age,
    checkpoint: { path: ckDir, epoch: typeof extra.epoch === 'number' ? extra.epoch : null, val_loss: typeof extra.val_loss === 'number' ? extra.val_loss : null },
    token_rule: fit.edges.token_rule, fill_policy: 'persist', hours,
    readable: await readableForecast(ctx, ck, latest.x, H, latest.lastHourMs, fit.coins, ranges, { paths: opts.paths, seed: config.seed }),
  };
  const dir = stepDir(artifactsDir, 'inference');
  let file = `predictions_${stamp(created)}.json`;
  for (let i = 1; existsSync(join(dir, file)); i++) file = `predictions_${stamp(created)}_${i}.json`;
  writeJsonAtomic(join(dir, file), predictionsSchema.parse(predictions));

  const stats: InferenceStats = {
    predictions_file: file, target_coin: fit.targetCoin, source: latest.source, horizon: H,
    last_hour: predictions.last_hour, last_close: latest.lastClose, staleness_hours: latest.stalenessHours,
    data_age_hours: age.hours_before_now, data_warning: age.warning, checkpoint: ckDir,
    tokens: hours.map((p) => p.token), probabilities: hours.map((p) => p.probability),
  };
  const artifact: Artifact<InferenceStats> = {
    step: 'inference', version: 1, created_at: created.toISOString(), config_hash: ctx.configHash, seed: config.seed,
    inputs: [inputRef(artifactsDir, 'sequences', seq), inputRef(artifactsDir, 'tokenize', tokenize as Artifact<unknown>), inputRef(artifactsDir, 'train', train as Artifact<unknown>)],
    timings: timer.finish(), files: [file], stats,
  };
  writeArtifact(artifactsDir, 'inference', inferenceStats, artifact);
  ctx.reporter.log(`inference: ${fit.targetCoin} next ${H} h after ${predictions.last_hour} (data ${age.hours_before_now.toFixed(1)} h old): tokens ${stats.tokens.join(' ')} ` +
    `(p ${stats.probabilities.map((p) => p.toFixed(2)).join(' ')}) -> ${file}`);
  for (const l of readableLines(predictions.readable!, fit.targetCoin, latest.lastClose, latest.lastHourMs)) ctx.reporter.log(l);
  return artifact;
}
