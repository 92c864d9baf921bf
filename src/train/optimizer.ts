// AdamW with global-norm clipping as graph nodes (docs/model.md#optimizer, PyTorch semantics of
// torch.nn.utils.clip_grad_norm_ and torch.optim.AdamW), applied to flat parameter/moment vectors.
import type { Value } from '../graph/ir.ts';
import { add, div, min, mul, pow, sub } from '../graph/ops/binary.ts';
import { cast, sqrt } from '../graph/ops/unary.ts';
import { reduceSum } from '../graph/ops/reduce.ts';
import { UserError } from '../util/errors.ts';
import type { OptimConfig } from '../model/optim-config.ts';

/** Checks an OptimConfig and returns it; throws a UserError naming the bad field. */
export function validateOptimConfig(c: OptimConfig): OptimConfig {
  const bad = (key: keyof OptimConfig, want: string): never => {
    throw new UserError(`optimizer config: ${key} must be ${want}, got ${JSON.stringify(c[key])}`);
  };
  if (!(c.lr > 0)) bad('lr', 'positive');
  if (!(c.weight_decay >= 0)) bad('weight_decay', '>= 0');
  if (!(c.beta1 >= 0 && c.beta1 < 1)) bad('beta1', 'in [0, 1)');
  if (!(c.beta2 >= 0 && c.beta2 < 1)) bad('beta2', 'in [0, 1)');
  if (!(c.eps > 0)) bad('eps', 'positive');
  if (c.max_norm !== null && !(c.max_norm > 0)) bad('max_norm', 'positive or null (no clipping)');
  return c;
}

/** Global L2 norm over all gradients, a float32 scalar: sqrt(sum_p sum g^2). */
export function globalNorm(grads: Value[]): Value {
  let total: Value | null = null;
  for (const g of grads) {
    const s = reduceSum(mul(g, g)); // ()
    total = total ? add(total, s) : s;
  }
  return sqrt(total!); // ()
}

/** min(1, max_norm / (norm + 1e-6)), the factor clip_grad_norm_ multiplies every gradient by. */
export function clipCoef(norm: Value, maxNorm: number): Value {
  return min(div(maxNorm, add(norm, 1e-6)), 1); // ()
}

export interface AdamWArgs {
  /** flat float32 vectors (n): parameters, (already clipped) gradients, first and second moments */
  param: Value;
  grad: Value;
  m: Value;
  v: Value;
  /** 1 where the parameter is decayed (>= 2-D tensors), 0 elsewhere, float32 (n) */
  decayMask: Value;
  /** step number t >= 1, float64 scalar (bias corrections are computed in float64) */
  step: Value;
  /** learning rate, float32 scalar */
  lr: Value;
  cfg: OptimConfig;
}

/** One AdamW update; returns the new parameters and moments (all (n)). */
export function adamw(a: AdamWArgs): { param: Value; m: Value; v: Value } {
  const { beta1: b1, beta2: b2, eps, weight_decay: wd } = a.cfg;
  // torch.optim.AdamW (single_tensor): bias_correction1 = 1 - b1^t, bias_correction2_sqrt = sqrt(1 - b2^t)
  const bc1 = cast(sub(1, pow(b1, a.step)), 'float32'); // ()
  const bc2Sqrt = cast(sqrt(sub(1, pow(b2, a.step))), 'float32'); // ()
  const stepSize = div(a.lr, bc1); // ()
  // decoupled decay first: p *= 1 - lr * wd, only where decayMask is 1
  const decayed = wd === 0 ? a.param : sub(a.param, mul(mul(a.param, a.decayMask), mul(a.lr, wd))); // (n)
  const m = add(mul(a.m, b1), mul(a.grad, 1 - b1)); // (n)
  const v = add(mul(a.v, b2), mul(mul(a.grad, a.grad), 1 - b2)); // (n)
  const denom = add(div(sqrt(v), bc2Sqrt), eps); // (n)
  const param = sub(decayed, mul(div(m, denom), stepSize)); // (n)
  return { param, m, v };
}
