// Elementwise unary ops (Neg, Exp, Log, Sqrt, Reciprocal, Erf, Tanh, Sigmoid, Relu, Abs, Sign, Not, Identity,
// Cast, Clip) and opset-20 Gelu (exact erf form, docs/model.md#layernorm-and-gelu); each vjp reuses the forward output where it can.
import { type DType, type OpDef, type Value, ShapeError, attr, fmtShape, isFloat } from '../ir.ts';
import { type Operand, attrInt, needFloat, op1, req, scalar } from './common.ts';
import { add, div, greater, less, maskMul, mul, or, sub } from './binary.ts';
import { ONNX_DTYPE } from '../onnx/dtypes.ts';

function unaryDef(type: string, vjp?: OpDef['vjp'], floatOnly = true): OpDef {
  return {
    type,
    infer: (ins) => {
      const x = req(type, ins[0]!, 'X');
      if (floatOnly) needFloat(type, x);
      return [{ dtype: x.dtype, shape: x.shape }];
    },
    vjp,
  };
}

export const Neg: OpDef = unaryDef('Neg', ({ grads: [dy] }) => [neg(dy!)], false);
export const Exp: OpDef = unaryDef('Exp', ({ outputs: [y], grads: [dy] }) => [mul(dy!, y!)]);
export const Log: OpDef = unaryDef('Log', ({ inputs: [x], grads: [dy] }) => [div(dy!, x!)]);
export const Sqrt: OpDef = unaryDef('Sqrt', ({ outputs: [y], grads: [dy] }) => [div(mul(dy!, 0.5), y!)]);
export const Reciprocal: OpDef = unaryDef('Reciprocal', ({ outputs: [y], grads: [dy] }) => [neg(mul(dy!, mul(y!, y!)))]);
// d erf(x)/dx = 2/sqrt(pi) exp(-x^2)
export const Erf: OpDef = unaryDef('Erf', ({ inputs: [x], grads: [dy] }) => [mul(dy!, mul(exp(mul(mul(x!, x!), -1)), 2 / Math.sqrt(Math.PI)))]);
export const Tanh: OpDef = unaryDef('Tanh', ({ outputs: [y], grads: [dy] }) => [mul(dy!, sub(1, mul(y!, y!)))]);
export const Sigmoid: OpDef = unaryDef('Sigmoid', ({ outputs: [y], grads: [dy] }) => [mul(dy!, mul(y!, sub(1, y!)))]);
export const Relu: OpDef = unaryDef('Relu', ({ inputs: [x], grads: [dy] }) => [maskMul(dy!, greater(x!, 0))]);
export const Abs: OpDef = unaryDef('Abs', ({ inputs: [x], grads: [dy] }) => [mul(dy!, sign(x!))], false);
export const Sign: OpDef = unaryDef('Sign', undefined, false);
export const Identity: OpDef = unaryDef('Identity', ({ grads: [dy] }) => [dy], false);
export const Not: OpDef = {
  type: 'Not',
  infer: (ins) => {
    const x = req('Not', ins[0]!, 'X');
    if (x.dtype !== 'bool') throw new ShapeError(`Not: needs bool, got ${x.dtype}${fmtShape(x.shape)}`);
    return [{ dtype: 'bool', shape: x.shape }];
  },
};

// Gelu(x) = x Phi(x); Gelu'(x) = Phi(x) + x phi(x) = 0.5 (1 + erf(z) + (2 / sqrt(pi)) z exp(-z^2)), z = x / sqrt(2):
// 11 elementwise passes, no Where (slow in onnxruntime) and no division (0/0 at x = 0).
export const Gelu: OpDef = unaryDef('Gelu', ({ inputs: [x], grads: [dy] }) => {
  const z = mul(x!, Math.SQRT1_2);
  const gauss = exp(mul(z, mul(x!, -Math.SQRT1_2))); // exp(-z^2)
  const s = add(add(erf(z), mul(mul(z, gauss), 2 / Math.sqrt(Math.PI))), 1);
  return [mul(mul(dy!, 0.5), s)];
});

const CODE_DTYPE = Object.fromEntries(Object.entries(ONNX_DTYPE).map(([k, v]) => [v, k as DType])) as Record<number, DType>;

export const Cast: OpDef = {
  type: 'Cast',
  infer: (ins, attrs) => {
    const x = req('Cast', ins[0]!, 'input');
    const to = CODE_DTYPE[attrInt(attrs, 'to', 0)];
    if (!to) throw new ShapeError(`Cast: bad 'to' attribute`);
    return [{ dtype: to, shape: x.shape, known: x.known && to === 'int64' ? x.known : undefined }];
  },
  vjp: ({ inputs: [x], grads: [dy] }) => [isFloat(x!.dtype) ? cast(dy!, x!.dtype) : null],
};

export const Clip: OpDef = {
  type: 'Clip',
  infer: (ins) => {
    const x = req('Clip', ins[0]!, 'input');
    for (const b of ins.slice(1)) {
      if (b && (b.rank !== 0 || b.dtype !== x.dtype)) throw new ShapeError(`Clip: min/max must be ${x.dtype} scalars, got ${b.dtype}${fmtShape(b.shape)}`);
    }
    return [{ dtype: x.dtype, shape: x.shape }];
  },
  vjp: ({ inputs: [x, lo, hi], grads: [dy] }) => {
    // gradient passes where lo <= x <= hi
    let out: Value | null = null;
    if (lo) out = less(x!, lo);
    if (hi) out = out ? or(out, greater(x!, hi)) : greater(x!, hi);
    return [out ? maskMul(dy!, out, true) : dy!, null, null];
  },
};

export function neg(x: Value): Value { return op1(Neg, [x]); }
export function exp(x: Value): Value { return op1(Exp, [x]); }
export function log(x: Value): Value { return op1(Log, [x]); }
export function sqrt(x: Value): Value { return op1(Sqrt, [x]); }
export function reciprocal(x: Value): Value { return op1(Reciprocal, [x]); }
export function erf(x: Value): Value { return op1(Erf, [x]); }
export function tanh(x: Value): Value { return op1(Tanh, [x]); }
export function sigmoid(x: Value): Value { return op1(Sigmoid, [x]); }
export function relu(x: Value): Value { return op1(Relu, [x]); }
export function abs(x: Value): Value { return op1(Abs, [x]); }
export function sign(x: Value): Value { return op1(Sign, [x]); }
export function not(x: Value): Value { return op1(Not, [x]); }
export function identity(x: Value): Value { return op1(Identity, [x]); }
/** Exact (erf) GELU, ONNX opset 20 `Gelu` with approximate='none'. */
export function gelu(x: Value): Value { return op1(Gelu, [x]); }
export function cast(x: Value, to: DType): Value { return op1(Cast, [x], { to: attr.int(ONNX_DTYPE[to]) }); }
/** Clamps to [lo, hi]; either bound may be omitted. */
export function clip(x: Value, lo?: Operand, hi?: Operand): Value {
  const s = (b?: Operand) => (b === undefined ? null : typeof b === 'number' ? scalar(x.graph, b, x.dtype) : b);
  return op1(Clip, [x, s(lo), s(hi)]);
}
