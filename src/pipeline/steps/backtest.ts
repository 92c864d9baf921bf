// Step 9 backtest (docs/backtest.md): trading the hour-1 forecasts. The best checkpoint and every baseline forecast
// the hour after each window (stride 1) of the validation and the test split; P(up) - P(down) against a threshold
// chosen on validation gives long / flat / short; the test hours are traded net of fees and slippage on the target's
// close-to-close returns, beside buy-and-hold. Writes backtest.json and equity.png.
import { join } from 'node:path';
import { z } from 'zod';
import type { StepContext } from '../context.ts';
import { writeArtifact, readArtifact, startTimer, inputRef, stepDir, type Artifact } from '../artifact.ts';
import { sequencesStats, readTokenTable } from './sequences.ts';
import { tokenizeStats, TOKENS_FILE, EDGES_FILE } from './tokenize.ts';
import { cleanStats, CLEAN_FILE } from './clean.ts';
import { trainStats } from './train.ts';
import { loadBestCheckpoint } from './inference.ts';
import { readParquet } from '../../data/parquet.ts';
import { HOUR_MS, wideColumn } from '../../data/candles.ts';
import { SPLIT_CODE } from '../../data/split.ts';
import { windowStarts, buildWindows, type TokenTable } from '../../tokenize/windows.ts';
import { readEdgesFile, edgesOf } from '../../tokenize/edges-file.ts';
import { fitBaselines, baselineForecasts, NOT_CANDIDATES, type FittedBaselines } from '../../evaluate/suite.ts';
import { logReturns } from '../../tokenize/returns.ts';
import { readSequenceSet } from '../model-setup.ts';
import { sequencesFile } from './sequences.ts';
import { Forecaster } from '../../train/forecaster.ts';
import { directionOfBins, upMinusDown } from '../../backtest/signal.ts';
import { buildBacktest, BUY_AND_HOLD, type BacktestReport } from '../../backtest/report.ts';
import { HOURS_PER_YEAR, type StrategyMetrics } from '../../backtest/simulate.ts';
import type { Market } from '../../backtest/strategy.ts';
import { renderPng } from '../../plots/render.ts';
import { equitySpec, thinEquity } from '../../plots/specs/backtest.ts';
import type { ModelConfig } from '../../model/config.ts';
import type { Params } from '../../model/params.ts';
import { writeJsonAtomic } from '../../util/fs.ts';
import { UserError } from '../../util/errors.ts';

export const BACKTEST_FILE = 'backtest.json';
export const EQUITY_PLOT = 'equity.png';
export const NOT_ADVICE = 'A historical simulation, not investment advice: past results do not predict future ones.';

const num = z.number();
const metricsSchema = z.object({
  hours: z.number().int().min(0), total_return: num, annualized_return: num.nullable(), sharpe: num, sortino: num,
  max_drawdown: num.min(0).max(1), turnover: num.min(0), trades: z.number().int().min(0), hit_rate: num.nullable(),
  exposure: num.min(0).max(1), total_cost: num.min(0),
}).strict();
const span = z.object({ hours: z.number().int().min(0), first: z.string(), last: z.string(), gaps: z.number().int().min(0) }).strict();
const interval = z.object({ estimate: num, low: num.nullable(), high: num.nullable() }).strict();

export const backtestFileSchema = z.object({
  created_at: z.string(),
  not_advice: z.string(),
  assumptions: z.array(z.string()),
  target_coin: z.string(),
  checkpoint: z.string(),
  costs: z.object({ fee_bps: num, slippage_bps: num, cost_per_side: num, allow_short: z.boolean() }).strict(),
  periods_per_year: num,
  signal: z.object({ rule: z.string(), up_tokens: z.array(z.number().int()), down_tokens: z.array(z.number().int()) }).strict(),
  validation: span,
  test: span,
  methods: z.record(z.string(), z.object({ threshold: num.nullable(), validation: metricsSchema, test: metricsSchema }).strict()),
  comparison: z.object({
    best_alternative: z.string(), chosen_by: z.string(), sharpe_difference: interval,
    bootstrap: z.object({ samples: z.number().int(), confidence: num, block: z.number().int(), block_rule: z.enum(['fixed', 'politis-white']) }).strict(),
    model_better: z.boolean(), model_worse: z.boolean(),
  }).strict().nullable(),
  summary: z.string(),
}).strict();
export type BacktestFile = z.infer<typeof backtestFileSchema>;

const methodLine = z.object({ sharpe: num, total_return: num, max_drawdown: num, exposure: num, threshold: num.nullable() }).strict();
export const backtestStats = z.object({
  test_hours: z.number().int(),
  fee_bps: num,
  slippage_bps: num,
  methods: z.record(z.string(), methodLine),
  best_alternative: z.string().nullable(),
  sharpe_difference: interval.nullable(),
  summary: z.string(),
}).strict();
export type BacktestStats = z.infer<typeof backtestStats>;

/** Every hour of a split as a stride-1 window: its tokens, the start row, and the target's return over the hour after it. */
export interface HourWindows { x: Uint8Array; N: number; t0: Float64Array; row: Int32Array; returns: Float64Array; breaks: boolean[] }

export function hourWindows(tt: TokenTable, close: Float64Array, split: number, T: number, target: number): HourWindows {
  const { starts, runEnd } = windowStarts(tt, split, T, 1);
  const w = buildWindows(tt, starts, runEnd, T, target, 1);
  const returns = new Float64Array(w.N), breaks: boolean[] = [];
  for (let i = 0; i < w.N; i++) {
    const r = w.row[i] + T;
    returns[i] = close[r] / close[r - 1] - 1;
    breaks.push(i > 0 && w.t0[i] - w.t0[i - 1] !== HOUR_MS);
  }
  return { x: w.x, N: w.N, t0: w.t0, row: w.row, returns, breaks };
}

/**
 * Hour-1 class probabilities (N, V) of the model and of every fitted baseline (fitted with horizon 1; prior_random,
 * a coin flip with the prior's odds, is left out; persistence's point forecast becomes a one-hot distribution).
 * logReturns: the target's log returns over every row (the GARCH filter reads them up to each window's last hour).
 */
export async function hourOneProbabilities(model: ModelConfig, params: Params, w: { x: Uint8Array; N: number; row: Int32Array }, baselines: FittedBaselines,
  logReturnsAll: Float64Array, opts: { threads: number; seed: number }): Promise<Record<string, Float64Array>> {
  const { T, C, K, V } = model;
  const N = w.N, win = T * C * K;
  const probs = new Float64Array(N * V);
  const forecaster = await Forecaster.create(model, params, { horizon: 1, threads: opts.threads });
  try {
    for (let b0 = 0; b0 < N; b0 += 512) {
      const B = Math.min(512, N - b0);
      const r = await forecaster.forecast(Int32Array.from(w.x.subarray(b0 * win, (b0 + B) * win)));
      for (let i = 0; i < B * V; i++) probs[b0 * V + i] = r.proba[i];
    }
  } finally {
    await forecaster.dispose();
  }
  const out: Record<string, Float64Array> = { model: probs };
  for (const [name, f] of Object.entries(baselineForecasts(baselines, { x: w.x, N, returns: logReturnsAll, row: w.row }, opts.seed))) {
    if (NOT_CANDIDATES.includes(name)) continue;
    if (f.probs) { out[name] = f.probs; continue; }
    const oneHot = new Float64Array(N * V);
    for (let i = 0; i < N; i++) oneHot[i * V + f.pred[i]] = 1;
    out[name] = oneHot;
  }
  return out;
}

const finiteOrNull = (x: number) => (Number.isFinite(x) ? x : null);
const metricsJson = (m: StrategyMetrics) => ({ ...m, annualized_return: finiteOrNull(m.annualized_return) });
/** the traded hours: the hour after each window */
const spanOf = (w: HourWindows, T: number) => ({
  hours: w.N, first: new Date(w.t0[0] + T * HOUR_MS).toISOString(), last: new Date(w.t0[w.N - 1] + T * HOUR_MS).toISOString(), gaps: w.breaks.filter(Boolean).length,
});

/** The assumptions printed with every backtest. */
export function assumptionsOf(costs: { fee_bps: number; slippage_bps: number; allow_short: boolean }, block: number | 'auto'): string[] {
  return [
    `one unit of the target coin, long (+1), flat (0)${costs.allow_short ? ' or short (-1)' : ' (no shorts)'}, decided at each hour's close from the forecast of the next hour and held for that hour`,
    `returns are close-to-close; trades fill at the close, paying ${costs.fee_bps} bps fee + ${costs.slippage_bps} bps slippage per side on the notional traded`,
    'no funding, borrowing or interest costs, no leverage, no market impact beyond the slippage; profits are reinvested (equity compounds)',
    'the position is closed before every gap in the data and after the last hour',
    'each strategy trades P(up) - P(down) against a threshold chosen on the validation split (best net Sharpe; no trading when none beats zero); the test split chooses nothing',
    `Sharpe and Sortino are annualised with ${HOURS_PER_YEAR} hours a year and a zero risk-free rate; the interval is a paired moving-block bootstrap (${block === 'auto' ? 'block length chosen from the data, Politis-White' : `blocks of ${block} hours`})`,
  ];
}

/** Runs step 9 on the test split. In run-all (`chained`) a run without a test split skips it with a note. */
export async function runBacktest(ctx: StepContext, opts: { chained?: boolean } = {}): Promise<Artifact<BacktestStats> | null> {
  const timer = startTimer();
  const { config, artifactsDir, reporter } = ctx;
  const seq = readArtifact(artifactsDir, 'sequences', sequencesStats);
  const tok = readArtifact(artifactsDir, 'tokenize', tokenizeStats);
  const clean = readArtifact(artifactsDir, 'clean', cleanStats);
  const trained = readArtifact(artifactsDir, 'train', trainStats);
  const { ck, dir: ckDir } = loadBestCheckpoint(ctx);
  const model = ck.modelConfig;
  const coins = seq.stats.coins, target = seq.stats.target_coin;

  const tt = await readTokenTable(join(stepDir(artifactsDir, 'tokenize'), TOKENS_FILE), coins);
  const cleanPath = join(stepDir(artifactsDir, 'clean'), CLEAN_FILE);
  const cols = await readParquet(cleanPath, { columns: ['open_time', wideColumn(target, 'close')] });
  const ot = cols.open_time as Float64Array;
  if (ot.length !== tt.openTime.length || ot.some((t, i) => t !== tt.openTime[i]))
    throw new UserError(`${cleanPath}: its hours do not match the tokens of step 4; rerun \`tokcast pipeline tokenize\` and \`sequences\``);
  const close = cols[wideColumn(target, 'close')] as Float64Array;
  const val = hourWindows(tt, close, SPLIT_CODE.val, model.T, model.target_coin);
  const test = hourWindows(tt, close, SPLIT_CODE.test, model.T, model.target_coin);
  if (test.N === 0 && opts.chained) {
    reporter.log('backtest: skipped: the run has no test split (split.train_ratio + split.val_ratio = 1); the backtest trades only hours that chose nothing');
    return null;
  }
  if (test.N === 0) throw new UserError(`backtest: the test split has no window of ${model.T} hours and a target hour; set split.train_ratio + split.val_ratio below 1 (e.g. 0.7 and 0.15) and rerun from \`tokcast pipeline split\``);
  if (val.N === 0) throw new UserError('backtest: the validation split has no window; it chooses the thresholds');

  const trainTarget = Uint8Array.from(tt.price[model.target_coin].filter((_, i) => tt.split[i] === SPLIT_CODE.train));
  // the baselines of evaluate, fitted for the next hour: on train, with their choices on validation
  const segCols = await readParquet(cleanPath, { columns: ['segment'] });
  const logRet = logReturns(close, segCols.segment as Int32Array);
  const trainReturns = Float64Array.from(logRet, (r, i) => (tt.split[i] === SPLIT_CODE.train ? r : NaN));
  const edgesFile = readEdgesFile(join(stepDir(artifactsDir, 'tokenize'), EDGES_FILE));
  const seqDir = stepDir(artifactsDir, 'sequences');
  const baselines = fitBaselines({ T: model.T, C: model.C, K: model.K, V: model.V, targetCoin: model.target_coin }, 1, {
    trainTarget, train: readSequenceSet(seqDir, sequencesFile('train'), seq.stats), val: readSequenceSet(seqDir, sequencesFile('val'), seq.stats),
    trainReturns, priceEdges: edgesOf(edgesFile, target, 'price'),
  });
  const t0 = performance.now();
  const hopts = { threads: config.train.threads, seed: config.seed };
  const pv = await hourOneProbabilities(model, ck.params, val, baselines, logRet, hopts);
  const pt = await hourOneProbabilities(model, ck.params, test, baselines, logRet, hopts);
  const secondsForecast = (performance.now() - t0) / 1000;
  const edges = edgesFile.per_coin[target]!.price.ranges;
  const dir = directionOfBins(edges);
  if (dir.up.length === 0 || dir.down.length === 0) throw new UserError(`backtest: ${target}'s price bins ${JSON.stringify(edges)} have no bin wholly above or below zero; use tokenize.num_bins >= 3`);
  const scores = Object.fromEntries(Object.keys(pv).map((k) => [k, { validation: upMinusDown(pv[k], model.V, dir), test: upMinusDown(pt[k], model.V, dir) }]));

  const b = config.backtest;
  const cost = { costPerSide: (b.fee_bps + b.slippage_bps) / 1e4, allowShort: b.allow_short };
  const market = (w: HourWindows): Market => ({ returns: w.returns, breaks: w.breaks });
  const boot = { samples: config.evaluate.bootstrap_samples, confidence: config.evaluate.confidence, block: config.evaluate.bootstrap_block, seed: config.seed };
  const report = buildBacktest(scores, market(val), market(test), cost, boot);

  const summary = summaryOf(report, config.evaluate.confidence);
  const file: BacktestFile = {
    created_at: new Date().toISOString(), not_advice: NOT_ADVICE, assumptions: assumptionsOf(b, boot.block), target_coin: target, checkpoint: ckDir,
    costs: { fee_bps: b.fee_bps, slippage_bps: b.slippage_bps, cost_per_side: cost.costPerSide, allow_short: b.allow_short },
    periods_per_year: HOURS_PER_YEAR,
    signal: { rule: 'long when P(up) - P(down) > threshold, short when < -threshold, else flat; up/down = token bins wholly above/below a zero return', up_tokens: dir.up, down_tokens: dir.down },
    validation: spanOf(val, model.T), test: spanOf(test, model.T),
    methods: Object.fromEntries(Object.entries(report.methods).map(([k, m]) => [k, { threshold: m.threshold, validation: metricsJson(m.validation), test: metricsJson(m.test) }])),
    comparison: report.comparison && {
      best_alternative: report.comparison.best_alternative, chosen_by: 'highest net Sharpe on the validation split',
      sharpe_difference: { estimate: report.comparison.sharpe_difference.estimate, low: finiteOrNull(report.comparison.sharpe_difference.low), high: finiteOrNull(report.comparison.sharpe_difference.high) },
      bootstrap: { samples: boot.samples, confidence: boot.confidence, block: report.comparison.block, block_rule: boot.block === 'auto' ? 'politis-white' : 'fixed' },
      model_better: report.comparison.model_better, model_worse: report.comparison.model_worse,
    },
    summary,
  };
  const outDir = stepDir(artifactsDir, 'backtest');
  writeJsonAtomic(join(outDir, BACKTEST_FILE), backtestFileSchema.parse(file));
  const series = Object.fromEntries(Object.entries(report.runs).map(([k, r]) => [k, { times: test.t0.map((t) => t + model.T * HOUR_MS), equity: r.pnl.equity }]));
  await renderPng(equitySpec(thinEquity(series), `${target} test split: equity net of ${b.fee_bps + b.slippage_bps} bps per side (not advice)`), join(outDir, EQUITY_PLOT));

  const stats: BacktestStats = {
    test_hours: test.N, fee_bps: b.fee_bps, slippage_bps: b.slippage_bps,
    methods: Object.fromEntries(Object.entries(report.methods).map(([k, m]) => [k, {
      sharpe: m.test.sharpe, total_return: m.test.total_return, max_drawdown: m.test.max_drawdown, exposure: m.test.exposure, threshold: m.threshold,
    }])),
    best_alternative: file.comparison?.best_alternative ?? null, sharpe_difference: file.comparison?.sharpe_difference ?? null, summary,
  };
  const artifact: Artifact<BacktestStats> = {
    step: 'backtest', version: 1, created_at: file.created_at, config_hash: ctx.configHash, seed: config.seed,
    inputs: [inputRef(artifactsDir, 'clean', clean), inputRef(artifactsDir, 'tokenize', tok), inputRef(artifactsDir, 'sequences', seq), inputRef(artifactsDir, 'train', trained)],
    timings: timer.finish(), files: [BACKTEST_FILE, EQUITY_PLOT], stats,
  };
  writeArtifact(artifactsDir, 'backtest', backtestStats, artifact);

  reporter.log(`backtest: ${target}, ${test.N} test hours ${file.test.first} .. ${file.test.last}, forecasts ${secondsForecast.toFixed(1)} s`);
  for (const a of file.assumptions) reporter.log(`  assumes: ${a}`);
  reporter.log('  method            threshold   return    Sharpe   Sortino   max DD  turnover  hit rate  exposure');
  for (const [k, m] of Object.entries(file.methods)) {
    const t = m.test, pct = (x: number | null) => (x === null ? '     -' : `${(x * 100).toFixed(1).padStart(6)}%`);
    reporter.log(`  ${k.padEnd(17)} ${(m.threshold === null ? (k === BUY_AND_HOLD ? '-' : 'no trade') : m.threshold.toFixed(3)).padStart(9)} ${pct(t.total_return)} ` +
      `${t.sharpe.toFixed(2).padStart(8)} ${t.sortino.toFixed(2).padStart(9)} ${pct(t.max_drawdown)} ${t.turnover.toFixed(3).padStart(9)} ${pct(t.hit_rate)} ${pct(t.exposure)}`);
  }
  reporter.log(`backtest: ${summary}`);
  reporter.log(`backtest: ${NOT_ADVICE}`);
  return artifact;
}

function summaryOf(r: BacktestReport, confidence: number): string {
  const c = r.comparison;
  if (!c) return 'no model strategy to compare';
  const d = c.sharpe_difference, pc = Math.round(confidence * 100);
  const verdict = c.model_better ? 'better than' : c.model_worse ? 'worse than' : 'not distinguishable from';
  return `model Sharpe ${r.methods.model.test.sharpe.toFixed(2)} vs ${c.best_alternative} ${r.methods[c.best_alternative].test.sharpe.toFixed(2)} on test ` +
    `(difference ${d.estimate.toFixed(2)}, ${pc}% interval [${d.low.toFixed(2)}, ${d.high.toFixed(2)}]): ${verdict} the best alternative chosen on validation`;
}
