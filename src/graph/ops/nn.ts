// Fused NN ops: Softmax, LogSoftmax, LayerNormalization (docs/model.md#layernorm-and-gelu; vjp from llm.c layernorm_backward using the
// op's Mean/InvStdDev outputs) and Dropout with its mask (backward = dy * mask / (1 - p)).
import { type OpDef, type Value, ShapeError, attr, fmtShape } from '../ir.ts';
import { normAxis, shapeEq } from '../shape.ts';
import { attrFloat, attrInt, needFloat, op1, req, sameDtype } from './common.ts';
import { add, maskMul, mul, sub } from './binary.ts';
import { cast, exp, reciprocal, sqrt } from './unary.ts';
import { reduceMean, reduceSum, sumTo } from './reduce.ts';
import { tensorFrom } from '../onnx/dtypes.ts';

function softmaxInfer(op: string) {
  return (ins: (Value | null)[], attrs: Record<string, never> | object) => {
    const x = req(op, ins[0]!, 'input');
    needFloat(op, x);
    normAxis(op, attrInt(attrs as never, 'axis', -1), x.rank);
    return [{ dtype: x.dtype, shape: x.shape }];
  };
}

export const Softmax: OpDef = {
  type: 'Softmax',
  infer: softmaxInfer('Softmax'),
  // dx = y (dy - sum(dy y))
  vjp: ({ node, outputs: [y], grads: [dy] }) => {
    const axis = attrInt(node.attrs, 'axis', -1);
    return [mul(y!, sub(dy!, reduceSum(mul(dy!, y!), [axis], true)))];
  },
};

export const LogSoftmax: OpDef = {
  type: 'LogSoftmax',
  infer: softmaxInfer('LogSoftmax'),
  // dx = dy - softmax * sum(dy)
  vjp: ({ node, outputs: [y], grads: [dy] }) => {
    const axis = attrInt(node.attrs, 'axis', -1);
    return [sub(dy!, mul(exp(y!), reduceSum(dy!, [axis], true)))];
  },
};

export const LayerNormalization: OpDef = {
  type: 'LayerNormalization',
  infer: (ins, attrs) => {
    const x = req('LayerNormalization', ins[0]!, 'X'), g = req('LayerNormalization', ins[1]!, 'Scale');
    const dtype = sameDtype('LayerNormalization', [x, g, ins[2] ?? null]);
    needFloat('LayerNormalization', x);
    const axis = normAxis('LayerNormalization', attrInt(attrs, 'axis', -1), x.rank);
    const norm = x.shape.slice(axis);
    for (const p of [g, ins[2]]) {
      if (p && !shapeEq(p.shape, norm)) throw new ShapeError(`LayerNormalization: scale/bias ${fmtShape(p.shape)} must be ${fmtShape(norm)} for input ${fmtShape(x.shape)}`);
    }
    const stat = [...x.shape.slice(0, axis), ...norm.map(() => 1)];
    const statType = 'float32'; // stash_type 1: onnxruntime keeps Mean/InvStdDev in float32 even for double X
    return [{ dtype, shape: x.shape }, { dtype: statType, shape: stat }, { dtype: statType, shape: stat }];
  },
  vjp: ({ node, inputs, outputs, grads: [dy], needs }) => {
    // llm.c layernorm_backward: dx = rstd (dnorm - mean(dnorm) - xhat mean(dnorm xhat)), dnorm = dy g
    const [x, g, b] = inputs;
    const axis = normAxis('LayerNormalization', attrInt(node.attrs, 'axis', -1), x!.rank);
    const axes = x!.shape.slice(axis).map((_, i) => axis + i);
    // float64 (tests only): float32 stats would cost precision, so recompute them in float64
    const f64 = x!.dtype === 'float64';
    const eps = attrFloat(node.attrs, 'epsilon', 1e-5);
    const mean = f64 ? reduceMean(x!, axes, true) : outputs[1]!;
    const rstd = f64 ? reciprocal(sqrt(add(reduceMean(mul(sub(x!, mean), sub(x!, mean)), axes, true), eps))) : outputs[2]!;
    const xhat = mul(sub(x!, mean), rstd);
    let dx: Value | null = null;
    if (needs[0]) {
      const dnorm = mul(dy!, g!);
      const inner = sub(sub(dnorm, reduceMean(dnorm, axes, true)), mul(xhat, reduceMean(mul(dnorm, xhat), axes, true)));
      dx = mul(inner, rstd);
    }
    return [dx, needs[1] ? sumTo(mul(dy!, xhat), g!.shape) : null, b && needs[2] ? sumTo(dy!, b.shape) : null];
  },
};

export const Dropout: OpDef = {
  type: 'Dropout',
  infer: (ins) => {
    const x = req('Dropout', ins[0]!, 'data');
    needFloat('Dropout', x);
    return [{ dtype: x.dtype, shape: x.shape }, { dtype: 'bool', shape: x.shape }];
  },
  vjp: ({ inputs, outputs, grads: [dy] }) => {
    const r = inputs[1];
    const ratio = r?.data ? Number(r.data.data[0]) : 0.5;
    const scale = 1 / (1 - ratio);
    return [mul(maskMul(dy!, outputs[1]!), scale), null, null];
  },
};

export function softmax(x: Value, axis = -1): Value {
  return op1(Softmax, [x], { axis: attr.int(axis) });
}
export function logSoftmax(x: Value, axis = -1): Value {
  return op1(LogSoftmax, [x], { axis: attr.int(axis) });
}
/** LayerNorm over the dims from `axis` on (biased variance, docs/model.md#layernorm-and-gelu); returns Y only. */
export function layerNorm(x: Value, gain: Value, bias: Value | null, epsilon = 1e-5, axis = -1): Value {
  return x.graph.apply(LayerNormalization, bias ? [x, gain, bias] : [x, gain], {
    axis: attr.int(axis),
    epsilon: attr.float(epsilon),
  })[0]!;
}
/** Training-mode dropout: returns the scaled output and its bool keep-mask; ratio 0 returns x itself. */
export function dropout(x: Value, ratio: number, seed?: number): { y: Value; mask: Value | null } {
  if (ratio === 0) return { y: x, mask: null };
  const g = x.graph;
  const r = g.addConst(tensorFrom(x.dtype, [ratio], []));
  const t = g.addConst(tensorFrom('bool', [1], []));
  const [y, mask] = g.apply(Dropout, [x, r, t], seed === undefined ? {} : { seed: attr.int(seed) });
  return { y: y!, mask: mask! };
}
/** Dropout with a given keep-mask (bool or 0/1 float): x * mask / (1 - ratio); reproducible across runtimes. */
export function dropoutWithMask(x: Value, mask: Value, ratio: number): Value {
  const m = mask.dtype === x.dtype ? mask : cast(mask, x.dtype);
  return mul(x, mul(m, 1 / (1 - ratio)));
}
