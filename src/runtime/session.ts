// Session wrapper over onnxruntime-node: create from ONNX bytes with threading/optimisation/provider options,
// run with named host feeds, get named host outputs. A GPU provider that is not available is an error, unless
// the caller allows the CPU fallback (then it warns); the session says which provider actually runs it.
import * as ort from 'onnxruntime-node';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { type HostTensor, fromOrt, toOrt } from './tensor.ts';
import { UserError } from '../util/errors.ts';

export type Provider = 'cpu' | 'cuda' | 'webgpu';

export interface SessionOptions {
  /** intra-op threads (0 = onnxruntime default); @default 0 */
  threads?: number;
  /** inter-op threads, used only with parallel execution; @default 0 */
  interOpThreads?: number;
  /** graph optimisation level; @default 'all' */
  optimization?: 'disabled' | 'basic' | 'extended' | 'all';
  /** execution provider; a GPU provider that cannot be used is an error unless allowCpuFallback; @default 'cpu' */
  provider?: Provider;
  /** run on the CPU when the requested GPU provider cannot be used, calling onWarning; @default false */
  allowCpuFallback?: boolean;
  /** receives the one-line fallback warning (the runtime itself never prints) */
  onWarning?: (message: string) => void;
  /** parallel executes independent nodes concurrently; @default 'sequential' */
  executionMode?: 'sequential' | 'parallel';
  /** write the optimised model here (debugging) */
  optimizedModelPath?: string;
  /** hint: symbolic dims to treat as fixed (onnxruntime freeDimensionOverrides, e.g. { B: 256 }) */
  fixedDims?: Record<string, number>;
  /** let idle pool threads spin (lower latency on an idle machine, wasted cores on a busy one); @default true */
  spinning?: boolean;
  /**
   * onnxruntime's memory pattern: plan all intermediate buffers of a run as one block; off, they come from the arena
   * one by one and are reused as soon as they are dead; @default true
   */
  memoryPattern?: boolean;
}

/** Providers this onnxruntime-node install can use ('cpu' always; 'cuda' only when its provider library is present). */
export function availableProviders(): Provider[] {
  const out: Provider[] = ['cpu'];
  const listed = (ort as unknown as { listSupportedBackends?: () => { name: string; bundled: boolean }[] }).listSupportedBackends?.() ?? [];
  const binDir = join(dirname(createRequire(import.meta.url).resolve('onnxruntime-node')), '..', 'bin', 'napi-v6', process.platform, process.arch);
  for (const b of listed) {
    if (b.name !== 'cuda' && b.name !== 'webgpu') continue;
    if (b.bundled || existsSync(join(binDir, `libonnxruntime_providers_${b.name}.so`))) out.push(b.name);
  }
  return out;
}

/** A loaded ONNX model ready to run. */
export class Session {
  private constructor(
    private readonly inner: ort.InferenceSession,
    /** the provider that actually runs the model (recorded as execution_provider_used) */
    readonly provider: Provider,
    /** why the requested provider was replaced by the CPU, or null */
    readonly fallbackReason: string | null = null,
  ) {}

  /** Creates a session from ONNX model bytes; throws with onnxruntime's message if the model is rejected. */
  static async create(model: Uint8Array, opts: SessionOptions = {}): Promise<Session> {
    const base: ort.InferenceSession.SessionOptions = {
      intraOpNumThreads: opts.threads ?? 0,
      interOpNumThreads: opts.interOpThreads ?? 0,
      graphOptimizationLevel: opts.optimization ?? 'all',
      enableMemPattern: opts.memoryPattern ?? true,
      executionMode: opts.executionMode ?? 'sequential',
      ...(opts.optimizedModelPath ? { optimizedModelFilePath: opts.optimizedModelPath } : {}),
      ...(opts.fixedDims ? { freeDimensionOverrides: opts.fixedDims } : {}),
      ...(opts.spinning === false ? { extra: { session: { intra_op: { allow_spinning: '0' }, inter_op: { allow_spinning: '0' } } } } : {}),
    };
    const provider = opts.provider ?? 'cpu';
    let reason: string | null = null;
    if (provider !== 'cpu') {
      if (!availableProviders().includes(provider)) {
        reason = `this onnxruntime-node install has no ${provider} provider (available: ${availableProviders().join(', ')})`;
      } else {
        try {
          // nodes the GPU provider has no kernel for run on the CPU provider inside the same session
          const s = await ort.InferenceSession.create(model, { ...base, logSeverityLevel: 3, executionProviders: [provider, 'cpu'] });
          return new Session(s, provider);
        } catch (e) {
          reason = `onnxruntime could not start the ${provider} provider (${(e as Error).message.split('\n')[0]})`;
        }
      }
      if (!opts.allowCpuFallback) {
        throw new UserError(`execution provider "${provider}" was requested but ${reason}; use a machine with it, or pass --allow-cpu-fallback to run on the CPU`);
      }
      opts.onWarning?.(`execution provider "${provider}" is not usable (${reason}): running on the CPU (--allow-cpu-fallback)`);
    }
    const s = await ort.InferenceSession.create(model, { ...base, executionProviders: ['cpu'] });
    return new Session(s, 'cpu', reason);
  }

  get inputNames(): readonly string[] { return this.inner.inputNames; }
  get outputNames(): readonly string[] { return this.inner.outputNames; }

  /** Runs the model; `outputs` limits which outputs are computed (default all). */
  async run(feeds: Record<string, HostTensor>, outputs?: readonly string[]): Promise<Record<string, HostTensor>> {
    const f: Record<string, ort.Tensor> = {};
    for (const [k, v] of Object.entries(feeds)) f[k] = toOrt(v);
    const r = outputs ? await this.inner.run(f, outputs as string[]) : await this.inner.run(f);
    const out: Record<string, HostTensor> = {};
    for (const [k, v] of Object.entries(r)) out[k] = fromOrt(v);
    return out;
  }

  /**
   * Runs the model writing the named outputs into the given (pre-allocated, right-sized) host tensors, so a
   * training loop can reuse buffers; an output buffer must not also be fed as an input of the same run.
   */
  async runInto(feeds: Record<string, HostTensor>, outputs: Record<string, HostTensor>): Promise<void> {
    const f: Record<string, ort.Tensor> = {};
    for (const [k, v] of Object.entries(feeds)) f[k] = toOrt(v);
    const o: Record<string, ort.Tensor> = {};
    for (const [k, v] of Object.entries(outputs)) o[k] = toOrt(v);
    const r = await this.inner.run(f, o);
    for (const [k, v] of Object.entries(r)) {
      const dst = outputs[k]!;
      if (v.data !== dst.data) (dst.data as Float32Array).set(v.data as Float32Array); // copy if onnxruntime did not write in place
    }
  }

  async release(): Promise<void> {
    await this.inner.release();
  }
}
