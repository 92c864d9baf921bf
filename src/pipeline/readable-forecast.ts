// The forecast as a trader reads it (step 8, docs/pipeline.md#inference): each token's meaning from the bin edges
// ("down: below -0.31%"), per hour ahead the probabilities and P(up), quantiles of the cumulative return from Monte
// Carlo token paths (each token's return drawn from the training hours that had it), and one verdict line with the
// model's measured skill from step 7 beside it.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { StepContext } from './context.ts';
import { stepDir } from './artifact.ts';
import { readTokenTable } from './steps/sequences.ts';
import { readParquet } from '../data/parquet.ts';
import { HOUR_MS, wideColumn } from '../data/candles.ts';
import { SPLIT_CODE } from '../data/split.ts';
import { directionOfBins, type Range } from '../backtest/signal.ts';
import { sampleTokenPaths, tokenShares, cumulativeReturnQuantiles } from '../evaluate/paths.ts';
import { Forecaster } from '../train/forecaster.ts';
import type { Checkpoint } from '../checkpoint/manifest.ts';
import { readJson } from '../util/fs.ts';
import { Rng } from '../util/rng.ts';
import { isoHour } from '../util/calendar.ts';

export const QUANTILES = [0.05, 0.25, 0.5, 0.75, 0.95] as const;
export const DEFAULT_PATHS = 2000;

const num = z.number();
export const readableSchema = z.object({
  labels: z.array(z.object({ token: z.number().int(), name: z.string(), meaning: z.string() }).strict()),
  up_tokens: z.array(z.number().int()),
  down_tokens: z.array(z.number().int()),
  paths: z.number().int().positive(),
  probability_rule: z.string(),
  quantile_rule: z.string(),
  hours: z.array(z.object({
    hour: z.number().int().positive(),
    time: z.string(),
    most_likely: z.string(),
    probabilities: z.record(z.string(), num),
    p_up: num,
    p_down: num,
    /** cumulative simple return from the last close at the end of this hour, by quantile ("5%": ...) */
    cumulative_return: z.record(z.string(), num),
  }).strict()),
  skill: z.object({
    data: z.string(), hour: z.number().int(), model_accuracy: num, best_baseline: z.string(), baseline_accuracy: num,
    difference: z.object({ estimate: num, low: num.nullable(), high: num.nullable() }).strict(), model_log_loss: num.nullable(),
  }).strict().nullable(),
  verdict: z.string(),
}).strict();
export type Readable = z.infer<typeof readableSchema>;

const signedPct = (x: number, d = 2) => `${x >= 0 ? '+' : '-'}${Math.abs(x * 100).toFixed(d)}%`;

/** Names and meanings of the target's price tokens: down / flat / up (numbered when a direction has several bins). */
export function binLabels(ranges: readonly Range[]): Readable['labels'] {
  const dir = directionOfBins(ranges);
  const kind = (j: number) => (dir.up.includes(j) ? 'up' : dir.down.includes(j) ? 'down' : 'flat');
  const count = (k: string) => ranges.filter((_, j) => kind(j) === k).length;
  const seen: Record<string, number> = {};
  return ranges.map(([lo, hi], token) => {
    const k = kind(token);
    seen[k] = (seen[k] ?? 0) + 1;
    const name = count(k) > 1 ? `${k} ${seen[k]}` : k;
    const a = lo === null ? null : signedPct(Math.expm1(lo)), b = hi === null ? null : signedPct(Math.expm1(hi));
    const meaning = a === null ? `below ${b}` : b === null ? `above ${a}` : `${a} to ${b}`;
    return { token, name, meaning };
  });
}

/** The target's log returns of the training hours, grouped by their price token. */
export async function trainingReturnsByBin(ctx: StepContext, coins: string[], target: number, V: number): Promise<Float64Array[]> {
  const tt = await readTokenTable(join(stepDir(ctx.artifactsDir, 'tokenize'), 'tokens.parquet'), coins);
  const cols = await readParquet(join(stepDir(ctx.artifactsDir, 'clean'), 'clean.parquet'), { columns: [wideColumn(coins[target], 'close')] });
  const close = cols[wideColumn(coins[target], 'close')] as Float64Array;
  const bins: number[][] = Array.from({ length: V }, () => []);
  const tok = tt.price[target];
  for (let r = 1; r < tok.length; r++) if (tt.split[r] === SPLIT_CODE.train && tok[r] < V) bins[tok[r]].push(Math.log(close[r] / close[r - 1]));
  return bins.map((b) => Float64Array.from(b));
}

const evalSchema = z.object({
  data: z.string(),
  comparison: z.array(z.object({ hour: z.number(), best_baseline: z.string(), model_accuracy: z.number(), baseline_accuracy: z.number(),
    difference: z.object({ estimate: z.number(), low: z.number().nullable(), high: z.number().nullable() }).loose() }).loose()),
  methods: z.object({ model: z.object({ log_loss_by_hour: z.array(z.number().nullable()) }).loose() }).loose(),
}).loose();

/** Step 7's hour-1 comparison (eval_results.json), or null when there is none. */
export function readSkill(ctx: StepContext): Readable['skill'] {
  const p = join(stepDir(ctx.artifactsDir, 'evaluate'), 'eval_results.json');
  if (!existsSync(p)) return null;
  const r = evalSchema.safeParse(readJson(p));
  if (!r.success) return null;
  const c = r.data.comparison.find((x) => x.hour === 1);
  if (!c) return null;
  return {
    data: r.data.data, hour: 1, model_accuracy: c.model_accuracy, best_baseline: c.best_baseline, baseline_accuracy: c.baseline_accuracy,
    difference: { estimate: c.difference.estimate, low: c.difference.low, high: c.difference.high }, model_log_loss: r.data.methods.model.log_loss_by_hour[0] ?? null,
  };
}

/**
 * Builds the readable forecast from window x (T, C, K). Hour 1's probabilities are the model's; later hours' are the
 * shares of the Monte Carlo paths in each token (the model's forecast averaged over how the earlier hours can go).
 */
export async function readableForecast(ctx: StepContext, ck: Checkpoint, x: Uint8Array, H: number, lastHourMs: number, coins: string[],
  ranges: readonly Range[], opts: { paths?: number; seed: number }): Promise<Readable> {
  const m = ck.modelConfig, V = m.O, n = opts.paths ?? DEFAULT_PATHS;
  const labels = binLabels(ranges), dir = directionOfBins(ranges);
  const forecaster = await Forecaster.create(m, ck.params, { horizon: 1, threads: ctx.config.train.threads });
  let first: Float32Array, paths: Uint8Array;
  try {
    const predict = async (buf: Uint8Array) => (await forecaster.forecast(Int32Array.from(buf))).proba;
    first = await predict(x);
    paths = await sampleTokenPaths(predict, x, { T: m.T, C: m.C, K: m.K, O: V, targetCoin: m.target_coin }, H, n, new Rng(opts.seed));
  } finally {
    await forecaster.dispose();
  }
  const shares = tokenShares(paths, n, H, V);
  const binReturns = await trainingReturnsByBin(ctx, coins, m.target_coin, V);
  const q = cumulativeReturnQuantiles(paths, n, H, binReturns, [...QUANTILES], new Rng(opts.seed + 1));
  const hours: Readable['hours'] = [];
  for (let h = 0; h < H; h++) {
    const p = Array.from({ length: V }, (_, j) => (h === 0 ? first[j] : shares[h * V + j]));
    const best = p.indexOf(Math.max(...p));
    hours.push({
      hour: h + 1, time: isoHour(lastHourMs + (h + 1) * HOUR_MS), most_likely: labels[best].name,
      probabilities: Object.fromEntries(labels.map((l, j) => [l.name, p[j]])),
      p_up: dir.up.reduce((s, j) => s + p[j], 0), p_down: dir.down.reduce((s, j) => s + p[j], 0),
      cumulative_return: Object.fromEntries(QUANTILES.map((qq, k) => [`${Math.round(qq * 100)}%`, q[h][k]])),
    });
  }
  const skill = readSkill(ctx);
  return {
    labels, up_tokens: dir.up, down_tokens: dir.down, paths: n,
    probability_rule: 'hour 1: the model\'s probabilities; later hours: the share of the Monte Carlo token paths in each token',
    quantile_rule: `${n} token paths drawn from the model hour by hour (other tokens of a new hour repeat the last observed hour); each token's log return drawn from the training hours with that token; cumulative simple return from the last close`,
    hours, skill, verdict: verdictOf(hours, H, skill),
  };
}

function verdictOf(hours: Readable['hours'], H: number, skill: Readable['skill']): string {
  const h1 = hours[0], last = hours[H - 1];
  const lean = h1.p_up - h1.p_down;
  const side = Math.abs(lean) < 0.02 ? 'no clear lean' : lean > 0 ? 'leans up' : 'leans down';
  const range = `after ${H} h the median path is ${signedPct(last.cumulative_return['50%'])} (90% of paths between ${signedPct(last.cumulative_return['5%'])} and ${signedPct(last.cumulative_return['95%'])})`;
  const s = skill === null ? 'skill not measured yet (run `tokcast pipeline evaluate`)'
    : `measured skill (${skill.data}): hour-1 accuracy ${(skill.model_accuracy * 100).toFixed(1)}% vs ${(skill.baseline_accuracy * 100).toFixed(1)}% for ${skill.best_baseline}` +
      ` (${skill.difference.estimate >= 0 ? '+' : ''}${(skill.difference.estimate * 100).toFixed(1)} points${skill.difference.low === null || skill.difference.high === null ? '' : `, interval [${(skill.difference.low * 100).toFixed(1)}, ${(skill.difference.high * 100).toFixed(1)}]`})`;
  return `next hour ${side} (P(up) ${h1.p_up.toFixed(2)}, P(down) ${h1.p_down.toFixed(2)}, most likely ${h1.most_likely}); ${range}; ${s}. Not advice.`;
}

/** Lines for the terminal: the last close, the bins, a table by hour, the verdict. */
export function readableLines(r: Readable, coin: string, lastClose: number, lastHourMs: number): string[] {
  const names = r.labels.map((l) => l.name);
  const upCol = !names.includes('up'); // with several up bins, P(up) gets its own column
  const hm = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
  const lines = [`${coin}: last close ${lastClose.toPrecision(6)} at ${hm(lastHourMs + HOUR_MS)} UTC (the close of the hour opened ${hm(lastHourMs)})`,
    `  tokens (change from the previous close): ${r.labels.map((l) => `${l.name}: ${l.meaning}`).join(' | ')}`,
    `  hour  ends (UTC)        ${names.map((n) => `P(${n})`.padStart(10)).join('')}${upCol ? '     P(up)' : ''}   return from the last close: 5% / 25% / 50% / 75% / 95%`];
  for (const h of r.hours) {
    lines.push(`  +${String(h.hour).padEnd(4)}${hm(Date.parse(h.time) + HOUR_MS).padEnd(17)}${names.map((n) => h.probabilities[n].toFixed(2).padStart(10)).join('')}` +
      `${upCol ? h.p_up.toFixed(2).padStart(10) : ''}   ${QUANTILES.map((q) => signedPct(h.cumulative_return[`${Math.round(q * 100)}%`])).join(' / ')}`);
  }
  lines.push(`  verdict: ${r.verdict}`);
  return lines;
}
