// Builds a small artifacts folder for the run tests: a train step with per-epoch history, an evaluation report,
// a pretraining step with market statistics, and on request the calibration / backtest / walk-forward reports and a
// malformed artifact file.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface EpochRow { epoch: number; train_loss: number; train_acc: number; val_loss: number; val_acc: number; val_nll: number; lr: number; grad_norm: number; seconds: number; samples_per_s: number; improved: boolean }

export function epochRow(e: number): EpochRow {
  return { epoch: e, train_loss: 1.1 - 0.05 * e, train_acc: 0.34 + 0.02 * e, val_loss: 1.12 - 0.03 * e, val_acc: 0.33 + 0.015 * e, val_nll: 1.1,
    lr: 0.001 / e, grad_norm: 0.2, seconds: 1.5, samples_per_s: 3000 + e, improved: true };
}

function artifact(step: string, stats: object, files: string[]) {
  return { step, version: 1, created_at: '2026-01-02T10:00:00.000Z', config_hash: 'abc123', seed: 42, inputs: [],
    timings: { started_at: '2026-01-02T09:59:00.000Z', finished_at: '2026-01-02T10:00:00.000Z', seconds: 60 }, files, stats };
}

/** A 1x1 PNG (the page only links and shows images). */
export const TINY_PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

function metrics(sharpe: number, total: number) {
  return { hours: 500, total_return: total, annualized_return: total * 17.5, sharpe, sortino: sharpe * 1.3, max_drawdown: 0.12, turnover: 0.4,
    trades: 80, hit_rate: 0.51, exposure: 0.6, total_cost: 0.016 };
}

/** The backtest report as the backtest step writes it (backtest.json). */
export function backtestReport() {
  return {
    created_at: '2026-01-02T10:00:00.000Z', not_advice: 'A historical simulation, not investment advice.',
    assumptions: ['fills at the hourly close', 'fees 10 bps per side'], target_coin: 'XRP', checkpoint: 'best.safetensors',
    costs: { fee_bps: 10, slippage_bps: 0, cost_per_side: 0.001, allow_short: true }, periods_per_year: 8760,
    signal: { rule: 'P(up) - P(down) against a threshold', up_tokens: [2], down_tokens: [0] },
    validation: { hours: 500, first: '2023-01-01T00:00:00Z', last: '2023-01-21T19:00:00Z', gaps: 0 },
    test: { hours: 500, first: '2023-02-01T00:00:00Z', last: '2023-02-21T19:00:00Z', gaps: 0 },
    methods: {
      model: { threshold: 0.1, validation: metrics(0.9, 0.03), test: metrics(0.7, 0.021) },
      markov: { threshold: 0.2, validation: metrics(0.5, 0.01), test: metrics(0.3, 0.008) },
      buy_and_hold: { threshold: null, validation: metrics(0.2, 0.02), test: metrics(-0.4, -0.05) },
    },
    comparison: { best_alternative: 'markov', chosen_by: 'validation Sharpe', sharpe_difference: { estimate: 0.4, low: -0.2, high: 1.1 },
      bootstrap: { samples: 500, confidence: 0.95, block: 12 }, model_better: false, model_worse: false },
    summary: 'model Sharpe 0.70 vs markov 0.30: not significant',
  };
}

/** A walk-forward report as the walk-forward step writes it: folds with spans and figures per method, means over folds. */
export function walkForwardReport(folds: number) {
  const span = (m: number, hours: number) => ({ first: `2022-0${m}-01T00:00:00.000Z`, last: `2022-0${m}-20T00:00:00.000Z`, hours });
  const fold = (i: number) => ({ fold: i + 1, folder: `fold_${i + 1}`, train: span(1, 400 + 100 * i), validation: span(2, 90), test: span(3, 300),
    epochs_run: 2, best_epoch: 1, seconds: 3.5,
    metrics: { model: { accuracy_h1: 0.44 + 0.01 * i, log_loss_h1: 1.05 - 0.01 * i, sharpe: 0.2 * i },
      window_majority: { accuracy_h1: 0.43, log_loss_h1: null, sharpe: -0.1 } } });
  const mean = (values: (number | null)[]) => {
    const xs = values.filter((x): x is number => x !== null);
    const m = xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null;
    return { values, mean: m, low: m === null ? null : m - 0.05, high: m === null ? null : m + 0.05 };
  };
  const all = Array.from({ length: folds }, (_, i) => fold(i));
  const means = Object.fromEntries(['model', 'window_majority'].map((m) => [m, Object.fromEntries(['accuracy_h1', 'log_loss_h1', 'sharpe'].map((f) =>
    [f, mean(all.map((x) => (x.metrics as Record<string, Record<string, number | null>>)[m][f]))]))]));
  return {
    created_at: '2026-01-02T10:00:00.000Z', target_coin: 'XRP', folds_requested: folds, embargo_hours: 12,
    method: 'expanding window; nothing is tuned', not_advice: 'The trading figures are historical simulations, not investment advice.',
    folds: all, means, summary: `mean over ${folds} folds: model ahead of the window majority`,
  };
}

export function interval(estimate: number) {
  return { estimate, low: estimate - 0.05, high: estimate + 0.05 };
}

/** Writes the run into `dir` (created); `epochs` history rows; returns the evaluation report written. */
export function writeRun(dir: string, epochs: number, opts: { malformed?: boolean; evaluation?: boolean; reports?: boolean } = {}) {
  const train = join(dir, 'step_06_train');
  mkdirSync(train, { recursive: true });
  const history = Array.from({ length: epochs }, (_, i) => epochRow(i + 1));
  writeFileSync(join(train, 'train_artifact.json'), JSON.stringify(artifact('train', { epochs_run: epochs, history }, ['history.json'])));
  writeFileSync(join(train, 'history.json'), JSON.stringify(history));
  writeFileSync(join(dir, 'run.json'), JSON.stringify({ command: 'pipeline run-all', config_hash: 'abc123', started_at: '2026-01-02T09:00:00.000Z' }));
  const pre = join(dir, 'step_06a_pretrain');
  mkdirSync(pre, { recursive: true });
  writeFileSync(join(pre, 'synthetic_data_stats.json'), JSON.stringify({ real: { kurtosis: 7.1, acf1_abs: 0.21 }, synthetic: { kurtosis: 6.4, acf1_abs: 0.18 } }));
  let report = null;
  if (opts.evaluation !== false) {
    const ev = join(dir, 'step_07_evaluate');
    mkdirSync(ev, { recursive: true });
    const method = (a: number[]) => ({ accuracy_by_hour: a.map(interval), log_loss_by_hour: a.map((x) => 1.5 - x), brier_by_hour: a.map((x) => 0.9 - x), sequence_accuracy: 0.01, mean_accuracy: a.reduce((s, x) => s + x, 0) / a.length,
      precision_recall_hour1: { precision: [0.3, 0.4, 0.5], recall: [0.3, 0.4, 0.5], support: [10, 10, 10] }, confusion: { '1': [[5, 3, 2], [2, 6, 2], [1, 2, 7]] } });
    report = { n_windows: 300, horizon: 3, classes: 3, bootstrap: { samples: 100, confidence: 0.95, block: 24 },
      methods: { model: method([0.41, 0.38, 0.36]), persistence: method([0.39, 0.35, 0.34]) },
      comparison: [{ hour: 1, best_baseline: 'persistence', model_accuracy: 0.41, baseline_accuracy: 0.39, difference: interval(0.02), model_better: false, model_worse: false }],
      summary: 'model vs baselines: not significant',
      headline: { split: 'test', n_windows: 300, horizon: 3, hour_1: { model_accuracy: interval(0.41), accuracy_baseline: 'persistence', baseline_accuracy: 0.39 },
        model_better_accuracy_hours: [] } };
    writeFileSync(join(ev, 'eval_results.json'), JSON.stringify(report));
    writeFileSync(join(ev, 'evaluate_artifact.json'), JSON.stringify(artifact('evaluate', { n_windows: 300 }, ['eval_results.json'])));
  }
  if (opts.reports) {
    const ev = join(dir, 'step_07_evaluate');
    writeFileSync(join(ev, 'calibration.png'), TINY_PNG);
    writeFileSync(join(ev, 'forecasts.parquet'), Buffer.alloc(2048, 1));
    const bt = join(dir, 'step_09_backtest');
    mkdirSync(bt, { recursive: true });
    writeFileSync(join(bt, 'backtest.json'), JSON.stringify(backtestReport()));
    writeFileSync(join(bt, 'equity.png'), TINY_PNG);
    const wf = join(dir, 'step_10_walk_forward');
    mkdirSync(wf, { recursive: true });
    writeFileSync(join(wf, 'walk_forward.json'), JSON.stringify(walkForwardReport(3)));
    writeFileSync(join(wf, 'walk_forward.png'), TINY_PNG);
  }
  if (opts.malformed) {
    const tok = join(dir, 'step_04_tokenize');
    mkdirSync(tok, { recursive: true });
    writeFileSync(join(tok, 'tokenize_artifact.json'), '{"step": "tokenize", "version": 1, "stats": {');
  }
  return { history, report };
}
