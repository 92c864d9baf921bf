// Layout ops: Reshape, Transpose, Unsqueeze, Squeeze, Expand, Shape, Size, ConstantOfShape (ONNX opset 13+ forms,
// shapes/axes as inputs). vjp rules undo the layout change; Expand's gradient sums back (sumTo); transpose() folds.
import { type Dim, type DType, type OpDef, type Shape, type Value, ShapeError, attr, fmtShape } from '../ir.ts';
import { broadcastShapes, dimDiv, dimEq, dimProduct, isStatic, normAxis } from '../shape.ts';
import { attrInts, ints, knownInts, op1, req } from './common.ts';
import { tensorFrom } from '../onnx/dtypes.ts';
import { sumTo } from './reduce.ts';
import { MatMul, matMul } from './matmul.ts';

export const Reshape: OpDef = {
  type: 'Reshape',
  infer: (ins) => {
    const x = req('Reshape', ins[0]!, 'data');
    const spec = knownInts('Reshape', ins[1]!, 'shape');
    const out: Dim[] = spec.map((d, i) => (d === 0 ? x.shape[i]! : d));
    const unknown = out.filter((d) => d === -1).length;
    const total = dimProduct(x.shape);
    const bad = () => new ShapeError(`Reshape: cannot reshape ${fmtShape(x.shape)} to ${fmtShape(spec)}`);
    if (unknown > 1) throw bad();
    if (unknown === 1) {
      const rest = dimDiv(total, dimProduct(out.filter((d) => d !== -1)));
      if (rest === undefined) throw bad();
      out[out.indexOf(-1)] = rest;
    } else if (!dimEq(total, dimProduct(out))) throw bad();
    return [{ dtype: x.dtype, shape: out }];
  },
  vjp: ({ inputs: [x], grads: [dy] }) => [reshape(dy!, x!.shape), null],
};

export const Transpose: OpDef = {
  type: 'Transpose',
  infer: (ins, attrs) => {
    const x = req('Transpose', ins[0]!, 'data');
    const perm = attrInts(attrs, 'perm') ?? x.shape.map((_, i) => x.rank - 1 - i);
    const sorted = [...perm].sort((a, b) => a - b);
    if (perm.length !== x.rank || sorted.some((p, i) => p !== i)) {
      throw new ShapeError(`Transpose: perm [${perm}] does not fit ${fmtShape(x.shape)}`);
    }
    return [{ dtype: x.dtype, shape: perm.map((p) => x.shape[p]!) }];
  },
  vjp: ({ node, inputs: [x], grads: [dy] }) => {
    const perm = attrInts(node.attrs, 'perm') ?? x!.shape.map((_, i) => x!.rank - 1 - i);
    const inv = new Array<number>(perm.length);
    perm.forEach((p, i) => (inv[p] = i));
    return [transpose(dy!, inv)];
  },
};

function unsqueezedShape(op: string, x: Value, axes: number[]): Dim[] {
  const r = x.rank + axes.length;
  const ax = axes.map((a) => normAxis(op, a, r));
  const out: Dim[] = [];
  let j = 0;
  for (let i = 0; i < r; i++) out.push(ax.includes(i) ? 1 : x.shape[j++]!);
  return out;
}

export const Unsqueeze: OpDef = {
  type: 'Unsqueeze',
  infer: (ins) => {
    const x = req('Unsqueeze', ins[0]!, 'data');
    return [{ dtype: x.dtype, shape: unsqueezedShape('Unsqueeze', x, knownInts('Unsqueeze', ins[1]!, 'axes').map(Number)) }];
  },
  vjp: ({ inputs: [x], grads: [dy] }) => [reshape(dy!, x!.shape), null],
};

export const Squeeze: OpDef = {
  type: 'Squeeze',
  infer: (ins) => {
    const x = req('Squeeze', ins[0]!, 'data');
    const axes = knownInts('Squeeze', ins[1]!, 'axes').map((a) => normAxis('Squeeze', Number(a), x.rank));
    for (const a of axes) if (x.shape[a] !== 1) throw new ShapeError(`Squeeze: dim ${a} of ${fmtShape(x.shape)} is not 1`);
    return [{ dtype: x.dtype, shape: x.shape.filter((_, i) => !axes.includes(i)) }];
  },
  vjp: ({ inputs: [x], grads: [dy] }) => [reshape(dy!, x!.shape), null],
};

export const Expand: OpDef = {
  type: 'Expand',
  infer: (ins) => {
    const x = req('Expand', ins[0]!, 'input');
    const target = knownInts('Expand', ins[1]!, 'shape');
    return [{ dtype: x.dtype, shape: broadcastShapes('Expand', [x.shape, target]) }];
  },
  vjp: ({ inputs: [x], grads: [dy] }) => [sumTo(dy!, x!.shape), null],
};

export const ShapeOp: OpDef = {
  type: 'Shape',
  infer: (ins) => {
    const x = req('Shape', ins[0]!, 'data');
    return [{ dtype: 'int64', shape: [x.rank], known: [...x.shape] }];
  },
};

export const Size: OpDef = {
  type: 'Size',
  infer: (ins) => {
    req('Size', ins[0]!, 'data');
    return [{ dtype: 'int64', shape: [] }];
  },
};

export const ConstantOfShape: OpDef = {
  type: 'ConstantOfShape',
  infer: (ins, attrs) => {
    const dims = knownInts('ConstantOfShape', ins[0]!, 'shape');
    const v = attrs['value'];
    return [{ dtype: v && v.kind === 'tensor' ? v.value.dtype : 'float32', shape: dims }];
  },
};

/** Reshape with numeric, symbolic ('B', 'B*24'), 0 (copy) or -1 (infer) dims; symbolic dims become 0 or -1. */
export function reshape(x: Value, shape: Shape): Value {
  let free = shape.filter((d) => d === -1).length;
  const spec = shape.map((d, i) => {
    if (typeof d === 'number') return d;
    if (i < x.rank && dimEq(x.shape[i]!, d)) return 0;
    free++;
    return -1;
  });
  if (free > 1) throw new ShapeError(`Reshape: ${fmtShape(x.shape)} to ${fmtShape(shape)} needs more than one inferred dim`);
  const out = op1(Reshape, [x, ints(x.graph, spec)]);
  if (!shape.every((d, i) => d === -1 || d === 0 || dimEq(d, out.shape[i]!))) {
    throw new ShapeError(`Reshape: cannot reshape ${fmtShape(x.shape)} to ${fmtShape(shape)}`);
  }
  return out;
}

/**
 * Transpose with two build-time simplifications: transposes compose (and vanish when the result is the identity),
 * and (A B)^T over the last two dims becomes B^T A^T when the product has no other consumer, so backward rules
 * feed onnxruntime's transpose-into-MatMul fusion instead of materialising a Transpose.
 */
export function transpose(x: Value, perm?: number[]): Value {
  const p = perm ?? x.shape.map((_, i) => x.rank - 1 - i);
  if (p.every((v, i) => v === i)) return x;
  const src = x.node;
  if (src && src.def === Transpose) {
    const inner = attrInts(src.attrs, 'perm') ?? src.inputs[0]!.shape.map((_, i) => x.rank - 1 - i);
    return transpose(src.inputs[0]!, p.map((q) => inner[q]!));
  }
  const swapsLast = x.rank >= 2 && p.every((v, i) => (i < x.rank - 2 ? v === i : v === 2 * x.rank - 3 - i));
  const consumed = x.graph.outputs.includes(x) || x.graph.nodes.some((n) => n.inputs.includes(x));
  if (src && src.def === MatMul && swapsLast && !consumed) {
    const [a, b] = src.inputs as Value[];
    return matMul(swapLast(b!), swapLast(a!));
  }
  return op1(Transpose, [x], { perm: attr.ints(p) });
}

function swapLast(v: Value): Value {
  return transpose(v, [...Array(v.rank - 2).keys(), v.rank - 1, v.rank - 2]);
}
export function unsqueeze(x: Value, axes: number[]): Value {
  return op1(Unsqueeze, [x, ints(x.graph, axes)]);
}
export function squeeze(x: Value, axes: number[]): Value {
  return op1(Squeeze, [x, ints(x.graph, axes)]);
}
/** Broadcasts `x` to `shape` (a shape Value from shapeOf, or dims). */
export function expand(x: Value, shape: Value | Shape): Value {
  const s = Array.isArray(shape) || !('graph' in (shape as object)) ? shapeConst(x, shape as Shape) : (shape as Value);
  return op1(Expand, [x, s]);
}
/** The shape of `x` as an int64 vector: a constant when static, else a Shape node. */
export function shapeOf(x: Value): Value {
  if (isStatic(x.shape)) return ints(x.graph, x.shape);
  return op1(ShapeOp, [x]);
}
/** Number of elements of `x` as an int64 scalar (computed at run time). */
export function size(x: Value): Value {
  return op1(Size, [x]);
}
export function constantOfShape(shape: Value, value: number, dtype: DType): Value {
  return op1(ConstantOfShape, [shape], { value: attr.tensor(tensorFrom(dtype, [value], [1])) });
}
/** A zero tensor with the shape and dtype of `like`. */
export function zerosLike(like: Value): Value {
  return constantOfShape(shapeOf(like), 0, like.dtype);
}

function shapeConst(x: Value, shape: Shape): Value {
  if (!isStatic(shape)) throw new ShapeError(`expand: symbolic target ${fmtShape(shape)} needs a shape Value (shapeOf)`);
  return ints(x.graph, shape);
}
