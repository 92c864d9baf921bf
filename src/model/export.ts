// Self-contained inference graphs with the weights baked in as initializers named as in docs/model.md#parameter-names:
// `model.onnx` (forward pass, dynamic batch; see docs/model-onnx.md) and the H-hour autoregressive forecast.
import { Graph } from '../graph/builder.ts';
import type { Value } from '../graph/ir.ts';
import { writeFileAtomic } from '../util/fs.ts';
import type { ModelConfig } from './config.ts';
import { paramSpecs, type Params } from './params.ts';
import { buildForward } from './transformer.ts';

/** Names of model.onnx's inputs and outputs. */
export const MODEL_ONNX_IO = { x: 'x', logits: 'logits', proba: 'proba', tokens: 'tokens' } as const;

function weights(g: Graph, cfg: ModelConfig, params: Params): Record<string, Value> {
  const out: Record<string, Value> = {};
  for (const s of paramSpecs(cfg)) out[s.name] = g.constant(params[s.name]!, s.shape, 'float32', s.name);
  return out;
}

function lastProba(g: Graph, cfg: ModelConfig, logits: Value): Value {
  const last = logits.shape[1] === 1 ? logits : g.slice(logits, [cfg.T - 1], [cfg.T], [1]); // (B, 1, O)
  return g.softmax(g.reshape(last, ['B', cfg.O]), -1); // (B, O)
}

/** model.onnx: input x (B, T, C, K) int64; outputs logits (B, T, O) and proba (B, O) of the hour after the window. */
export function buildModelOnnx(cfg: ModelConfig, params: Params): Uint8Array {
  const g = new Graph('tokcast');
  const x = g.input(MODEL_ONNX_IO.x, 'int64', ['B', cfg.T, cfg.C, cfg.K]);
  const { logits } = buildForward(g, cfg, { x, params: weights(g, cfg, params) });
  g.output(MODEL_ONNX_IO.logits, logits);
  g.output(MODEL_ONNX_IO.proba, lastProba(g, cfg, logits));
  return g.toOnnx();
}

/** Writes model.onnx atomically. */
export function exportModelOnnx(path: string, cfg: ModelConfig, params: Params): void {
  writeFileAtomic(path, buildModelOnnx(cfg, params));
}

/**
 * The autoregressive forecast of step 7 (docs/architecture.md#steps), unrolled `horizon` times in one graph: predict the next hour's
 * target price token (argmax), append an hour whose tokens are `fill` (B, C, K) except the target coin's price,
 * which is the prediction, drop the oldest hour, repeat. Outputs tokens (B, horizon) int64 and proba (B, horizon, O).
 */
export function buildForecastOnnx(cfg: ModelConfig, params: Params, horizon: number): Uint8Array {
  if (cfg.O > cfg.V) throw new Error(`forecast: classes (O = ${cfg.O}) must be tokens (V = ${cfg.V}) to be fed back`);
  const { T, C, K, target_coin: tc } = cfg;
  const g = new Graph('tokcast_forecast');
  let win = g.input(MODEL_ONNX_IO.x, 'int64', ['B', T, C, K]); // (B, T, C, K)
  const fill = g.input('fill', 'int64', ['B', C, K]); // (B, C, K)
  const slot = new Uint8Array(C * K);
  slot[tc * K] = 1; // the target coin's price channel
  const isTarget = g.constant(slot, [C, K], 'bool'); // (C, K)
  const p = weights(g, cfg, params);
  const tokens: Value[] = [];
  const probas: Value[] = [];
  for (let h = 0; h < horizon; h++) {
    const { logits } = buildForward(g, cfg, { x: win, params: p }, true); // (B, 1, O)
    const proba = lastProba(g, cfg, logits); // (B, O)
    const next = g.argMax(proba, -1, true); // (B, 1)
    tokens.push(next);
    probas.push(g.unsqueeze(proba, [1]));
    if (h === horizon - 1) break;
    const row = g.where(isTarget, g.unsqueeze(next, [2]), fill); // (B, C, K)
    win = g.concat([g.slice(win, [1], [T], [1]), g.unsqueeze(row, [1])], 1); // (B, T, C, K)
  }
  g.output(MODEL_ONNX_IO.tokens, horizon === 1 ? tokens[0]! : g.concat(tokens, 1)); // (B, horizon)
  g.output(MODEL_ONNX_IO.proba, horizon === 1 ? probas[0]! : g.concat(probas, 1)); // (B, horizon, O)
  return g.toOnnx();
}
