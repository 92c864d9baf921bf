// The graphs the Trainer runs: one training step (forward, loss, backward, clipping, AdamW in a single run),
// evaluation, prediction, and a gradients graph for parity tests. Parameters travel as one flat vector.
import { Graph } from '../graph/builder.ts';
import type { Value } from '../graph/ir.ts';
import { gradients } from '../graph/autodiff.ts';
import type { ModelConfig } from '../model/config.ts';
import { paramLayout } from '../model/params.ts';
import { buildForward, dropoutSites } from '../model/transformer.ts';
import { buildLoss } from '../model/loss.ts';
import { adamw, clipCoef, globalNorm } from './optimizer.ts';
import type { OptimConfig } from '../model/optim-config.ts';

/** Graph input and output names shared by the builders and the Trainer. */
export const IO = {
  params: 'params', m: 'adam_m', v: 'adam_v', step: 'step', lr: 'lr', x: 'x', y: 'y', decay: 'decay_mask',
  mask: (i: number) => `dropout_mask_${i}`,
  paramsOut: 'params_out', mOut: 'adam_m_out', vOut: 'adam_v_out', grad: 'grad',
  loss: 'loss', acc: 'accuracy', gradNorm: 'grad_norm', lastLogits: 'last_logits', proba: 'proba', logits: 'logits',
} as const;

/** Slices the flat parameter input into named (shaped) values. */
function unpack(g: Graph, cfg: ModelConfig, flat: Value): { named: Record<string, Value>; order: Value[] } {
  const named: Record<string, Value> = {};
  const order: Value[] = [];
  for (const s of paramLayout(cfg).slots) {
    const piece = g.slice(flat, [s.offset], [s.offset + s.size], [0]); // (size)
    const v = s.shape.length === 1 ? piece : g.reshape(piece, s.shape); // shape of the parameter
    named[s.name] = v;
    order.push(v);
  }
  return { named, order };
}

function tokenInputs(g: Graph, cfg: ModelConfig): { x: Value; y: Value } {
  return { x: g.input(IO.x, 'int32', ['B', cfg.T, cfg.C, cfg.K]), y: g.input(IO.y, 'int32', ['B']) };
}

function flatGrad(g: Graph, grads: Value[]): Value {
  return g.concat(grads.map((d) => (d.rank === 1 ? d : g.reshape(d, [-1]))), 0); // (n)
}

/**
 * The training step: new params, moments, loss, last-position accuracy and the pre-clip gradient norm, plus
 * `grad`, the (clipped) flat gradient exactly as AdamW receives it: the Trainer does not fetch it, the tests do.
 */
export function buildTrainGraph(cfg: ModelConfig, optim: OptimConfig): Graph {
  const g = new Graph('train_step');
  const n = paramLayout(cfg).total;
  const flat = g.input(IO.params, 'float32', [n]);
  const m = g.input(IO.m, 'float32', [n]);
  const v = g.input(IO.v, 'float32', [n]);
  const step = g.input(IO.step, 'float64', []);
  const lr = g.input(IO.lr, 'float32', []);
  const decay = g.input(IO.decay, 'float32', [n]);
  const { x, y } = tokenInputs(g, cfg);
  const masks = cfg.dropout > 0
    ? Array.from({ length: dropoutSites(cfg) }, (_, i) => g.input(IO.mask(i), 'bool', ['B', cfg.T, cfg.d]))
    : null;
  const { named, order } = unpack(g, cfg, flat);
  const fwd = buildForward(g, cfg, { x, params: named, masks }, cfg.loss_positions === 'last');
  const { loss, acc } = buildLoss(g, cfg, fwd.logits, x, y);
  const grad = flatGrad(g, gradients(loss, order)); // (n)
  const norm = globalNorm([grad]); // ()
  const clipped = optim.max_norm === null ? grad : g.mul(grad, clipCoef(norm, optim.max_norm)); // (n)
  const next = adamw({ param: flat, grad: clipped, m, v, decayMask: decay, step, lr, cfg: optim });
  g.output(IO.paramsOut, next.param);
  g.output(IO.mOut, next.m);
  g.output(IO.vOut, next.v);
  g.output(IO.loss, loss);
  g.output(IO.acc, acc);
  g.output(IO.gradNorm, norm);
  g.output(IO.grad, clipped);
  return g;
}

/** Evaluation: loss, last-position accuracy and last-position logits (B, O), no dropout. */
export function buildEvalGraph(cfg: ModelConfig): Graph {
  const g = new Graph('evaluate');
  const flat = g.input(IO.params, 'float32', [paramLayout(cfg).total]);
  const { x, y } = tokenInputs(g, cfg);
  const fwd = buildForward(g, cfg, { x, params: unpack(g, cfg, flat).named }, cfg.loss_positions === 'last');
  const { loss, acc, lastLogits } = buildLoss(g, cfg, fwd.logits, x, y);
  g.output(IO.loss, loss);
  g.output(IO.acc, acc);
  g.output(IO.lastLogits, lastLogits);
  return g;
}

/** Prediction: class probabilities of the last position (B, O). */
export function buildPredictGraph(cfg: ModelConfig): Graph {
  const g = new Graph('predict');
  const flat = g.input(IO.params, 'float32', [paramLayout(cfg).total]);
  const x = g.input(IO.x, 'int32', ['B', cfg.T, cfg.C, cfg.K]);
  const fwd = buildForward(g, cfg, { x, params: unpack(g, cfg, flat).named }, true);
  const last = g.reshape(fwd.logits, ['B', cfg.O]); // (B, O)
  g.output(IO.proba, g.softmax(last, -1));
  return g;
}

/** For tests: activations, logits, loss, accuracy, every (unclipped) gradient as `grad.<name>`, and the norm. */
export function buildGradientsGraph(cfg: ModelConfig): Graph {
  const g = new Graph('gradients');
  const flat = g.input(IO.params, 'float32', [paramLayout(cfg).total]);
  const { x, y } = tokenInputs(g, cfg);
  const { named, order } = unpack(g, cfg, flat);
  const fwd = buildForward(g, cfg, { x, params: named });
  const { loss, acc } = buildLoss(g, cfg, fwd.logits, x, y);
  const grads = gradients(loss, order);
  g.output('fused', fwd.fused);
  g.output('h0', fwd.h0);
  fwd.blocks.forEach((b, i) => g.output(`block_${i}`, b));
  g.output('lnf', fwd.lnf);
  g.output(IO.logits, fwd.logits);
  g.output(IO.loss, loss);
  g.output(IO.acc, acc);
  paramLayout(cfg).slots.forEach((s, i) => g.output(`grad.${s.name}`, grads[i]!));
  g.output(IO.gradNorm, globalNorm(grads));
  return g;
}
