// Glue between the pipeline's artifacts and the engine: the model config a run's sequences imply, the
// window sets read from step 5, and a TrainEngine adapter over the onnxruntime Trainer.
import { join } from 'node:path';
import type { Config } from '../config/schema.ts';
import type { ModelConfig } from '../model/config.ts';
import type { OptimConfig } from '../model/optim-config.ts';
import type { TrainEngine, WindowSet, LoopOptions } from '../train/loop.ts';
import type { ScheduleConfig } from '../train/schedule.ts';
import { Trainer } from '../train/engine.ts';
import { readSafetensors } from '../checkpoint/safetensors.ts';
import { UserError } from '../util/errors.ts';
import type { SequencesStats } from './steps/sequences.ts';

/** The model of docs/model.md sized by the config's model keys and the sequences' V, C, K, T and target. */
export function modelConfigFrom(config: Config, seq: Pick<SequencesStats, 'V' | 'C' | 'K' | 'T' | 'target_index' | 'target_coin' | 'coins'>): ModelConfig {
  const m = config.model;
  const problems: string[] = [];
  if (seq.target_coin !== config.data.target_coin) problems.push(`data.target_coin is ${config.data.target_coin} but the sequences predict ${seq.target_coin}`);
  if (seq.coins.join(',') !== config.data.coins.join(',')) problems.push(`data.coins are ${config.data.coins.join(',')} but the sequences hold ${seq.coins.join(',')}`);
  if (seq.T !== config.sequences.window) problems.push(`sequences.window is ${config.sequences.window} but the sequences have T = ${seq.T}`);
  if (seq.V !== config.tokenize.num_bins) problems.push(`tokenize.num_bins is ${config.tokenize.num_bins} but the sequences have V = ${seq.V}`);
  if (problems.length) throw new UserError(`the config does not fit the step 5 sequences: ${problems.join('; ')}; rerun \`tokcast pipeline run-all\` (or tokenize + sequences)`);
  return {
    V: seq.V, O: seq.V, C: seq.C, K: seq.K, T: seq.T,
    e: m.embed_dim, d: m.d_model, H: m.n_heads, N: m.n_layers, F: m.d_ff,
    dropout: m.dropout, coin_mixing: m.coin_mixing, loss_positions: m.loss_positions, label_smoothing: m.label_smoothing,
    target_coin: seq.target_index,
  };
}

export function optimConfigFrom(config: Config): OptimConfig {
  const t = config.train;
  return { lr: t.lr, weight_decay: t.weight_decay, beta1: t.beta1, beta2: t.beta2, eps: t.eps, max_norm: t.max_grad_norm };
}

/** Token-noise augmentation of train.token_noise_prob; the target's price channel is never noised (it is also a label). */
export function tokenNoiseFrom(config: Config, model: ModelConfig): LoopOptions['tokenNoise'] {
  const prob = config.train.token_noise_prob;
  return prob > 0 ? { prob, V: model.V, protectedOffsets: [model.target_coin * model.K], hourSize: model.C * model.K } : undefined;
}

export function scheduleConfigFrom(config: Config): ScheduleConfig {
  const t = config.train;
  return { lr: t.lr, warmupEpochs: t.warmup_epochs, warmupStartLr: t.warmup_start_lr, plateau: t.plateau, earlyStopping: t.early_stopping };
}

/** A split's windows as written by step 5, checked against the model's shape. */
/** row: each window's first row in tokens.parquet (null for files written without it). */
export interface SequenceSet extends WindowSet { future: Uint8Array; H: number; t0: Float64Array; row: Int32Array | null }

export function readSequenceSet(dir: string, file: string, expect: { V: number; T: number; C: number; K: number }): SequenceSet {
  const path = join(dir, file);
  const f = readSafetensors(path);
  const x = f.tensors.x, y = f.tensors.y, future = f.tensors.future, t0 = f.tensors.t0;
  if (!x || !y || !future || !t0) throw new UserError(`${path}: expected tensors x, y, future and t0 (rerun \`tokcast pipeline sequences\`)`);
  const [N, T, C, K] = x.shape;
  if (T !== expect.T || C !== expect.C || K !== expect.K)
    throw new UserError(`${path}: windows are (N, ${T}, ${C}, ${K}) but the model expects (N, ${expect.T}, ${expect.C}, ${expect.K}); rerun \`tokcast pipeline sequences\``);
  const xs = x.data as Uint8Array;
  for (let i = 0; i < xs.length; i++) if (xs[i] >= expect.V) throw new UserError(`${path}: token ${xs[i]} at x[${i}] is outside the vocabulary [0, ${expect.V})`);
  return { x: xs, y: y.data as Uint8Array, N, rowSize: T * C * K, future: future.data as Uint8Array, H: future.shape[1], t0: t0.data as Float64Array, row: (f.tensors.row?.data as Int32Array | undefined) ?? null };
}

/** Adapts the onnxruntime Trainer to the loop's engine interface (tokens arrive as bytes). */
export function trainerEngine(trainer: Trainer): TrainEngine {
  return {
    trainStep: (x, y, _B, lr) => trainer.trainStep(Int32Array.from(x), Int32Array.from(y), lr),
    evalBatch: async (x, y) => {
      const r = await trainer.evaluate(Int32Array.from(x), Int32Array.from(y));
      return { loss: r.loss, acc: r.acc, nll: lastPositionNll(r.logits, y, trainer.modelConfig.O) };
    },
  };
}

export async function createTrainer(config: Config, model: ModelConfig, seed = config.seed): Promise<Trainer> {
  return Trainer.create(model, optimConfigFrom(config), {
    seed, threads: config.train.threads, executionProvider: config.train.execution_provider,
    allowCpuFallback: config.train.allow_cpu_fallback, onWarning: (m) => process.stderr.write(`tokcast: warning: ${m}\n`),
  });
}

/** Mean -log softmax(logits)[y] over a batch of last-position logits (B, O). */
export function lastPositionNll(logits: Float32Array, y: Uint8Array, O: number): number {
  let s = 0;
  for (let i = 0; i < y.length; i++) {
    let m = -Infinity;
    for (let j = 0; j < O; j++) m = Math.max(m, logits[i * O + j]);
    let z = 0;
    for (let j = 0; j < O; j++) z += Math.exp(logits[i * O + j] - m);
    s += m + Math.log(z) - logits[i * O + y[i]];
  }
  return s / y.length;
}
