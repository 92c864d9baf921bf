// Shared pieces of the op files: applying a def, scalar/int constants, and checks that name the op and shapes.
import { type DType, type Dim, type GraphCore, type Attrs, type OpDef, type Shape, ShapeError, Value, fmtShape, isFloat } from '../ir.ts';
import { tensorFrom } from '../onnx/dtypes.ts';

/** A Value, or a plain number that becomes a scalar constant of the other operand's dtype. */
export type Operand = Value | number;

/** Applies `def` and returns its first output. */
export function op1(def: OpDef, inputs: (Value | null)[], attrs: Attrs = {}): Value {
  return graphOf(inputs).apply(def, inputs, attrs)[0]!;
}

export function graphOf(xs: readonly (Value | number | null)[]): GraphCore {
  for (const x of xs) if (x instanceof Value) return x.graph;
  throw new ShapeError('op needs at least one Value operand');
}

const scalarCache = new WeakMap<GraphCore, Map<string, Value>>();

/** A cached rank-0 constant. */
export function scalar(g: GraphCore, value: number, dtype: DType): Value {
  let m = scalarCache.get(g);
  if (!m) scalarCache.set(g, (m = new Map()));
  const key = `${dtype}:${Object.is(value, -0) ? '-0' : value}`;
  let v = m.get(key);
  if (!v) m.set(key, (v = g.addConst(tensorFrom(dtype, [value], []))));
  return v;
}

/** An int64 vector constant (shapes, axes, starts...). */
export function ints(g: GraphCore, values: readonly number[]): Value {
  return g.addConst(tensorFrom('int64', values, [values.length]));
}

/** Turns plain numbers into scalar constants matching the dtype of the Value operand. */
export function lift(a: Operand, b: Operand): [Value, Value] {
  const g = graphOf([a, b]);
  const dt = a instanceof Value ? a.dtype : (b as Value).dtype;
  return [a instanceof Value ? a : scalar(g, a, dt), b instanceof Value ? b : scalar(g, b, dt)];
}

export function req(op: string, v: Value | null, what: string): Value {
  if (!v) throw new ShapeError(`${op}: missing input ${what}`);
  return v;
}

export function sameDtype(op: string, vs: (Value | null)[]): DType {
  const present = vs.filter((v): v is Value => v !== null);
  const dt = present[0]!.dtype;
  for (const v of present) {
    if (v.dtype !== dt) throw new ShapeError(`${op}: dtype mismatch ${present.map((x) => `${x.dtype}${fmtShape(x.shape)}`).join(' vs ')}`);
  }
  return dt;
}

export function needFloat(op: string, v: Value): void {
  if (!isFloat(v.dtype)) throw new ShapeError(`${op}: needs a float tensor, got ${v.dtype}${fmtShape(v.shape)}`);
}

/** Build-time int values of a constant/shape input, or throw naming the op. */
export function knownInts(op: string, v: Value | null, what: string): Dim[] {
  if (!v?.known) throw new ShapeError(`${op}: ${what} must be a build-time constant`);
  return v.known;
}

export function attrInt(attrs: Attrs, name: string, dflt: number): number {
  const a = attrs[name];
  return a && a.kind === 'int' ? a.value : dflt;
}

export function attrInts(attrs: Attrs, name: string): number[] | undefined {
  const a = attrs[name];
  return a && a.kind === 'ints' ? a.value : undefined;
}

export function attrFloat(attrs: Attrs, name: string, dflt: number): number {
  const a = attrs[name];
  return a && a.kind === 'float' ? a.value : dflt;
}

export type { Shape };
