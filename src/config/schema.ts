// Every knob of tokcast in one zod table: key, default and a one-line reason (nanoGPT's defaults block).
// Objects are strict, so a misspelt key fails before any work with its full path named.
import { z } from 'zod';
import { DATE_EXPECTED, isCalendarDate } from '../util/calendar.ts';

const isoDate = z.string().refine(isCalendarDate, DATE_EXPECTED);
const prob = z.number().min(0).max(1);
const posInt = z.number().int().positive();

export const DEFAULT_COINS = ['BTC', 'ETH', 'BNB', 'XRP', 'SOL', 'DOGE', 'ADA', 'AVAX', 'DOT', 'LTC'];

export const dataSchema = z.object({
  /** where candles come from: exchange REST API, a folder of CSVs, or the built-in simulator */
  source: z.enum(['binance', 'csv', 'synthetic']).default('synthetic'),
  /** folder with one CSV per coin (csv source) */
  data_dir: z.string().nullable().default(null),
  coins: z.array(z.string().regex(/^[A-Z0-9]{2,15}$/, 'an upper-case coin symbol like BTC')).min(1).default(DEFAULT_COINS),
  /** quote asset appended to every coin to form the exchange symbol (BTC + USDT) */
  quote: z.string().default('USDT'),
  /** the coin whose next price token the model predicts; must be one of coins */
  target_coin: z.string().default('XRP'),
  /** first hour (UTC, inclusive) */
  start: isoDate.default('2020-01-01'),
  /** last day or hour (UTC, inclusive) */
  end: isoDate.default('2023-12-31'),
  binance: z.object({
    base_url: z.string().url().default('https://api.binance.com'),
    /** Binance allows 6000 request weight a minute; klines with limit 1000 weigh 2 */
    max_weight_per_minute: posInt.default(3000),
    max_retries: z.number().int().min(0).default(8),
    timeout_ms: posInt.default(20000),
  }).strict().prefault({}),
  synthetic: z.object({
    /** seed of the simulated market (the global seed when null) */
    seed: z.number().int().nullable().default(null),
  }).strict().prefault({}),
}).strict();

export const cleanSchema = z.object({
  /** gaps up to this many hours are forward-filled (close carried, volume 0) */
  max_ffill_hours: z.number().int().min(0).default(3),
  /** longer gaps: drop the hours (windows never cross them) or keep them marked as missing */
  long_gap: z.enum(['drop', 'mark']).default('drop'),
  /** an hourly |log return| above this that reverts the next hour is an outlier (spike) */
  outlier_log_return: z.number().positive().default(0.4),
  /** fraction of the spike that must revert next hour for it to count as a glitch */
  outlier_revert_fraction: prob.default(0.8),
  /** a coin covering less than this fraction of the grid is an error (no overlap with the others) */
  min_coverage: prob.default(0.05),
}).strict();

export const splitSchema = z.object({
  mode: z.enum(['ratio', 'date']).default('ratio'),
  train_ratio: z.number().gt(0).lt(1).default(0.7),
  /** the rest after train and val is the test split, read only by evaluate (train_ratio + val_ratio = 1: no test split) */
  val_ratio: z.number().gt(0).lt(1).default(0.15),
  /** mode date: last hour of train (exclusive boundary at the next hour) */
  train_end: isoDate.nullable().default(null),
  /** mode date: last hour of validation; later hours are test */
  val_end: isoDate.nullable().default(null),
  /** hours dropped after each split boundary so no window's context or target leaks across; null = sequences.window + evaluate.horizon */
  embargo_hours: z.number().int().min(0).nullable().default(null),
}).strict();

export const tokenizeSchema = z.object({
  /** V: tokens per channel; 3 = down/steady/up */
  num_bins: z.number().int().min(2).max(256).default(3),
}).strict();

export const sequencesSchema = z.object({
  /** T: hours of context per window */
  window: z.number().int().min(2).max(4096).default(24),
  /** hours between consecutive window starts */
  stride: posInt.default(1),
}).strict();

export const modelSchema = z.object({
  /** e: embedding size per channel */
  embed_dim: posInt.default(32),
  /** d: model width */
  d_model: posInt.default(128),
  /** H: attention heads (d must divide by H) */
  n_heads: posInt.default(4),
  /** N: transformer blocks */
  n_layers: posInt.default(4),
  /** F: feed-forward width */
  d_ff: posInt.default(512),
  dropout: z.number().min(0).lt(1).default(0.1),
  /** concat (default): all coins' embeddings into one vector; mean: the upstream per-coin average */
  coin_mixing: z.enum(['concat', 'mean']).default('concat'),
  /** all: every position predicts its next hour (more signal per window); last: only the final one */
  loss_positions: z.enum(['all', 'last']).default('all'),
  label_smoothing: z.number().min(0).lt(1).default(0.1),
}).strict();

export const trainSchema = z.object({
  epochs: posInt.default(30),
  batch_size: posInt.default(256),
  /** peak learning rate after warmup */
  lr: z.number().positive().default(1e-3),
  /** warmup from warmup_start_lr to lr over this many epochs (0 = none) */
  warmup_epochs: z.number().min(0).default(1),
  warmup_start_lr: z.number().min(0).default(1e-5),
  weight_decay: z.number().min(0).default(0.01),
  beta1: z.number().min(0).lt(1).default(0.9),
  beta2: z.number().min(0).lt(1).default(0.999),
  eps: z.number().positive().default(1e-8),
  /** global-norm clipping; null = off */
  max_grad_norm: z.number().positive().nullable().default(1.0),
  plateau: z.object({
    factor: z.number().gt(0).lt(1).default(0.5),
    patience: z.number().int().min(0).default(2),
    min_lr: z.number().min(0).default(1e-6),
  }).strict().prefault({}),
  early_stopping: z.object({
    patience: z.number().int().min(1).default(5),
    min_delta: z.number().min(0).default(1e-4),
  }).strict().prefault({}),
  shuffle: z.boolean().default(true),
  /** fine-tune from step_06a pretraining weights when they exist */
  use_pretrained: z.boolean().default(true),
  /** intra-op threads for onnxruntime (0 = all cores) */
  threads: z.number().int().min(0).default(0),
  execution_provider: z.enum(['cpu', 'cuda', 'webgpu']).default('cpu'),
  /** run on the CPU (with a warning) when execution_provider cannot be used; otherwise that is an error */
  allow_cpu_fallback: z.boolean().default(false),
  /** augmentation: probability of replacing an input token by a random one */
  token_noise_prob: prob.default(0),
}).strict();

export const evaluateSchema = z.object({
  /** H: hours forecast autoregressively */
  horizon: posInt.default(8),
  bootstrap_samples: z.number().int().min(0).default(1000),
  /** block length of the block bootstrap in hours, or auto: chosen per interval from the data (Politis-White) */
  bootstrap_block: z.union([z.literal('auto'), posInt]).default('auto'),
  confidence: z.number().gt(0).lt(1).default(0.95),
  /** the target coin's volume token while forecasting: keep the last observed one, or the training mode */
  volume_policy: z.enum(['persist', 'mode']).default('persist'),
  /** temperature: rescale the model's probabilities by a temperature fitted on validation (both reported) */
  calibrate: z.enum(['none', 'temperature']).default('none'),
}).strict();

export const backtestSchema = z.object({
  /** fee per side, basis points of the notional traded */
  fee_bps: z.number().min(0).default(10),
  /** slippage per side, basis points of the notional traded */
  slippage_bps: z.number().min(0).default(0),
  /** false: the strategies go long or flat, never short */
  allow_short: z.boolean().default(true),
}).strict();

export const walkForwardSchema = z.object({
  /** K: consecutive test blocks, one freshly trained model each */
  folds: posInt.default(4),
  /** share of the cleaned hours before the first test block */
  initial_train_fraction: z.number().gt(0).lt(1).default(0.5),
}).strict();

export const inferenceSchema = z.object({
  horizon: posInt.default(8),
  /** data older than this many hours is stale and refused */
  max_staleness_hours: posInt.default(3),
}).strict();

const floatRange = z.object({ low: z.number(), high: z.number(), log: z.boolean().default(false) }).strict();
const intRange = z.object({ low: z.number().int(), high: z.number().int() }).strict();
const choices = z.array(z.union([z.number(), z.string(), z.boolean()])).min(1);

export const tuneSchema = z.object({
  num_trials: posInt.default(30),
  epochs_per_trial: posInt.default(20),
  timeout_hours: z.number().positive().nullable().default(null),
  budget: z.enum(['quick', 'standard', 'deep']).nullable().default(null),
  /** study storage: a SQLite path or URL, or postgresql://... for several machines */
  storage: z.string().default('artifacts/studies.db'),
  /** null: `tokcast-<fingerprint of the data, objective and search space>`, so other data gets its own study */
  study_name: z.string().nullable().default(null),
  n_jobs: posInt.default(1),
  /** seconds between heartbeats of a running trial; a RUNNING trial silent for twice this long (a killed worker) is failed */
  heartbeat_interval: z.number().positive().default(60),
  sampler_seed: z.number().int().default(42),
  n_startup_trials: z.number().int().min(0).default(10),
  pruner: z.object({
    n_startup_trials: z.number().int().min(0).default(5),
    n_warmup_steps: z.number().int().min(0).default(3),
    interval_steps: posInt.default(1),
  }).strict().prefault({}),
  search_space: z.object({
    lr: floatRange.default({ low: 5e-6, high: 5e-3, log: true }),
    weight_decay: floatRange.default({ low: 0, high: 0.1, log: false }),
    dropout: floatRange.default({ low: 0.05, high: 0.5, log: false }),
    label_smoothing: floatRange.default({ low: 0, high: 0.2, log: false }),
    // null (the default): derived from the base config (train.batch_size, model.*), see docs/tuning.md#the-tune-step
    batch_size: choices.nullable().default(null),
    embed_dim: choices.nullable().default(null),
    n_layers: intRange.nullable().default(null),
    n_heads: choices.nullable().default(null),
    d_ff: choices.nullable().default(null),
    token_noise_prob: floatRange.default({ low: 0, high: 0.1, log: false }),
  }).strict().prefault({}),
}).strict();

export const pretrainSchema = z.object({
  num_samples: posInt.default(100000),
  epochs: posInt.default(50),
  seed: z.number().int().nullable().default(null),
  /** resample windows so the target classes are balanced */
  rebalance: z.boolean().default(true),
  lr: z.number().positive().default(1e-3),
}).strict();

export const configSchema = z.object({
  /** one seed for every random choice of a run (simulation, init, shuffling, dropout, sampler) */
  seed: z.number().int().default(42),
  artifacts_dir: z.string().default('artifacts'),
  data: dataSchema.prefault({}),
  clean: cleanSchema.prefault({}),
  split: splitSchema.prefault({}),
  tokenize: tokenizeSchema.prefault({}),
  sequences: sequencesSchema.prefault({}),
  model: modelSchema.prefault({}),
  train: trainSchema.prefault({}),
  evaluate: evaluateSchema.prefault({}),
  backtest: backtestSchema.prefault({}),
  walk_forward: walkForwardSchema.prefault({}),
  inference: inferenceSchema.prefault({}),
  tune: tuneSchema.prefault({}),
  pretrain: pretrainSchema.prefault({}),
}).strict();

export type Config = z.infer<typeof configSchema>;
