// Step 6a tune (docs/tuning.md#the-tune-step): TPE + MedianPruner over the configured search space; every trial trains the
// real model with the real training loop and reports validation loss per epoch. The objective lives here so
// src/tune never imports the model (docs/architecture.md#dependency-rules).
import { join, resolve } from 'node:path';
import { closeSync, existsSync, openSync, readSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { StepContext } from '../context.ts';
import { writeArtifact, readArtifact, startTimer, inputRef, stepDir, artifactPath, type Artifact } from '../artifact.ts';
import { sequencesStats, sequencesFile } from './sequences.ts';
import { readPretrained, PRETRAINED_FILE } from './train.ts';
import { pretrainStats, pinArchitecture, ARCHITECTURE_KEYS } from './pretrain.ts';
import { modelConfigFrom, readSequenceSet, trainerEngine, createTrainer, scheduleConfigFrom, tokenNoiseFrom } from '../model-setup.ts';
import { trainLoop } from '../../train/loop.ts';
import { runTuning, TrialPruned, type TuningObjective } from '../tuning/run.ts';
import { redact } from '../../tune/storage/url.ts';
import { summaryLines, trialLine } from '../tuning/progress.ts';
import { applyBestParams, applyParamsToConfig } from '../tuning/apply.ts';
import { configHash } from '../../config/load.ts';
import { countParams } from '../../model/params.ts';
import { UserError } from '../../util/errors.ts';
import type { Config } from '../../config/schema.ts';

export const tuneStats = z.object({
  study_name: z.string(),
  storage: z.string(),
  best_trial: z.number().int().nullable(),
  best_value: z.number().nullable(),
  best_params: z.record(z.string(), z.unknown()),
  counts: z.record(z.string(), z.number().int()),
  applied_to: z.string().nullable(),
}).strict();
export type TuneStats = z.infer<typeof tuneStats>;

export interface TuneStepOptions {
  numTrials?: number; maxTrials?: number; epochsPerTrial?: number; timeoutHours?: number; budget?: 'quick' | 'standard' | 'deep';
  storage?: string; studyName?: string; apply?: boolean;
  /** `--objectives val_loss,param_count`: several make a multi-objective study (Pareto front, no pruning) */
  objectives?: string[]; nJobs?: number; configPath?: string;
  /** run-all: train with the best params afterwards (the context's config is updated) */
  chained?: boolean;
}

/** SHA-256 of step 5's train and val files: what every trial trains and is scored on (the data part of the study fingerprint). */
export function sequencesDigest(artifactsDir: string): string {
  const h = createHash('sha256');
  const buf = Buffer.alloc(1 << 20);
  for (const split of ['train', 'val']) {
    const fd = openSync(join(stepDir(artifactsDir, 'sequences'), sequencesFile(split)), 'r');
    try {
      for (let n; (n = readSync(fd, buf, 0, buf.length, null)) > 0;) h.update(buf.subarray(0, n));
    } finally {
      closeSync(fd);
    }
    h.update(`|${split}|`);
  }
  return h.digest('hex');
}

/**
 * Pretraining and tuning together (docs/tuning.md#pretraining-and-tuning): when step 6a's pretrained weights exist and
 * train.use_pretrained is on, tuning searches only what keeps those weights usable; the architecture keys are pinned to the
 * weights' model, so `tune --apply` + `train` (or run-all --with-pretraining --with-tuning) fine-tune from them.
 */
export function pretrainedArchitecture(config: Config, artifactsDir: string): { path: string; arch: Record<(typeof ARCHITECTURE_KEYS)[number], number> } | null {
  const path = join(stepDir(artifactsDir, 'pretrain'), PRETRAINED_FILE);
  if (!config.train.use_pretrained || !existsSync(artifactPath(artifactsDir, 'pretrain')) || !existsSync(path)) return null;
  const m = readArtifact(artifactsDir, 'pretrain', pretrainStats).stats.model;
  return { path, arch: { embed_dim: Number(m.e), n_layers: Number(m.N), n_heads: Number(m.H), d_ff: Number(m.F) } };
}

/** The objectives `pipeline tune --objectives` knows: validation loss first, optionally the model's parameter count. */
export const TUNE_OBJECTIVES = ['val_loss', 'param_count'] as const;

export function checkObjectives(list: string[]): string[] {
  const ok = list[0] === 'val_loss' && list.every((o) => (TUNE_OBJECTIVES as readonly string[]).includes(o)) && new Set(list).size === list.length;
  if (!ok) throw new UserError(`--objectives: got "${list.join(',')}"; expected val_loss, optionally followed by param_count (e.g. val_loss,param_count)`);
  return list;
}

/** The study database follows --artifacts-dir unless a storage was named explicitly. */
export function resolveStorage(config: Config, artifactsDir: string, flag?: string): string {
  if (flag) return flag;
  if (config.tune.storage === 'artifacts/studies.db') return join(artifactsDir, 'studies.db');
  return config.tune.storage;
}

/** The real objective: train the trial's model for `epochs`, report validation loss, prune when told. */
export function trainingObjective(artifactsDir: string): TuningObjective {
  const seq = readArtifact(artifactsDir, 'sequences', sequencesStats);
  const dir = stepDir(artifactsDir, 'sequences');
  const train = readSequenceSet(dir, sequencesFile('train'), seq.stats);
  const val = readSequenceSet(dir, sequencesFile('val'), seq.stats);
  const pretrainedPath = join(stepDir(artifactsDir, 'pretrain'), PRETRAINED_FILE);
  const hasPretrained = existsSync(artifactPath(artifactsDir, 'pretrain')) && existsSync(pretrainedPath);
  return async (trial, t) => {
    const model = modelConfigFrom(t.config, seq.stats);
    const trainer = await createTrainer(t.config, model, t.config.seed + trial.number);
    let pruned = false;
    try {
      // the pretrain -> tune flow: trials fine-tune like step 6 would, when the trial's architecture fits the weights
      if (hasPretrained && t.config.train.use_pretrained) {
        try {
          trainer.setParams(readPretrained(pretrainedPath, model), true);
          trial.setUserAttr('pretrained', true);
        } catch (e) {
          if ((e as Error).name !== 'UserError') throw e;
          trial.setUserAttr('pretrained', false);
        }
      }
      const state = await trainLoop(trainerEngine(trainer), train, val, {
        epochs: t.epochs, batchSize: t.config.train.batch_size, seed: t.config.seed, shuffle: t.config.train.shuffle,
        schedule: scheduleConfigFrom(t.config),
        tokenNoise: tokenNoiseFrom(t.config, model),
        shouldStop: async (r) => {
          // plain last-position cross-entropy: the smoothed loss would favour trials with less label smoothing
          t.report(r.epoch - 1, r.val_nll);
          pruned = await t.shouldPrune();
          return pruned;
        },
      });
      if (pruned) throw new TrialPruned();
      const valLoss = Math.min(...state.history.map((h) => h.val_nll));
      if (t.objectives.length === 1) return valLoss;
      return t.objectives.map((o) => (o === 'param_count' ? countParams(model) : valLoss));
    } finally {
      await trainer.dispose();
    }
  };
}

/** Runs step 6a tune. */
export async function runTuneStep(ctx: StepContext, opts: TuneStepOptions = {}): Promise<Artifact<TuneStats>> {
  const timer = startTimer();
  const { artifactsDir, reporter } = ctx;
  let config: Config = opts.budget ? { ...ctx.config, tune: { ...ctx.config.tune, budget: opts.budget } } : ctx.config;
  const pre = pretrainedArchitecture(config, artifactsDir);
  if (pre) {
    config = pinArchitecture(config, pre.arch);
    const kept = ARCHITECTURE_KEYS.map((k) => `${k} ${pre.arch[k]}`).join(', ');
    const searched = Object.keys(config.tune.search_space).filter((k) => !(ARCHITECTURE_KEYS as readonly string[]).includes(k));
    reporter.log(`tune: pretrained weights found (${pre.path}): architecture kept at ${kept} so they still fit; searching only ${searched.join(', ')}` +
      ' (to search the architecture: train.use_pretrained: false, or pretrain again for the winning one)');
  }
  const seq = readArtifact(artifactsDir, 'sequences', sequencesStats);
  const storage = resolveStorage(config, artifactsDir, opts.storage);
  const outputDir = stepDir(artifactsDir, 'tune');
  const dataDigest = sequencesDigest(artifactsDir);
  const objectives = checkObjectives(opts.objectives ?? ['val_loss']);
  const t0 = performance.now();
  const result = await runTuning({
    config, sequencesArtifact: artifactPath(artifactsDir, 'sequences'), outputDir,
    numTrials: opts.numTrials, maxTrials: opts.maxTrials, signal: ctx.signal, epochsPerTrial: opts.epochsPerTrial, timeoutHours: opts.timeoutHours,
    storage, studyName: opts.studyName, dataDigest, objectives,
    metric: objectives.length === 1 ? 'val_nll_min' : ['val_nll_min', ...objectives.slice(1)].join(','), nJobs: opts.nJobs, objective: trainingObjective(artifactsDir),
    onStart: (p) => reporter.log(`tune: study "${p.studyName}" in ${redact(storage)}` +
      `${p.trialsBefore ? ` (continuing: ${p.trialsBefore} trials)` : ''}${p.staleFailed.length ? `; failed stale trials ${p.staleFailed.join(', ')} of a dead worker` : ''}`),
    onTrial: (p) => reporter.log(`tune: ${trialLine(p, (performance.now() - t0) / 1000)}`),
  });
  const r = result.results;
  for (const line of summaryLines(r, outputDir)) reporter.log(`tune: ${line}`);
  let appliedTo: string | null = null;
  if (opts.apply && r.best_trial) {
    const path = resolve(opts.configPath ?? 'config.yaml');
    if (existsSync(path)) {
      const a = applyBestParams(path, join(outputDir, 'tuning_results.json'));
      appliedTo = path;
      reporter.log(`tune: wrote ${a.applied.length} best params into ${path}`);
    } else reporter.log(`tune: --apply skipped: ${path} does not exist`);
  }
  if (opts.chained && r.best_trial) {
    ctx.config = applyParamsToConfig(ctx.config, r.best_trial.params as never);
    ctx.configHash = configHash(ctx.config);
    reporter.log('tune: training continues with the best params');
  }
  const stats: TuneStats = {
    study_name: result.studyName, storage, best_trial: r.best_trial?.number ?? null, best_value: typeof r.best_trial?.value === "number" ? r.best_trial.value : null,
    best_params: r.best_trial?.params ?? {}, counts: { ...r.n_trials }, applied_to: appliedTo,
  };
  const artifact: Artifact<TuneStats> = {
    step: 'tune', version: 1, created_at: new Date().toISOString(), config_hash: configHash(config), seed: config.seed,
    inputs: [inputRef(artifactsDir, 'sequences', seq)], timings: timer.finish(),
    files: result.files.map((f) => f.replace(`${outputDir}/`, '')), stats,
  };
  writeArtifact(artifactsDir, 'tune', tuneStats, artifact);
  return artifact;
}
