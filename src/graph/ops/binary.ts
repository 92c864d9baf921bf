// Broadcasting binary ops (Add, Sub, Mul, Div, Pow, Min, Max, Where, comparisons) with their vjp rules;
// gradients of broadcast inputs are summed back to the input shape (sumTo).
import { type OpDef, type Value, type VjpArgs, ShapeError, fmtShape } from '../ir.ts';
import { broadcastShapes } from '../shape.ts';
import { type Operand, lift, op1, req, sameDtype, scalar } from './common.ts';
import { sumTo } from './reduce.ts';
import { cast, log, neg, not } from './unary.ts';

function binaryInfer(op: string, outBool = false) {
  return (ins: (Value | null)[]) => {
    const a = req(op, ins[0]!, 'A'), b = req(op, ins[1]!, 'B');
    const dtype = sameDtype(op, [a, b]);
    return [{ dtype: outBool ? ('bool' as const) : dtype, shape: broadcastShapes(op, [a.shape, b.shape]) }];
  };
}

function grads2(args: VjpArgs, fa: (dy: Value) => Value, fb: (dy: Value) => Value): (Value | null)[] {
  const [a, b] = args.inputs as Value[];
  const dy = args.grads[0]!;
  return [args.needs[0] ? sumTo(fa(dy), a!.shape) : null, args.needs[1] ? sumTo(fb(dy), b!.shape) : null];
}

export const Add: OpDef = { type: 'Add', infer: binaryInfer('Add'), vjp: (g) => grads2(g, (dy) => dy, (dy) => dy) };
export const Sub: OpDef = { type: 'Sub', infer: binaryInfer('Sub'), vjp: (g) => grads2(g, (dy) => dy, (dy) => neg(dy)) };
export const Mul: OpDef = {
  type: 'Mul',
  infer: binaryInfer('Mul'),
  vjp: (g) => grads2(g, (dy) => mul(dy, g.inputs[1]!), (dy) => mul(dy, g.inputs[0]!)),
};
export const Div: OpDef = {
  type: 'Div',
  infer: binaryInfer('Div'),
  // d(a/b)/db = -a/b^2 = -y/b
  vjp: (g) => grads2(g, (dy) => div(dy, g.inputs[1]!), (dy) => neg(div(mul(dy, g.outputs[0]!), g.inputs[1]!))),
};
export const Pow: OpDef = {
  type: 'Pow',
  infer: binaryInfer('Pow'),
  vjp: (g) => {
    const [a, b] = g.inputs as Value[];
    const y = g.outputs[0]!;
    // d a^b / da = b a^(b-1); constant exponents fold to one Pow
    const da = (dy: Value) => {
      const p = b!.kind === 'const' && b!.data!.data.length === 1 ? scalar(b!.graph, Number(b!.data!.data[0]) - 1, b!.dtype) : sub(b!, 1);
      return mul(dy, mul(b!, pow(a!, p)));
    };
    return grads2(g, da, (dy) => mul(dy, mul(y, log(a!))));
  },
};
function minMaxVjp(g: VjpArgs): (Value | null)[] {
  const a = g.inputs[0]!;
  const y = g.outputs[0]!;
  return grads2(g, (dy) => maskMul(dy, equal(a!, y)), (dy) => maskMul(dy, equal(a!, y), true));
}
export const Min: OpDef = { type: 'Min', infer: binaryInfer('Min'), vjp: minMaxVjp };
export const Max: OpDef = { type: 'Max', infer: binaryInfer('Max'), vjp: minMaxVjp };
export const Equal: OpDef = { type: 'Equal', infer: binaryInfer('Equal', true) };
export const Less: OpDef = { type: 'Less', infer: binaryInfer('Less', true) };
export const Greater: OpDef = { type: 'Greater', infer: binaryInfer('Greater', true) };
export const And: OpDef = { type: 'And', infer: binaryInfer('And', true) };
export const Or: OpDef = { type: 'Or', infer: binaryInfer('Or', true) };

export const Where: OpDef = {
  type: 'Where',
  infer: (ins) => {
    const c = req('Where', ins[0]!, 'condition'), a = req('Where', ins[1]!, 'X'), b = req('Where', ins[2]!, 'Y');
    if (c.dtype !== 'bool') throw new ShapeError(`Where: condition must be bool, got ${c.dtype}${fmtShape(c.shape)}`);
    return [{ dtype: sameDtype('Where', [a, b]), shape: broadcastShapes('Where', [c.shape, a.shape, b.shape]) }];
  },
  vjp: ({ inputs, grads: [dy], needs }) => {
    const [c, a, b] = inputs as Value[];
    return [
      null,
      needs[1] ? sumTo(maskMul(dy!, c!), a!.shape) : null,
      needs[2] ? sumTo(maskMul(dy!, c!, true), b!.shape) : null,
    ];
  },
};

export function add(a: Operand, b: Operand): Value { return op1(Add, lift(a, b)); }
export function sub(a: Operand, b: Operand): Value { return op1(Sub, lift(a, b)); }
export function mul(a: Operand, b: Operand): Value { return op1(Mul, lift(a, b)); }
export function div(a: Operand, b: Operand): Value { return op1(Div, lift(a, b)); }
export function pow(a: Operand, b: Operand): Value { return op1(Pow, lift(a, b)); }
export function min(a: Operand, b: Operand): Value { return op1(Min, lift(a, b)); }
export function max(a: Operand, b: Operand): Value { return op1(Max, lift(a, b)); }
export function equal(a: Operand, b: Operand): Value { return op1(Equal, lift(a, b)); }
export function less(a: Operand, b: Operand): Value { return op1(Less, lift(a, b)); }
export function greater(a: Operand, b: Operand): Value { return op1(Greater, lift(a, b)); }
export function and(a: Value, b: Value): Value { return op1(And, [a, b]); }
export function or(a: Value, b: Value): Value { return op1(Or, [a, b]); }
/**
 * dy where `cond` holds (or, inverted, where it does not), 0 elsewhere: a Mul by the cast mask, since
 * onnxruntime's CPU Where is ~10x slower than Mul on large tensors (bench/graph-ops.ts).
 */
export function maskMul(dy: Value, cond: Value, invert = false): Value {
  return mul(dy, cast(invert ? not(cond) : cond, dy.dtype));
}
/** Elementwise `cond ? a : b` with broadcasting. */
export function where(cond: Value, a: Operand, b: Operand): Value {
  const [x, y] = lift(a, b);
  return op1(Where, [cond, x, y]);
}
