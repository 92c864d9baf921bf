// Step 6 train (docs/model.md#training-schedule): trains the transformer on step 5's windows with AdamW, warmup,
// ReduceLROnPlateau, early stopping and clipping; keeps the best (validation loss) and last checkpoints,
// history.json and curves; resumable with --resume; starts from pretraining weights when they exist.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { StepContext } from '../context.ts';
import type { ProgressHandle } from '../../util/reporter.ts';
import { writeArtifact, readArtifact, startTimer, inputRef, stepDir, artifactPath, type Artifact, type InputRef } from '../artifact.ts';
import { sequencesStats, sequencesFile } from './sequences.ts';
import { retractArtifact } from './clean.ts';
import { modelConfigFrom, readSequenceSet, trainerEngine, createTrainer, scheduleConfigFrom, tokenNoiseFrom } from '../model-setup.ts';
import { trainLoop, type LoopState, type EpochRecord } from '../../train/loop.ts';
import { countParams, checkParams, type Params } from '../../model/params.ts';
import { exportModelOnnx } from '../../model/export.ts';
import { readSafetensors } from '../../checkpoint/safetensors.ts';
import { readJson, writeJsonAtomic } from '../../util/fs.ts';
import { parseLoopState, resumeDifferences, resumeFingerprint, type Fingerprint } from '../resume-check.ts';
import { readRunProfile } from '../run-profile.ts';
import { UserError } from '../../util/errors.ts';
import { InterruptedError } from '../../util/interrupt.ts';
import { replaceCheckpointDir } from '../../checkpoint/swap.ts';
import { renderPng } from '../../plots/render.ts';
import { trainingCurvesSpec } from '../../plots/specs/training.ts';

export const BEST_DIR = 'checkpoint_best';
export const LAST_DIR = 'checkpoint_last';
export const PRETRAINED_FILE = 'pretrained_model.safetensors';

const epochRecord = z.object({
  epoch: z.number().int(), train_loss: z.number(), train_acc: z.number(), val_loss: z.number(), val_acc: z.number(), val_nll: z.number(),
  lr: z.number(), grad_norm: z.number(), seconds: z.number(), samples_per_s: z.number(), improved: z.boolean(),
}).strict();

export const trainStats = z.object({
  model: z.record(z.string(), z.union([z.number(), z.string()])),
  parameters: z.number().int(),
  train_windows: z.number().int(), val_windows: z.number().int(),
  epochs_run: z.number().int(), best_epoch: z.number().int(), best_val_loss: z.number(), best_val_acc: z.number(),
  stopped_early: z.boolean(), resumed: z.boolean(),
  pretrained: z.object({ used: z.boolean(), path: z.string().nullable(), reason: z.string() }).strict(),
  seconds: z.number(), samples_per_s: z.number(),
  /** the onnxruntime execution provider that ran the training step (cpu after an allowed fallback) */
  execution_provider_used: z.enum(['cpu', 'cuda', 'webgpu']),
  history: z.array(epochRecord),
}).strict();
export type TrainStats = z.infer<typeof trainStats>;

/** Loads pretraining weights into params form; refuses a file of another model shape with the reason. */
export function readPretrained(path: string, model: Parameters<typeof checkParams>[0]): Params {
  const f = readSafetensors(path);
  const params: Params = {};
  const shapes: Record<string, number[]> = {};
  for (const [name, t] of Object.entries(f.tensors)) {
    if (t.dtype !== 'F32') throw new UserError(`${path}: tensor ${name} is ${t.dtype}, expected F32`);
    params[name] = t.data as Float32Array;
    shapes[name] = t.shape;
  }
  const problems = checkParams(model, params, shapes);
  if (problems.length) throw new UserError(`${path}: pretrained weights do not fit this model: ${problems.slice(0, 3).join('; ')}`);
  return params;
}

/** Runs step 6. Options: resume (continue from checkpoint_last; force: even with other settings), pretrained (false = ignore pretraining). */
export async function runTrain(ctx: StepContext, opts: { resume?: boolean; force?: boolean; pretrained?: boolean } = {}): Promise<Artifact<TrainStats>> {
  const timer = startTimer();
  const { config, artifactsDir, reporter } = ctx;
  const seq = readArtifact(artifactsDir, 'sequences', sequencesStats);
  const model = modelConfigFrom(config, seq.stats);
  const seqDir = stepDir(artifactsDir, 'sequences');
  const train = readSequenceSet(seqDir, sequencesFile('train'), seq.stats);
  const val = readSequenceSet(seqDir, sequencesFile('val'), seq.stats);
  if (val.N === 0) throw new UserError('train: the validation split has no windows; enlarge split.val_ratio');
  const dir = stepDir(artifactsDir, 'train');
  const trainer = await createTrainer(config, model);
  const inputs: InputRef[] = [inputRef(artifactsDir, 'sequences', seq)];
  const fingerprint = resumeFingerprint(config, { sequences_created_at: seq.created_at, data_hash: readRunProfile(artifactsDir)?.data_hash ?? null });
  try {
    let resumeState: LoopState | undefined;
    const lastDir = join(dir, LAST_DIR);
    let pretrained: TrainStats['pretrained'] = { used: false, path: null, reason: 'no pretraining artifact' };
    if (opts.resume) {
      if (!existsSync(join(lastDir, 'checkpoint.json'))) throw new UserError(`${lastDir}: no checkpoint to resume from; run \`tokcast pipeline train\` without --resume`);
      const extra = trainer.loadCheckpoint(lastDir);
      resumeState = parseLoopState(extra.loop, join(lastDir, 'checkpoint.json')) as unknown as LoopState;
      checkResumable(ctx, extra.resume as Fingerprint | undefined, fingerprint, lastDir, opts.force === true);
      checkBestMatches(join(dir, BEST_DIR), resumeState);
      pretrained = (extra.pretrained as TrainStats['pretrained']) ?? pretrained;
      reporter.log(`train: resuming after epoch ${resumeState.epoch} (step ${trainer.step})`);
    } else {
      retractArtifact(artifactsDir, 'train');
      pretrained = loadPretrainedIfAny(ctx, trainer, model, opts.pretrained !== false, inputs);
      if (pretrained.used) reporter.log(`train: starting from pretrained weights ${pretrained.path}`);
    }
    let bar: ProgressHandle = { tick: () => {}, done: () => {} };
    let epochNo = resumeState?.epoch ?? 0;
    const state = await withInterrupt(ctx.signal, (signal) => trainLoop(trainerEngine(trainer), train, val, {
      epochs: config.train.epochs, batchSize: config.train.batch_size, seed: config.seed, shuffle: config.train.shuffle,
      schedule: scheduleConfigFrom(config), resume: resumeState, signal,
      tokenNoise: tokenNoiseFrom(config, model),
      onBatch: (done, total, loss) => {
        if (done === 1) bar = reporter.progress(`epoch ${++epochNo}`, total, 'batches');
        bar.tick(1, { loss });
      },
      onEpochEnd: async (r, s) => {
        bar.done();
        // best before last: a crash between the two leaves `last` at the previous epoch, so --resume reruns this one
        // and writes its best again; the other order could resume past an improved epoch whose best was never saved
        if (r.improved) saveCheckpointDir(trainer, join(dir, BEST_DIR), { epoch: r.epoch, val_loss: r.val_loss });
        saveCheckpointDir(trainer, lastDir, { loop: s, pretrained, resume: fingerprint });
        writeJsonAtomic(join(dir, 'history.json'), s.history);
        reporter.log(formatEpoch(r, config.train.epochs));
      },
    }));
    // export the best weights as model.onnx
    trainer.loadCheckpoint(join(dir, BEST_DIR));
    exportModelOnnx(join(dir, 'model.onnx'), model, trainer.getParams());
    await renderPng(trainingCurvesSpec(state.history, `Training (${config.data.target_coin})`), join(dir, 'training_curves.png'));
    const best = state.history.find((h) => h.epoch === state.bestEpoch) ?? state.history[state.history.length - 1];
    const secs = state.history.reduce((s, h) => s + h.seconds, 0);
    const stats: TrainStats = {
      model: { ...model } as unknown as Record<string, number | string>, parameters: countParams(model),
      train_windows: train.N, val_windows: val.N, epochs_run: state.epoch, best_epoch: state.bestEpoch,
      best_val_loss: best.val_loss, best_val_acc: best.val_acc, stopped_early: state.stoppedEarly, resumed: Boolean(opts.resume),
      pretrained, seconds: secs, samples_per_s: state.history.length ? mean(state.history.map((h) => h.samples_per_s)) : 0,
      execution_provider_used: trainer.executionProviderUsed,
      history: state.history,
    };
    const artifact: Artifact<TrainStats> = {
      step: 'train', version: 1, created_at: new Date().toISOString(), config_hash: ctx.configHash, seed: config.seed,
      inputs, timings: timer.finish(),
      files: [`${BEST_DIR}/`, `${LAST_DIR}/`, 'history.json', 'model.onnx', 'training_curves.png'], stats,
    };
    writeArtifact(artifactsDir, 'train', trainStats, artifact);
    reporter.log(`train: best epoch ${stats.best_epoch}: val loss ${best.val_loss.toFixed(4)}, val acc ${best.val_acc.toFixed(4)} (${secs.toFixed(1)} s)`);
    return artifact;
  } finally {
    await trainer.dispose();
  }
}

function loadPretrainedIfAny(ctx: StepContext, trainer: Awaited<ReturnType<typeof createTrainer>>, model: Parameters<typeof checkParams>[0],
  wanted: boolean, inputs: InputRef[]): TrainStats['pretrained'] {
  const path = join(stepDir(ctx.artifactsDir, 'pretrain'), PRETRAINED_FILE);
  if (!existsSync(artifactPath(ctx.artifactsDir, 'pretrain')) || !existsSync(path)) return { used: false, path: null, reason: 'no pretraining artifact' };
  if (!wanted || !ctx.config.train.use_pretrained) return { used: false, path, reason: 'turned off (--no-pretrained or train.use_pretrained: false)' };
  const artifact = readArtifact(ctx.artifactsDir, 'pretrain', z.unknown()); // checks the weights' hash
  trainer.setParams(readPretrained(path, model), true);
  inputs.push(inputRef(ctx.artifactsDir, 'pretrain', artifact));
  return { used: true, path, reason: 'pretraining artifact found' };
}

/** Refuses to resume a checkpoint trained with other settings or data (listing them), unless forced (then a warning). */
function checkResumable(ctx: StepContext, saved: Fingerprint | undefined, now: Fingerprint, lastDir: string, force: boolean): void {
  const diff = saved ? resumeDifferences(saved, now) : ['(the checkpoint does not record its settings)'];
  if (diff.length === 0) return;
  const what = `${lastDir} was trained with other settings or data: ${diff.slice(0, 8).join('; ')}${diff.length > 8 ? `; and ${diff.length - 8} more` : ''}`;
  if (!force) throw new UserError(`--resume: ${what}; train from the start without --resume, or pass --resume --force to continue anyway`);
  ctx.reporter.log(`tokcast: warning: --resume --force: ${what}; continuing as asked`);
}

/** checkpoint_best must be the training state's best epoch (or the epoch being rerun, whose best was saved first). */
function checkBestMatches(bestDir: string, s: LoopState): void {
  if (s.bestEpoch === 0) return;
  const refuse = (why: string): never => {
    throw new UserError(`${bestDir}: ${why}, but the training state's best epoch is ${s.bestEpoch}; train from the start without --resume`);
  };
  if (!existsSync(join(bestDir, 'checkpoint.json'))) refuse('missing');
  const m = readJson(join(bestDir, 'checkpoint.json')) as { extra?: { epoch?: unknown } };
  const e = m.extra?.epoch;
  if (e !== s.bestEpoch && e !== s.epoch + 1) refuse(`holds epoch ${String(e)}`);
}

/** A checkpoint folder written beside, then swapped in (src/checkpoint/swap.ts): a crash mid-save keeps the previous one. */
function saveCheckpointDir(trainer: { saveCheckpoint(dir: string, extra?: Record<string, unknown>): void }, dir: string, extra: Record<string, unknown>): void {
  replaceCheckpointDir(dir, (tmp) => trainer.saveCheckpoint(tmp, extra));
}

/** With the context's signal aborted (Ctrl-C), training stops at the next batch; the last finished epoch stays saved. */
async function withInterrupt<R>(signal: AbortSignal | undefined, fn: (signal: AbortSignal | undefined) => Promise<R>): Promise<R> {
  try {
    return await fn(signal);
  } catch (e) {
    if (signal?.aborted) throw new InterruptedError('training interrupted; the last finished epoch is saved, continue with `tokcast pipeline train --resume`');
    throw e;
  }
}

function formatEpoch(r: EpochRecord, total: number): string {
  return `epoch ${r.epoch}/${total}: train loss ${r.train_loss.toFixed(4)} acc ${r.train_acc.toFixed(3)} | val loss ${r.val_loss.toFixed(4)} acc ${r.val_acc.toFixed(3)} | lr ${r.lr.toExponential(2)} | ${r.samples_per_s.toFixed(0)} samples/s${r.improved ? ' *' : ''}`;
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
