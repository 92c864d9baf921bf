// Steps 1-7 on a folder of synthetic CSV candles with a tiny model: the shared run of the planted-rule e2e tests.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateConfig } from '../../src/config/load.ts';
import { makeContext } from '../../src/pipeline/context.ts';
import { stepDir } from '../../src/pipeline/artifact.ts';
import { runDownload } from '../../src/pipeline/steps/download.ts';
import { runClean } from '../../src/pipeline/steps/clean.ts';
import { runSplit } from '../../src/pipeline/steps/split.ts';
import { runTokenize } from '../../src/pipeline/steps/tokenize.ts';
import { runSequences } from '../../src/pipeline/steps/sequences.ts';
import { runTrain } from '../../src/pipeline/steps/train.ts';
import { runEvaluate, RESULTS_FILE } from '../../src/pipeline/steps/evaluate.ts';
import type { EvaluationReport } from '../../src/evaluate/report.ts';

/** Steps 1-7 (BTC, ETH, XRP; target XRP; 2022) with a 1-layer d=32 model; returns the report and the history. */
export async function runTinyCsvPipeline(dataDir: string, artifactsDir: string, opts: { seed: number; epochs: number; horizon: number }):
  Promise<{ report: EvaluationReport; history: Record<string, unknown>[] }> {
  const config = validateConfig({
    seed: opts.seed, artifacts_dir: artifactsDir,
    data: { source: 'csv', data_dir: dataDir, coins: ['BTC', 'ETH', 'XRP'], target_coin: 'XRP', start: '2022-01-01', end: '2022-12-31' },
    tokenize: { num_bins: 3 },
    sequences: { window: 8 },
    model: { embed_dim: 8, d_model: 32, n_heads: 2, n_layers: 1, d_ff: 64, dropout: 0, label_smoothing: 0 },
    train: { epochs: opts.epochs, batch_size: 64, lr: 0.003, warmup_epochs: 0, threads: 1, use_pretrained: false },
    evaluate: { horizon: opts.horizon, bootstrap_samples: 200 },
  });
  const ctx = makeContext(config);
  await runDownload(ctx);
  await runClean(ctx);
  await runSplit(ctx);
  await runTokenize(ctx);
  await runSequences(ctx);
  const trained = await runTrain(ctx);
  await runEvaluate(ctx);
  const report = JSON.parse(readFileSync(join(stepDir(artifactsDir, 'evaluate'), RESULTS_FILE), 'utf8')) as EvaluationReport;
  return { report, history: trained.stats.history };
}
