// Reductions (ReduceSum, ReduceMean, ReduceMax, ArgMax; opset 18+ axes-as-input form) and sumTo, which
// reduces a broadcast gradient back to an input's shape. vjp: the gradient broadcasts back over reduced axes.
import { type Attrs, type OpDef, type Shape, type Dim, type Value, ShapeError, attr, fmtShape } from '../ir.ts';
import { dimEq, dimProduct, isStatic, normAxis, shapeEq } from '../shape.ts';
import { attrInt, ints, knownInts, op1, req } from './common.ts';
import { equal, maskMul, mul, div } from './binary.ts';
import { constantOfShape, expand, reshape, shapeOf, size, unsqueeze } from './layout.ts';
import { concat, slice } from './slicing.ts';
import { gemm } from './matmul.ts';
import { cast } from './unary.ts';

function reducedAxes(op: string, x: Value, axesV: Value | null, attrs: Attrs): number[] {
  if (!axesV) return attrInt(attrs, 'noop_with_empty_axes', 0) ? [] : x.shape.map((_, i) => i);
  const axes = knownInts(op, axesV, 'axes').map((a) => normAxis(op, Number(a), x.rank));
  return [...new Set(axes)].sort((a, b) => a - b);
}

function reducedShape(x: Value, axes: number[], keep: boolean): Dim[] {
  const out: Dim[] = [];
  x.shape.forEach((d, i) => {
    if (!axes.includes(i)) out.push(d);
    else if (keep) out.push(1);
  });
  return out;
}

function reduceInfer(op: string, outDtype?: 'int64') {
  return (ins: (Value | null)[], attrs: Attrs) => {
    const x = req(op, ins[0]!, 'data');
    const axes = reducedAxes(op, x, ins[1] ?? null, attrs);
    return [{ dtype: outDtype ?? x.dtype, shape: reducedShape(x, axes, attrInt(attrs, 'keepdims', 1) === 1) }];
  };
}

/** dy of the reduced output, with the reduced axes put back as size-1 dims. */
function keepDims(dy: Value, x: Value, axes: number[], attrs: Attrs): Value {
  return attrInt(attrs, 'keepdims', 1) === 1 || axes.length === 0 ? dy : unsqueeze(dy, axes);
}

export const ReduceSum: OpDef = {
  type: 'ReduceSum',
  infer: reduceInfer('ReduceSum'),
  vjp: ({ node, inputs, grads: [dy] }) => {
    const x = inputs[0]!;
    const axes = reducedAxes('ReduceSum', x, inputs[1] ?? null, node.attrs);
    return [expand(keepDims(dy!, x, axes, node.attrs), shapeOf(x)), null];
  },
};

export const ReduceMean: OpDef = {
  type: 'ReduceMean',
  infer: reduceInfer('ReduceMean'),
  vjp: ({ node, inputs, outputs, grads: [dy] }) => {
    const x = inputs[0]!;
    const axes = reducedAxes('ReduceMean', x, inputs[1] ?? null, node.attrs);
    const count = dimProduct(axes.map((a) => x.shape[a]!));
    const dyk = keepDims(dy!, x, axes, node.attrs);
    // symbolic reduced dims: the count is numel(x) / numel(y) at run time
    const scaled = typeof count === 'number' ? mul(dyk, 1 / count) : div(dyk, cast(div(size(x), size(outputs[0]!)), x.dtype));
    return [expand(scaled, shapeOf(x)), null];
  },
};

export const ReduceMax: OpDef = {
  type: 'ReduceMax',
  infer: reduceInfer('ReduceMax'),
  vjp: ({ node, inputs, outputs, grads: [dy] }) => {
    // ties share nothing: every maximal element gets the full gradient (as ONNX Runtime training does)
    const x = inputs[0]!;
    const axes = reducedAxes('ReduceMax', x, inputs[1] ?? null, node.attrs);
    const yk = keepDims(outputs[0]!, x, axes, node.attrs);
    const dyk = keepDims(dy!, x, axes, node.attrs);
    return [maskMul(dyk, equal(x, yk)), null];
  },
};

export const ArgMax: OpDef = {
  type: 'ArgMax',
  infer: (ins, attrs) => {
    const x = req('ArgMax', ins[0]!, 'data');
    const axis = normAxis('ArgMax', attrInt(attrs, 'axis', 0), x.rank);
    return [{ dtype: 'int64', shape: reducedShape(x, [axis], attrInt(attrs, 'keepdims', 1) === 1) }];
  },
};

function reduce(def: OpDef, x: Value, axes: number[] | undefined, keepdims: boolean): Value {
  const a = axes === undefined ? null : ints(x.graph, axes);
  return op1(def, [x, a], { keepdims: attr.int(keepdims ? 1 : 0) });
}

/** Sum over `axes` (all when undefined). */
export function reduceSum(x: Value, axes?: number[], keepdims = false): Value {
  return reduce(ReduceSum, x, axes, keepdims);
}
export function reduceMean(x: Value, axes?: number[], keepdims = false): Value {
  return reduce(ReduceMean, x, axes, keepdims);
}
export function reduceMax(x: Value, axes?: number[], keepdims = false): Value {
  return reduce(ReduceMax, x, axes, keepdims);
}
export function argMax(x: Value, axis = -1, keepdims = false): Value {
  return op1(ArgMax, [x], { axis: attr.int(axis), keepdims: attr.int(keepdims ? 1 : 0) });
}

/** Sums a gradient of broadcast shape back to `shape` (leading axes dropped, size-1 axes summed with keepdims). */
export function sumTo(dy: Value, shape: Shape): Value {
  if (shapeEq(dy.shape, shape)) return dy;
  const lead = dy.rank - shape.length;
  if (lead < 0) throw new ShapeError(`sumTo: gradient ${fmtShape(dy.shape)} has lower rank than ${fmtShape(shape)}`);
  const keep: number[] = [];
  shape.forEach((d, i) => {
    const e = dy.shape[i + lead]!;
    if (d === 1 && e !== 1) keep.push(i + lead);
    else if (!dimEq(d, e)) throw new ShapeError(`sumTo: cannot reduce ${fmtShape(dy.shape)} to ${fmtShape(shape)}`);
  });
  const axes = [...Array(lead).keys(), ...keep];
  if (axes.every((a, i) => a === i) && isStatic(dy.shape.slice(axes.length))) return reshape(sumRows(dy, axes.length), shape);
  let r = dy;
  if (keep.length > 0) r = reduceSum(r, keep, true);
  if (lead > 0) r = reduceSum(r, Array.from({ length: lead }, (_, i) => i), false);
  return r;
}

/**
 * Sum over the first `j` axes as ones^T (rows, n) with one Gemm: onnxruntime's ReduceSum over leading axes is
 * several times slower than a matrix-vector product on large gradients (bench/graph-ops.ts, bias gradients).
 */
function sumRows(dy: Value, j: number): Value {
  const tail = dy.shape.slice(j);
  const n = dimProduct(tail);
  const d2 = reshape(dy, [-1, n]); // (rows, n)
  const rowsShape = concat([slice(shapeOf(d2), [0], [1], [0]), ints(dy.graph, [1])], 0);
  const ones = constantOfShape(rowsShape, 1, dy.dtype); // (rows, 1)
  return reshape(gemm(ones, d2, null, { transA: true }), tail); // (n) as tail
}

