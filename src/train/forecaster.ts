// Fast H-hour autoregressive forecasts (step 7, docs/architecture.md#steps) from frozen weights: one onnxruntime run per call of the
// unrolled forecast graph in src/model/export.ts.
import { Session, type Provider } from '../runtime/session.ts';
import type { ModelConfig } from '../model/config.ts';
import type { Params } from '../model/params.ts';
import { buildForecastOnnx, MODEL_ONNX_IO } from '../model/export.ts';
import { UserError } from '../util/errors.ts';

export interface ForecastResult {
  /** predicted target price tokens (B, horizon), row-major */
  tokens: Int32Array;
  /** class probabilities (B, horizon, O), row-major */
  proba: Float32Array;
}

function toBig(a: Int32Array | BigInt64Array): BigInt64Array {
  return a instanceof BigInt64Array ? a : BigInt64Array.from(a, (v) => BigInt(v));
}

export interface ForecasterOptions {
  horizon?: number;
  threads?: number;
  executionProvider?: Provider;
  spinning?: boolean;
  /** run on the CPU, warning through onWarning, when the requested GPU provider cannot be used */
  allowCpuFallback?: boolean;
  onWarning?: (message: string) => void;
}

/** Forecasts `horizon` hours ahead from windows x (B, T, C, K); build it once per set of weights. */
export class Forecaster {
  private constructor(private readonly session: Session, readonly cfg: ModelConfig, readonly horizon: number) {}

  /** Builds the unrolled graph with the weights baked in; threads defaults to 1 (batch-1 latency). */
  static async create(cfg: ModelConfig, params: Params, opts: ForecasterOptions = {}): Promise<Forecaster> {
    const horizon = opts.horizon ?? 8;
    const session = await Session.create(buildForecastOnnx(cfg, params, horizon), {
      threads: opts.threads ?? 1, provider: opts.executionProvider ?? 'cpu', spinning: opts.spinning ?? false,
      allowCpuFallback: opts.allowCpuFallback ?? false, onWarning: opts.onWarning,
    });
    return new Forecaster(session, cfg, horizon);
  }

  /** The provider the forecast graph actually runs on. */
  get executionProviderUsed(): Provider {
    return this.session.provider;
  }

  /**
   * `fill` (B, C, K) gives every future hour's tokens except the predicted target price token; by default the
   * last observed hour of each window (persistence).
   */
  async forecast(x: Int32Array | BigInt64Array, fill?: Int32Array | BigInt64Array): Promise<ForecastResult> {
    const { T, C, K } = this.cfg;
    const per = T * C * K;
    if (x.length === 0 || x.length % per !== 0) throw new UserError(`forecast: x has ${x.length} tokens, not a multiple of T*C*K = ${per}`);
    const B = x.length / per;
    const xb = toBig(x);
    let fb: BigInt64Array;
    if (fill) {
      if (fill.length !== B * C * K) throw new UserError(`forecast: fill has ${fill.length} tokens, expected B*C*K = ${B * C * K}`);
      fb = toBig(fill);
    } else {
      fb = new BigInt64Array(B * C * K);
      for (let b = 0; b < B; b++) fb.set(xb.subarray(b * per + (T - 1) * C * K, (b + 1) * per), b * C * K);
    }
    const r = await this.session.run({
      [MODEL_ONNX_IO.x]: { dtype: 'int64', dims: [B, T, C, K], data: xb },
      fill: { dtype: 'int64', dims: [B, C, K], data: fb },
    });
    return {
      tokens: Int32Array.from(r[MODEL_ONNX_IO.tokens]!.data as BigInt64Array, (v) => Number(v)),
      proba: r[MODEL_ONNX_IO.proba]!.data as Float32Array,
    };
  }

  async dispose(): Promise<void> {
    await this.session.release();
  }
}
