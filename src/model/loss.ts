// Label-smoothed cross-entropy (docs/model.md#loss; PyTorch F.cross_entropy(label_smoothing=s) semantics) over all
// positions or only the last, and accuracy of the last position.
import type { Graph } from '../graph/builder.ts';
import type { Value } from '../graph/ir.ts';
import { oneHot } from '../graph/ops/gather.ts';
import type { ModelConfig } from './config.ts';

export interface LossOutputs {
  /** mean label-smoothed cross-entropy over the counted positions, () */
  loss: Value;
  /** mean of argmax(logits[:, T-1]) == y, () */
  acc: Value;
  /** logits of the last position (B, O) */
  lastLogits: Value;
}

/** The targets the loss uses: x[:, t+1, target_coin, 0] for t < T-1 and y for t = T-1, as (B, T) int64. */
export function shiftedTargets(g: Graph, cfg: ModelConfig, x: Value, y: Value): Value {
  const { T, target_coin: tc } = cfg;
  const x64 = x.dtype === 'int64' ? x : g.cast(x, 'int64'); // (B, T, C, K)
  const y64 = y.dtype === 'int64' ? y : g.cast(y, 'int64'); // (B)
  const next = g.reshape(g.slice(x64, [1, tc, 0], [T, tc + 1, 1], [1, 2, 3]), ['B', T - 1]); // (B, T-1)
  return g.concat([next, g.unsqueeze(y64, [1])], 1); // (B, T)
}

/**
 * loss_i = (1 - s) (-log p_i[y_i]) + s mean_j(-log p_i[j]), written as one weighted sum:
 * -sum_j w_ij log p_ij with w = (1 - s) onehot(y) + s / O.
 */
function smoothedCrossEntropy(g: Graph, logits: Value, targets: Value, O: number, s: number): Value {
  const logp = g.logSoftmax(logits, -1); // (..., O)
  const w = s === 0 ? g.oneHot(targets, O) : oneHot(targets, O, 'float32', s / O, 1 - s + s / O); // (..., O)
  const perPosition = g.reduceSum(g.mul(w, logp), [-1]); // (B) or (B, T)
  return g.neg(g.div(g.reduceSum(perPosition), count(g, perPosition))); // ()
}

/** Element count of a tensor with a symbolic batch dim, as a float32 scalar computed at run time. */
function count(g: Graph, v: Value): Value {
  const batch = g.cast(g.gather(g.shapeOf(v), g.constant([0], [], 'int64')), 'float32'); // ()
  const rest = v.shape.slice(1).reduce<number>((a, b) => a * Number(b), 1);
  return rest === 1 ? batch : g.mul(batch, rest); // ()
}

/** Builds the loss and last-position accuracy from logits (B, T, O), tokens x (B, T, C, K) and targets y (B). */
export function buildLoss(g: Graph, cfg: ModelConfig, logits: Value, x: Value, y: Value): LossOutputs {
  const { T, O } = cfg;
  // logits (B, 1, O) come from a last-position-only forward pass (loss_positions "last")
  const lastLogits = g.reshape(logits.shape[1] === 1 && T > 1 ? logits : g.slice(logits, [T - 1], [T], [1]), ['B', O]); // (B, O)
  const y64 = y.dtype === 'int64' ? y : g.cast(y, 'int64'); // (B)
  if (cfg.loss_positions === 'all' && logits.shape[1] !== T) throw new Error(`buildLoss: loss_positions "all" needs logits for all ${T} positions`);
  const loss = cfg.loss_positions === 'all'
    ? smoothedCrossEntropy(g, logits, shiftedTargets(g, cfg, x, y), O, cfg.label_smoothing) // ()
    : smoothedCrossEntropy(g, lastLogits, y64, O, cfg.label_smoothing); // ()
  const hit = g.cast(g.equal(g.argMax(lastLogits, -1), y64), 'float32'); // (B)
  return { loss, acc: g.reduceMean(hit), lastLogits };
}
