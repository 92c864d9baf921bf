// Session wrapper over onnxruntime-node: create from ONNX bytes with threading/optimisation/provider options,
// run with named host feeds, get named host outputs. A missing GPU provider falls back to CPU.
import * as ort from 'onnxruntime-node';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { type HostTensor, fromOrt, toOrt } from './tensor.ts';

export type Provider = 'cpu' | 'cuda' | 'webgpu';

export interface SessionOptions {
  /** intra-op threads (0 = onnxruntime default); @default 0 */
  threads?: number;
  /** inter-op threads, used only with parallel execution; @default 0 */
  interOpThreads?: number;
  /** graph optimisation level; @default 'all' */
  optimization?: 'disabled' | 'basic' | 'extended' | 'all';
  /** execution provider; GPU providers fall back to CPU when unavailable; @default 'cpu' */
  provider?: Provider;
  /** parallel executes independent nodes concurrently; @default 'sequential' */
  executionMode?: 'sequential' | 'parallel';
  /** write the optimised model here (debugging) */
  optimizedModelPath?: string;
  /** hint: symbolic dims to treat as fixed (onnxruntime freeDimensionOverrides, e.g. { B: 256 }) */
  fixedDims?: Record<string, number>;
  /** let idle pool threads spin (lower latency on an idle machine, wasted cores on a busy one); @default true */
  spinning?: boolean;
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
    /** the provider actually used */
    readonly provider: Provider,
  ) {}

  /** Creates a session from ONNX model bytes; throws with onnxruntime's message if the model is rejected. */
  static async create(model: Uint8Array, opts: SessionOptions = {}): Promise<Session> {
    const base: ort.InferenceSession.SessionOptions = {
      intraOpNumThreads: opts.threads ?? 0,
      interOpNumThreads: opts.interOpThreads ?? 0,
      graphOptimizationLevel: opts.optimization ?? 'all',
      executionMode: opts.executionMode ?? 'sequential',
      ...(opts.optimizedModelPath ? { optimizedModelFilePath: opts.optimizedModelPath } : {}),
      ...(opts.fixedDims ? { freeDimensionOverrides: opts.fixedDims } : {}),
      ...(opts.spinning === false ? { extra: { session: { intra_op: { allow_spinning: '0' }, inter_op: { allow_spinning: '0' } } } } : {}),
    };
    const provider = opts.provider ?? 'cpu';
    if (provider !== 'cpu' && availableProviders().includes(provider)) {
      try {
        const s = await ort.InferenceSession.create(model, { ...base, logSeverityLevel: 4, executionProviders: [provider, 'cpu'] });
        return new Session(s, provider);
      } catch {
        // provider not built into this onnxruntime-node install: fall through to CPU
      }
    }
    const s = await ort.InferenceSession.create(model, { ...base, executionProviders: ['cpu'] });
    return new Session(s, 'cpu');
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
