// The Trainer: owns the parameters and AdamW moments (flat host tensors; each step reads one buffer set and
// onnxruntime writes the next state into a second, swapped afterwards) and the train/eval/predict sessions
// built from src/train/step.ts. Never prints.
import { Session, type Provider, type SessionOptions } from '../runtime/session.ts';
import type { HostTensor } from '../runtime/tensor.ts';
import { validateModelConfig, type ModelConfig } from '../model/config.ts';
import { checkParams, decayMask, initParams, packParams, paramLayout, unpackParams, type Params } from '../model/params.ts';
import { dropoutSites } from '../model/transformer.ts';
import { loadCheckpoint, saveCheckpoint } from '../checkpoint/manifest.ts';
import { UserError } from '../util/errors.ts';
import { validateOptimConfig } from './optimizer.ts';
import type { OptimConfig } from '../model/optim-config.ts';
import { IO, buildEvalGraph, buildPredictGraph, buildTrainGraph } from './step.ts';
import { fillKeepMask, maskSeed } from './dropout-mask.ts';

export interface TrainerOptions {
  /** seeds the initial weights and the dropout masks; @default 0 */
  seed?: number;
  /** onnxruntime intra-op threads (0 = all cores); @default 0 */
  threads?: number;
  /** @default 'cpu' */
  executionProvider?: Provider;
  /** run on the CPU, with a warning through onWarning, when the requested GPU provider cannot be used; @default false */
  allowCpuFallback?: boolean;
  onWarning?: (message: string) => void;
  /**
   * let idle onnxruntime threads spin between kernels; off by default: a training step's kernels are long enough
   * that waking threads costs little, while spinning on a shared 2-core machine made steps ~1.4x slower
   * @default false
   */
  spinning?: boolean;
}

export interface StepResult { loss: number; acc: number; gradNorm: number }
export interface EvalResult { loss: number; acc: number; /** last-position logits (B, O) */ logits: Float32Array }

/** Token arrays: any integer typed array (Uint8Array is what the sequences step stores). */
export type Tokens = Int32Array | BigInt64Array | Uint8Array;

function toInt32(a: Tokens): Int32Array {
  if (a instanceof Int32Array) return a;
  if (a instanceof Uint8Array) return Int32Array.from(a);
  return Int32Array.from(a, (v) => Number(v));
}

const f32 = (data: Float32Array): HostTensor => ({ dtype: 'float32', dims: [data.length], data });

/** Trains, evaluates and runs one model; create it with `Trainer.create`. */
export class Trainer {
  private params: HostTensor;
  private m: HostTensor;
  private v: HostTensor;
  private readonly decay: HostTensor;
  private masks: Uint8Array[] = [];
  private spare: { params: HostTensor; m: HostTensor; v: HostTensor } | null = null;
  private readonly scalars = {
    loss: { dtype: 'float32', dims: [], data: new Float32Array(1) } as HostTensor,
    acc: { dtype: 'float32', dims: [], data: new Float32Array(1) } as HostTensor,
    gradNorm: { dtype: 'float32', dims: [], data: new Float32Array(1) } as HostTensor,
  };
  /** number of optimiser steps taken (AdamW's t) */
  step = 0;
  /** the provider the training session actually runs on (recorded as execution_provider_used) */
  executionProviderUsed: Provider = 'cpu';

  private constructor(
    readonly modelConfig: ModelConfig,
    readonly optimConfig: OptimConfig,
    private readonly sessionOptions: SessionOptions,
    private readonly seed: number,
  ) {
    const n = paramLayout(modelConfig).total;
    this.params = f32(packParams(modelConfig, initParams(modelConfig, seed)));
    this.m = f32(new Float32Array(n));
    this.v = f32(new Float32Array(n));
    this.decay = f32(decayMask(modelConfig));
  }

  // sessions open on first use, so a Trainer that only trains (a tuning trial) never builds the predict graph
  private sessions: Partial<Record<'train' | 'eval' | 'predict', Promise<Session>>> = {};

  private session(kind: 'train' | 'eval' | 'predict'): Promise<Session> {
    const cfg = this.modelConfig;
    this.sessions[kind] ??= Session.create(
      (kind === 'train' ? buildTrainGraph(cfg, this.optimConfig) : kind === 'eval' ? buildEvalGraph(cfg) : buildPredictGraph(cfg)).toOnnx(),
      // the training step without onnxruntime's memory pattern: peak RSS of the benchmark step ~500 MB instead of
      // ~825 MB, at the same CPU time per step (docs/training-engine.md)
      kind === 'train' ? { ...this.sessionOptions, memoryPattern: false } : this.sessionOptions,
    );
    return this.sessions[kind]!;
  }

  /** Validates the configs and opens the training session; weights start at docs/model.md#initialisation. */
  static async create(modelConfig: ModelConfig, optimConfig: OptimConfig, opts: TrainerOptions = {}): Promise<Trainer> {
    const cfg = validateModelConfig({ ...modelConfig });
    const so: SessionOptions = {
      threads: opts.threads ?? 0, provider: opts.executionProvider ?? 'cpu', spinning: opts.spinning ?? false,
      allowCpuFallback: opts.allowCpuFallback ?? false, onWarning: opts.onWarning,
    };
    const t = new Trainer(cfg, validateOptimConfig({ ...optimConfig }), so, opts.seed ?? 0);
    const train = await t.session('train');
    // later sessions run where the training one runs, without a second warning
    t.sessionOptions.provider = train.provider;
    t.executionProviderUsed = train.provider;
    return t;
  }

  private batchOf(x: Tokens, y?: Tokens): { B: number; xs: HostTensor; ys?: HostTensor } {
    const { T, C, K, V, O } = this.modelConfig;
    const per = T * C * K;
    if (x.length === 0 || x.length % per !== 0) throw new UserError(`x has ${x.length} tokens, not a multiple of T*C*K = ${per}`);
    const B = x.length / per;
    const xi = toInt32(x);
    for (let i = 0; i < xi.length; i++) if (!(xi[i] >= 0 && xi[i] < V)) throw new UserError(`x[${i}] = ${xi[i]} is not a token in [0, ${V})`);
    const xs: HostTensor = { dtype: 'int32', dims: [B, T, C, K], data: xi };
    if (!y) return { B, xs };
    if (y.length !== B) throw new UserError(`y has ${y.length} targets for a batch of ${B}`);
    const yi = toInt32(y);
    for (let i = 0; i < B; i++) if (!(yi[i] >= 0 && yi[i] < O)) throw new UserError(`y[${i}] = ${yi[i]} is not a class in [0, ${O})`);
    return { B, xs, ys: { dtype: 'int32', dims: [B], data: yi } };
  }

  /** One optimiser step on a batch x (B, T, C, K) and targets y (B); lr defaults to the optimiser config's. */
  async trainStep(x: Tokens, y: Tokens, lr = this.optimConfig.lr): Promise<StepResult> {
    const { B, xs, ys } = this.batchOf(x, y);
    const { T, d, dropout } = this.modelConfig;
    const feeds: Record<string, HostTensor> = {
      [IO.params]: this.params, [IO.m]: this.m, [IO.v]: this.v, [IO.decay]: this.decay,
      [IO.step]: { dtype: 'float64', dims: [], data: new Float64Array([this.step + 1]) },
      [IO.lr]: { dtype: 'float32', dims: [], data: new Float32Array([lr]) },
      [IO.x]: xs, [IO.y]: ys!,
    };
    if (dropout > 0) {
      const size = B * T * d;
      for (let i = 0; i < dropoutSites(this.modelConfig); i++) {
        if (!this.masks[i] || this.masks[i].length !== size) this.masks[i] = new Uint8Array(size);
        fillKeepMask(this.masks[i], dropout, maskSeed(this.seed, this.step + 1, i));
        feeds[IO.mask(i)] = { dtype: 'bool', dims: [B, T, d], data: this.masks[i] };
      }
    }
    // ping-pong: the run writes the new state into the spare buffers, which then become the current ones
    const n = this.params.data.length;
    const next = this.spare ?? { params: f32(new Float32Array(n)), m: f32(new Float32Array(n)), v: f32(new Float32Array(n)) };
    const s = this.scalars;
    await (await this.session('train')).runInto(feeds, {
      [IO.paramsOut]: next.params, [IO.mOut]: next.m, [IO.vOut]: next.v, [IO.loss]: s.loss, [IO.acc]: s.acc, [IO.gradNorm]: s.gradNorm,
    });
    this.spare = { params: this.params, m: this.m, v: this.v };
    this.params = next.params;
    this.m = next.m;
    this.v = next.v;
    this.step++;
    return { loss: s.loss.data[0] as number, acc: s.acc.data[0] as number, gradNorm: s.gradNorm.data[0] as number };
  }

  /** Copies of the keep-masks (B, T, d per dropout site, 1 = keep) fed to the last training step; empty without dropout. */
  lastDropoutMasks(): Uint8Array[] {
    return this.modelConfig.dropout > 0 && this.step > 0 ? this.masks.map((m) => m.slice()) : [];
  }

  /** Loss and last-position accuracy and logits on a batch, without dropout and without changing anything. */
  async evaluate(x: Tokens, y: Tokens): Promise<EvalResult> {
    const { xs, ys } = this.batchOf(x, y);
    const r = await (await this.session('eval')).run({ [IO.params]: this.params, [IO.x]: xs, [IO.y]: ys! });
    return { loss: Number(r[IO.loss].data[0]), acc: Number(r[IO.acc].data[0]), logits: r[IO.lastLogits].data as Float32Array };
  }

  /** Class probabilities of the hour after each window, (B, O) row-major. */
  async predictProba(x: Tokens): Promise<Float32Array> {
    const { xs } = this.batchOf(x);
    const r = await (await this.session('predict')).run({ [IO.params]: this.params, [IO.x]: xs });
    return r[IO.proba].data as Float32Array;
  }

  /** Named copies of the current parameters (docs/model.md#parameter-names, (in, out) matrices). */
  getParams(): Params {
    return unpackParams(this.modelConfig, (this.params.data as Float32Array).slice());
  }

  /** Replaces the parameters (e.g. pretrained weights); moments and step are kept unless `resetOptimizer`. */
  setParams(params: Params, resetOptimizer = false): void {
    const problems = checkParams(this.modelConfig, params);
    if (problems.length) throw new UserError(`setParams: ${problems.join('; ')}`);
    this.params = f32(packParams(this.modelConfig, params));
    if (resetOptimizer) {
      this.m = f32(new Float32Array(this.params.data.length));
      this.v = f32(new Float32Array(this.params.data.length));
      this.step = 0;
    }
  }

  /** Writes weights, AdamW state and config to a checkpoint folder (see src/checkpoint/manifest.ts). */
  saveCheckpoint(dir: string, extra?: Record<string, unknown>): void {
    const cfg = this.modelConfig;
    saveCheckpoint(dir, {
      modelConfig: cfg,
      optimConfig: this.optimConfig,
      params: unpackParams(cfg, this.params.data as Float32Array),
      optimizer: { step: this.step, m: unpackParams(cfg, this.m.data as Float32Array), v: unpackParams(cfg, this.v.data as Float32Array) },
      extra,
    });
  }

  /** Loads a checkpoint of the same model shape (refused with the reason otherwise); returns its `extra`. */
  loadCheckpoint(dir: string): Record<string, unknown> {
    const ck = loadCheckpoint(dir, this.modelConfig);
    this.params = f32(packParams(this.modelConfig, ck.params));
    if (ck.optimizer) {
      this.m = f32(packParams(this.modelConfig, ck.optimizer.m));
      this.v = f32(packParams(this.modelConfig, ck.optimizer.v));
      this.step = ck.optimizer.step;
    } else {
      this.m = f32(new Float32Array(this.params.data.length));
      this.v = f32(new Float32Array(this.params.data.length));
      this.step = 0;
    }
    return ck.extra ?? {};
  }

  /** Releases the onnxruntime sessions. */
  async dispose(): Promise<void> {
    const open = Object.values(this.sessions);
    this.sessions = {};
    await Promise.all(open.map(async (s) => (await s).release()));
  }
}
