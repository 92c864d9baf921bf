// Builds a small artifacts folder for the run tests: a train step with per-epoch history, an evaluation report,
// a pretraining step with market statistics, and (on request) a malformed artifact file.
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

export function interval(estimate: number) {
  return { estimate, low: estimate - 0.05, high: estimate + 0.05 };
}

/** Writes the run into `dir` (created); `epochs` history rows; returns the evaluation report written. */
export function writeRun(dir: string, epochs: number, opts: { malformed?: boolean; evaluation?: boolean } = {}) {
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
    const method = (a: number[]) => ({ accuracy_by_hour: a.map(interval), log_loss_by_hour: a.map(() => 1), sequence_accuracy: 0.01, mean_accuracy: a.reduce((s, x) => s + x, 0) / a.length,
      precision_recall_hour1: { precision: [0.3, 0.4, 0.5], recall: [0.3, 0.4, 0.5], support: [10, 10, 10] }, confusion: { '1': [[5, 3, 2], [2, 6, 2], [1, 2, 7]] } });
    report = { n_windows: 300, horizon: 3, classes: 3, bootstrap: { samples: 100, confidence: 0.95, block: 24 },
      methods: { model: method([0.41, 0.38, 0.36]), persistence: method([0.39, 0.35, 0.34]) },
      comparison: [{ hour: 1, best_baseline: 'persistence', model_accuracy: 0.41, baseline_accuracy: 0.39, difference: interval(0.02), model_better: false, model_worse: false }],
      summary: 'model vs baselines: not significant' };
    writeFileSync(join(ev, 'eval_results.json'), JSON.stringify(report));
    writeFileSync(join(ev, 'evaluate_artifact.json'), JSON.stringify(artifact('evaluate', { n_windows: 300 }, ['eval_results.json'])));
  }
  if (opts.malformed) {
    const tok = join(dir, 'step_04_tokenize');
    mkdirSync(tok, { recursive: true });
    writeFileSync(join(tok, 'tokenize_artifact.json'), '{"step": "tokenize", "version": 1, "stats": {');
  }
  return { history, report };
}
