// Step 6a pretrain (docs/pretraining.md): runs src/pipeline/pretraining/run.ts into artifacts/step_06a_pretrain and records the
// artifact; step 6 then fine-tunes from pretrained_model.safetensors (train.ts loadPretrainedIfAny).
import { existsSync } from 'node:fs';
import { z } from 'zod';
import type { StepContext } from '../context.ts';
import type { ProgressHandle } from '../../util/reporter.ts';
import { writeArtifact, readArtifact, startTimer, inputRef, stepDir, artifactPath, type Artifact, type InputRef } from '../artifact.ts';
import { tokenizeStats } from './tokenize.ts';
import { cleanStats, retractArtifact } from './clean.ts';
import { splitStats } from './split.ts';
import { sequencesStats } from './sequences.ts';
import { countParams } from '../../model/params.ts';
import type { Config } from '../../config/schema.ts';
import { configHash } from '../../config/load.ts';
import { runPretraining, PRETRAINED_FILE, HISTORY_FILE, STATS_FILE, SAMPLES_PLOT, MARKET_FILE } from '../pretraining/run.ts';

const num = z.number();
export const pretrainStats = z.object({
  num_samples: z.number().int(), epochs: z.number().int(), seed: z.number().int(), lr: num, rebalance: z.boolean(),
  chunk_samples: z.number().int(), chunks_per_epoch: z.number().int(), rounds: z.number().int(),
  model: z.record(z.string(), z.union([z.number(), z.string()])), parameters: z.number().int(),
  val_source: z.enum(['real', 'synthetic']), val_windows: z.number().int(),
  best_round: z.number().int(), best_val_loss: num, best_val_acc: num, best_val_nll: num,
  final_val_loss: num, final_val_acc: num,
  fit_seconds: num, train_seconds: num,
  synthetic_vs_real: z.record(z.string(), num),
}).strict();
export type PretrainStats = z.infer<typeof pretrainStats>;

export interface PretrainStepOptions {
  numSamples?: number; epochs?: number;
  /** run-all: later steps of this run keep the pretrained architecture (tuning searches the other parameters) */
  chained?: boolean;
}

/** The architecture keys of the tuning search space: the ones pretrained weights fix (docs/tuning.md#pretraining-and-tuning). */
export const ARCHITECTURE_KEYS = ['embed_dim', 'n_layers', 'n_heads', 'd_ff'] as const;

/** The config with the tuning search space pinned to an architecture (default: its own model's), so the pretrained
 *  weights still fit the model that tuning picks. */
export function pinArchitecture(config: Config, arch: { embed_dim: number; n_layers: number; n_heads: number; d_ff: number } = config.model): Config {
  return {
    ...config,
    tune: { ...config.tune, search_space: {
      ...config.tune.search_space,
      embed_dim: [arch.embed_dim], n_heads: [arch.n_heads], d_ff: [arch.d_ff], n_layers: { low: arch.n_layers, high: arch.n_layers },
    } },
  };
}

/** Runs step 6a pretrain; CLI: `tokcast pipeline pretrain --num-samples N --epochs E`. */
export async function runPretrainStep(ctx: StepContext, opts: PretrainStepOptions = {}): Promise<Artifact<PretrainStats>> {
  const timer = startTimer();
  const { config, artifactsDir, reporter } = ctx;
  const inputs: InputRef[] = [
    inputRef(artifactsDir, 'clean', readArtifact(artifactsDir, 'clean', cleanStats)),
    inputRef(artifactsDir, 'split', readArtifact(artifactsDir, 'split', splitStats)),
    inputRef(artifactsDir, 'tokenize', readArtifact(artifactsDir, 'tokenize', tokenizeStats)),
  ];
  if (existsSync(artifactPath(artifactsDir, 'sequences'))) inputs.push(inputRef(artifactsDir, 'sequences', readArtifact(artifactsDir, 'sequences', sequencesStats)));
  retractArtifact(artifactsDir, 'pretrain');
  const idle: ProgressHandle = { tick: () => {}, done: () => {} };
  let bar = idle;
  const finishBar = () => { bar.done(); bar = idle; };
  const r = await runPretraining({
    config, tokenizeArtifact: artifactPath(artifactsDir, 'tokenize'), outputDir: stepDir(artifactsDir, 'pretrain'),
    numSamples: opts.numSamples, epochs: opts.epochs, log: (m) => { finishBar(); reporter.log(m); },
    onBatch: (done, total, loss, round) => {
      if (done === 1) bar = reporter.progress(`pretrain round ${round}`, total, 'batches');
      bar.tick(1, { loss });
    },
  });
  finishBar();
  const last = r.history[r.history.length - 1]!;
  const stats: PretrainStats = {
    num_samples: r.numSamples, epochs: r.epochs, seed: r.seed, lr: config.pretrain.lr, rebalance: r.rebalance,
    chunk_samples: r.chunkSamples, chunks_per_epoch: r.chunksPerEpoch, rounds: r.history.length,
    model: { ...r.model } as unknown as Record<string, number | string>, parameters: countParams(r.model),
    val_source: r.valSource, val_windows: r.valWindows,
    best_round: r.best.round, best_val_loss: r.best.val_loss, best_val_acc: r.best.val_acc, best_val_nll: r.best.val_nll,
    final_val_loss: last.val_loss, final_val_acc: last.val_acc, fit_seconds: r.fitSeconds, train_seconds: r.trainSeconds,
    synthetic_vs_real: { ...r.stats.summary },
  };
  const files = [PRETRAINED_FILE, HISTORY_FILE, STATS_FILE, MARKET_FILE, ...(r.files.plot ? [SAMPLES_PLOT] : [])];
  const artifact: Artifact<PretrainStats> = {
    step: 'pretrain', version: 1, created_at: new Date().toISOString(), config_hash: ctx.configHash, seed: config.seed,
    inputs, timings: timer.finish(), files, stats,
  };
  writeArtifact(artifactsDir, 'pretrain', pretrainStats, artifact);
  if (opts.chained && config.train.use_pretrained) {
    ctx.config = pinArchitecture(config);
    ctx.configHash = configHash(ctx.config);
    reporter.log(`pretrain: later steps keep this architecture (e ${config.model.embed_dim}, layers ${config.model.n_layers}, heads ${config.model.n_heads}, ff ${config.model.d_ff}); tuning searches the rest`);
  }
  reporter.log(`pretrain: best round ${r.best.round}: ${r.valSource} val loss ${r.best.val_loss.toFixed(4)}, acc ${r.best.val_acc.toFixed(4)} (${r.trainSeconds.toFixed(1)} s); weights in ${PRETRAINED_FILE}`);
  return artifact;
}
