// The tracing builder: `new Graph(name)`, inputs/constants/outputs, and camelCase methods that record ONNX ops
// (shape-checked at build time) by delegating to ops/*.ts; `toOnnx` verifies and serialises.
import { type DType, type Shape, type TensorData, type TypedArray, type Value, GraphCore, ShapeError, fmtShape } from './ir.ts';
import { canonDim, numel } from './shape.ts';
import { type OnnxOptions, emitOnnx } from './onnx/model.ts';
import { tensorFrom } from './onnx/dtypes.ts';
import { type Operand, scalar } from './ops/common.ts';
import * as bin from './ops/binary.ts';
import * as un from './ops/unary.ts';
import * as red from './ops/reduce.ts';
import * as lay from './ops/layout.ts';
import * as sl from './ops/slicing.ts';
import * as gat from './ops/gather.ts';
import * as mm from './ops/matmul.ts';
import * as nn from './ops/nn.ts';
import * as loss from './ops/loss.ts';
import { assertValid } from './verify.ts';

export class Graph extends GraphCore {
  /** A graph input (parameters are inputs too); dims may be symbolic strings such as 'B'. */
  input(name: string, dtype: DType, shape: Shape): Value {
    return this.addInput(name, dtype, shape.map(canonDim));
  }

  /** A constant (ONNX initializer) from a typed array or plain numbers. */
  constant(data: TypedArray | readonly number[], shape: readonly number[], dtype?: DType, name?: string): Value {
    let t: TensorData;
    if (Array.isArray(data) || !dtype) {
      const dt = dtype ?? inferDtype(data as TypedArray | readonly number[]);
      t = tensorFrom(dt, data as ArrayLike<number>, [...shape]);
    } else t = { dtype, dims: [...shape], data: data as TypedArray };
    if (t.data.length !== numel(shape)) throw new ShapeError(`constant: ${t.data.length} values for shape ${fmtShape(shape)}`);
    return this.addConst(t, name);
  }

  /** A cached rank-0 constant. */
  scalar(value: number, dtype: DType = 'float32'): Value {
    return scalar(this, value, dtype);
  }

  /** Marks `v` as a graph output called `name` (renames it, or adds an Identity when it is an input/already named). */
  output(name: string, v: Value): Value {
    let out = v;
    if (v.kind !== 'node' || this.outputs.includes(v) || !/_\d+$/.test(v.name)) out = un.identity(v);
    if (out.name !== name) this.rename(out, name);
    this.outputs.push(out);
    return out;
  }

  /** Checks the graph (verify.ts) and returns ONNX ModelProto bytes; default opset 20. */
  toOnnx(opts: OnnxOptions = {}): Uint8Array {
    assertValid(this);
    return emitOnnx(this, opts);
  }

  add(a: Operand, b: Operand) { return bin.add(a, b); }
  sub(a: Operand, b: Operand) { return bin.sub(a, b); }
  mul(a: Operand, b: Operand) { return bin.mul(a, b); }
  div(a: Operand, b: Operand) { return bin.div(a, b); }
  pow(a: Operand, b: Operand) { return bin.pow(a, b); }
  min(a: Operand, b: Operand) { return bin.min(a, b); }
  max(a: Operand, b: Operand) { return bin.max(a, b); }
  equal(a: Operand, b: Operand) { return bin.equal(a, b); }
  less(a: Operand, b: Operand) { return bin.less(a, b); }
  greater(a: Operand, b: Operand) { return bin.greater(a, b); }
  and(a: Value, b: Value) { return bin.and(a, b); }
  or(a: Value, b: Value) { return bin.or(a, b); }
  where(cond: Value, a: Operand, b: Operand) { return bin.where(cond, a, b); }

  neg(x: Value) { return un.neg(x); }
  exp(x: Value) { return un.exp(x); }
  log(x: Value) { return un.log(x); }
  sqrt(x: Value) { return un.sqrt(x); }
  reciprocal(x: Value) { return un.reciprocal(x); }
  erf(x: Value) { return un.erf(x); }
  tanh(x: Value) { return un.tanh(x); }
  sigmoid(x: Value) { return un.sigmoid(x); }
  relu(x: Value) { return un.relu(x); }
  abs(x: Value) { return un.abs(x); }
  not(x: Value) { return un.not(x); }
  identity(x: Value) { return un.identity(x); }
  gelu(x: Value) { return un.gelu(x); }
  cast(x: Value, to: DType) { return un.cast(x, to); }
  clip(x: Value, lo?: Operand, hi?: Operand) { return un.clip(x, lo, hi); }

  reduceSum(x: Value, axes?: number[], keepdims = false) { return red.reduceSum(x, axes, keepdims); }
  reduceMean(x: Value, axes?: number[], keepdims = false) { return red.reduceMean(x, axes, keepdims); }
  reduceMax(x: Value, axes?: number[], keepdims = false) { return red.reduceMax(x, axes, keepdims); }
  argMax(x: Value, axis = -1, keepdims = false) { return red.argMax(x, axis, keepdims); }

  reshape(x: Value, shape: Shape) { return lay.reshape(x, shape); }
  transpose(x: Value, perm?: number[]) { return lay.transpose(x, perm); }
  unsqueeze(x: Value, axes: number[]) { return lay.unsqueeze(x, axes); }
  squeeze(x: Value, axes: number[]) { return lay.squeeze(x, axes); }
  expand(x: Value, shape: Value | Shape) { return lay.expand(x, shape); }
  shapeOf(x: Value) { return lay.shapeOf(x); }
  zerosLike(x: Value) { return lay.zerosLike(x); }

  concat(xs: Value[], axis: number) { return sl.concat(xs, axis); }
  split(x: Value, axis: number, sizes: number[]) { return sl.split(x, axis, sizes); }
  slice(x: Value, starts: number[], ends: number[], axes?: number[]) { return sl.slice(x, starts, ends, axes); }
  pad(x: Value, pads: number[]) { return sl.pad(x, pads); }

  gather(x: Value, indices: Value, axis = 0) { return gat.gather(x, indices, axis); }
  gatherElements(x: Value, indices: Value, axis: number) { return gat.gatherElements(x, indices, axis); }
  scatterND(x: Value, indices: Value, updates: Value, reduction: 'none' | 'add' = 'none') { return gat.scatterND(x, indices, updates, reduction); }
  oneHot(indices: Value, depth: number, dtype: 'float32' | 'float64' = 'float32') { return gat.oneHot(indices, depth, dtype); }

  matMul(a: Value, b: Value) { return mm.matMul(a, b); }
  gemm(a: Value, b: Value, c: Value | null = null, o: Parameters<typeof mm.gemm>[3] = {}) { return mm.gemm(a, b, c, o); }

  softmax(x: Value, axis = -1) { return nn.softmax(x, axis); }
  logSoftmax(x: Value, axis = -1) { return nn.logSoftmax(x, axis); }
  layerNorm(x: Value, gain: Value, bias: Value | null, epsilon = 1e-5, axis = -1) { return nn.layerNorm(x, gain, bias, epsilon, axis); }
  dropout(x: Value, ratio: number, seed?: number) { return nn.dropout(x, ratio, seed); }
  dropoutWithMask(x: Value, mask: Value, ratio: number) { return nn.dropoutWithMask(x, mask, ratio); }

  softmaxCrossEntropy(scores: Value, labels: Value, reduction: 'mean' | 'sum' | 'none' = 'mean') { return loss.softmaxCrossEntropy(scores, labels, reduction); }
  crossEntropy(logits: Value, targets: Value, smoothing = 0) { return loss.crossEntropy(logits, targets, smoothing); }
}

function inferDtype(data: TypedArray | readonly number[]): DType {
  if (data instanceof Float64Array) return 'float64';
  if (data instanceof BigInt64Array) return 'int64';
  if (data instanceof Int32Array) return 'int32';
  if (data instanceof Uint8Array) return 'uint8';
  return 'float32';
}

