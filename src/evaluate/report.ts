// Turns forecasts of the model and the baselines on the same windows into the evaluation report:
// per-hour accuracy with block-bootstrap intervals, log loss, sequence accuracy, per-class precision/recall,
// Brier score and expected calibration error per hour, confusion matrices, and the model-minus-best-baseline
// differences of accuracy and of log loss with their paired intervals. The best baseline of each hour is either given
// (chosen on validation forecasts) or, when not, the best on these forecasts.
import { logLoss, confusion, precisionRecall, sequenceAccuracy } from './metrics.ts';
import { brier, ece } from './calibration.ts';
import { bootstrapStat, type Interval } from './bootstrap.ts';
import { optimalBlockLength } from './block-length.ts';

export interface MethodForecast { pred: Uint8Array; probs: Float64Array | null }

export interface MethodReport {
  accuracy_by_hour: Interval[];
  log_loss_by_hour: (number | null)[];
  /** multi-class Brier score per hour (null without probabilities) */
  brier_by_hour: (number | null)[];
  /** top-label expected calibration error per hour, 10 equal-width bins (null without probabilities) */
  ece_by_hour: (number | null)[];
  sequence_accuracy: number;
  mean_accuracy: number;
  precision_recall_hour1: { precision: number[]; recall: number[]; support: number[] };
  confusion: Record<string, number[][]>;
}

export interface Comparison {
  hour: number;
  best_baseline: string;
  model_accuracy: number;
  baseline_accuracy: number;
  difference: Interval;
  /** the whole interval lies above zero */
  model_better: boolean;
  /** the whole interval lies below zero */
  model_worse: boolean;
}

export interface LogLossComparison {
  hour: number;
  best_baseline: string;
  model_log_loss: number;
  baseline_log_loss: number;
  /** model minus baseline: negative is better for the model */
  difference: Interval;
  /** the whole interval lies below zero */
  model_better: boolean;
  /** the whole interval lies above zero */
  model_worse: boolean;
}

/** Best baseline per hour, for the accuracy and for the log-loss comparison. */
export interface BaselineChoice { accuracy: string[]; log_loss: string[] }

export interface EvaluationReport {
  n_windows: number;
  horizon: number;
  classes: number;
  /** block: the block length in hours, or 'auto' (Politis-White, chosen per interval from its own series; each interval records it) */
  bootstrap: { samples: number; confidence: number; block: number | 'auto' };
  methods: Record<string, MethodReport>;
  comparison: Comparison[];
  log_loss_comparison: LogLossComparison[];
  summary: string;
}

const hourSlice = (a: Uint8Array, N: number, H: number, h: number) => {
  const out = new Uint8Array(N);
  for (let i = 0; i < N; i++) out[i] = a[i * H + h];
  return out;
};

/** Per-window hit (1/0, NaN when the truth is missing) at hour h. */
function hits(pred: Uint8Array, truth: Uint8Array, N: number, H: number, h: number, V: number): Float64Array {
  const v = new Float64Array(N);
  for (let i = 0; i < N; i++) {
    const y = truth[i * H + h];
    v[i] = y >= V ? NaN : pred[i * H + h] === y ? 1 : 0;
  }
  return v;
}

/** Per-window negative log probability of the truth at hour h (NaN when the truth is missing). */
function nll(probs: Float64Array, truth: Uint8Array, N: number, H: number, h: number, V: number): Float64Array {
  const v = new Float64Array(N);
  for (let i = 0; i < N; i++) {
    const y = truth[i * H + h];
    v[i] = y >= V ? NaN : -Math.log(Math.max(probs[(i * H + h) * V + y], 1e-12));
  }
  return v;
}

/** Row h of a (N, H, V) probability array as (N, V). */
export function hourProbs(probs: Float64Array, N: number, H: number, V: number, h: number): Float64Array {
  const p = new Float64Array(N * V);
  for (let i = 0; i < N; i++) for (let j = 0; j < V; j++) p[i * V + j] = probs[(i * H + h) * V + j];
  return p;
}

function meanIdx(v: Float64Array, idx: Int32Array | null): number {
  let s = 0, n = 0;
  const m = idx ? idx.length : v.length;
  for (let i = 0; i < m; i++) { const x = v[idx ? idx[i] : i]; if (!Number.isNaN(x)) { s += x; n++; } }
  return n ? s / n : NaN;
}

export function buildReport(methods: Record<string, MethodForecast>, truth: Uint8Array, N: number, H: number, V: number,
  opts: { samples: number; confidence: number; block: number | 'auto'; seed: number; modelName?: string; notCandidates?: string[]; bestBaselines?: BaselineChoice;
    /** methods reported but never compared as baselines (e.g. the temperature-scaled model) */
    notBaselines?: string[] }): EvaluationReport {
  const modelName = opts.modelName ?? 'model';
  const boot = { samples: opts.samples, confidence: opts.confidence, block: opts.block };
  // block length of one interval: fixed, or chosen from the per-window series whose mean it bootstraps
  const interval = (stat: (idx: Int32Array | null) => number, series: Float64Array, seed: number): Interval => {
    const block = opts.block === 'auto' ? Math.max(1, Math.round(optimalBlockLength(series).circular)) : opts.block;
    const r = bootstrapStat(stat, N, { samples: opts.samples, confidence: opts.confidence, block, seed });
    return opts.block === 'auto' ? { ...r, block } : r;
  };
  const minus = (a: Float64Array, b: Float64Array) => Float64Array.from(a, (x, i) => x - b[i]);
  const out: Record<string, MethodReport> = {};
  const hitCache: Record<string, Float64Array[]> = {};
  for (const [name, f] of Object.entries(methods)) {
    hitCache[name] = Array.from({ length: H }, (_, h) => hits(f.pred, truth, N, H, h, V));
    const accs = hitCache[name].map((v, h) => interval((idx) => meanIdx(v, idx), v, opts.seed + h));
    const perHour = Array.from({ length: H }, (_, h) => {
      if (!f.probs) return null;
      const p = hourProbs(f.probs, N, H, V, h), y = hourSlice(truth, N, H, h);
      return { ll: logLoss(p, y, V), brier: brier(p, y, V), ece: ece(p, y, V) };
    });
    const cms: Record<string, number[][]> = {};
    for (const h of [1, 4, 8]) if (h <= H) cms[`hour_${h}`] = confusion(hourSlice(f.pred, N, H, h - 1), hourSlice(truth, N, H, h - 1), V);
    out[name] = {
      accuracy_by_hour: accs,
      log_loss_by_hour: perHour.map((x) => x?.ll ?? null),
      brier_by_hour: perHour.map((x) => x?.brier ?? null),
      ece_by_hour: perHour.map((x) => x?.ece ?? null),
      sequence_accuracy: sequenceAccuracy(f.pred, truth, N, H, V),
      mean_accuracy: accs.reduce((s, a) => s + a.estimate, 0) / H,
      precision_recall_hour1: precisionRecall(confusion(hourSlice(f.pred, N, H, 0), hourSlice(truth, N, H, 0), V)),
      confusion: cms,
    };
  }
  const comparison: Comparison[] = [], llComparison: LogLossComparison[] = [];
  const excluded = new Set([modelName, ...(opts.notCandidates ?? []), ...(opts.notBaselines ?? [])]);
  const candidates = Object.keys(methods).filter((n) => !excluded.has(n));
  const model = methods[modelName];
  if (model) {
    for (let h = 0; h < H; h++) {
      let best = opts.bestBaselines?.accuracy[h] ?? '';
      if (!opts.bestBaselines) {
        let bestAcc = -1;
        for (const name of candidates) {
          const a = out[name].accuracy_by_hour[h].estimate;
          if (a > bestAcc) { bestAcc = a; best = name; }
        }
      }
      if (!best || !out[best]) continue;
      const m = hitCache[modelName][h], b = hitCache[best][h];
      const diff = interval((idx) => meanIdx(m, idx) - meanIdx(b, idx), minus(m, b), opts.seed + 1000 + h);
      comparison.push({
        hour: h + 1, best_baseline: best, model_accuracy: out[modelName].accuracy_by_hour[h].estimate,
        baseline_accuracy: out[best].accuracy_by_hour[h].estimate, difference: diff, model_better: diff.low > 0, model_worse: diff.high < 0,
      });
    }
    if (model.probs) {
      for (let h = 0; h < H; h++) {
        let best = opts.bestBaselines?.log_loss[h] ?? '';
        if (!opts.bestBaselines) {
          let bestLl = Infinity;
          for (const name of candidates) {
            const l = out[name].log_loss_by_hour[h];
            if (l !== null && l < bestLl) { bestLl = l; best = name; }
          }
        }
        const bp = best ? methods[best]?.probs : null;
        if (!bp) continue;
        const m = nll(model.probs, truth, N, H, h, V), b = nll(bp, truth, N, H, h, V);
        const diff = interval((idx) => meanIdx(m, idx) - meanIdx(b, idx), minus(m, b), opts.seed + 2000 + h);
        llComparison.push({
          hour: h + 1, best_baseline: best, model_log_loss: out[modelName].log_loss_by_hour[h]!, baseline_log_loss: out[best].log_loss_by_hour[h]!,
          difference: diff, model_better: diff.high < 0, model_worse: diff.low > 0,
        });
      }
    }
  }
  const better = comparison.filter((c) => c.model_better).map((c) => c.hour);
  const worse = comparison.filter((c) => c.model_worse).map((c) => c.hour);
  const hours = (hs: number[]) => (hs.length === 0 ? 'no hour' : `hour${hs.length > 1 ? 's' : ''} ${hs.join(', ')}`);
  const summary = comparison.length === 0 ? 'no model forecast to compare'
    : `model beats the best baseline at ${hours(better)} and is worse at ${hours(worse)} ` +
      `(${Math.round(opts.confidence * 100)}% block-bootstrap intervals of the accuracy difference); elsewhere the difference is not significant` +
      (llComparison.length ? `; in log loss it is better at ${hours(llComparison.filter((c) => c.model_better).map((c) => c.hour))} ` +
        `and worse at ${hours(llComparison.filter((c) => c.model_worse).map((c) => c.hour))}` : '');
  return { n_windows: N, horizon: H, classes: V, bootstrap: boot, methods: out, comparison, log_loss_comparison: llComparison, summary };
}
