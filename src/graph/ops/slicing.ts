// Concat, Split, Slice and Pad (ONNX opset 18 forms) with vjp rules: Concat <-> Split are each other's
// backward, Slice's backward is a zero Pad, Pad's backward a Slice.
import { type Dim, type OpDef, type Value, ShapeError, attr, fmtShape } from '../ir.ts';
import { dimEq, normAxis } from '../shape.ts';
import { attrInt, ints, knownInts, op1, req, sameDtype } from './common.ts';
import { zerosLike } from './layout.ts';

export const Concat: OpDef = {
  type: 'Concat',
  infer: (ins, attrs) => {
    const xs = ins.map((v, i) => req('Concat', v, `#${i}`));
    const dtype = sameDtype('Concat', xs);
    const axis = normAxis('Concat', attrInt(attrs, 'axis', 0), xs[0]!.rank);
    let total: number = 0;
    for (const x of xs) {
      const ok = x.rank === xs[0]!.rank && x.shape.every((d, i) => i === axis || dimEq(d, xs[0]!.shape[i]!));
      const d = x.shape[axis];
      if (!ok || typeof d !== 'number') throw new ShapeError(`Concat: shapes ${xs.map((v) => fmtShape(v.shape)).join(' and ')} do not concat on axis ${axis}`);
      total += d;
    }
    const known = xs[0]!.rank === 1 && xs.every((x) => x.known) ? xs.flatMap((x) => x.known!) : undefined; // shape arithmetic
    return [{ dtype, shape: xs[0]!.shape.map((d, i) => (i === axis ? total : d)), known }];
  },
  vjp: ({ node, inputs, grads: [dy] }) => {
    const axis = attrInt(node.attrs, 'axis', 0);
    return split(dy!, axis, inputs.map((x) => x!.shape[normAxis('Concat', axis, x!.rank)] as number));
  },
};

export const Split: OpDef = {
  type: 'Split',
  infer: (ins, attrs) => {
    const x = req('Split', ins[0]!, 'input');
    const axis = normAxis('Split', attrInt(attrs, 'axis', 0), x.rank);
    const sizes = knownInts('Split', ins[1] ?? null, 'split').map(Number);
    if (sizes.reduce((a, b) => a + b, 0) !== x.shape[axis]) {
      throw new ShapeError(`Split: sizes [${sizes}] do not sum to dim ${axis} of ${fmtShape(x.shape)}`);
    }
    return sizes.map((s) => ({ dtype: x.dtype, shape: x.shape.map((d, i) => (i === axis ? s : d)) }));
  },
  vjp: ({ node, outputs, grads }) => {
    const parts = grads.map((gr, i) => gr ?? zerosLike(outputs[i]!));
    return [concat(parts, attrInt(node.attrs, 'axis', 0)), null];
  },
};

interface SliceSpec { starts: number[]; ends: number[]; axes: number[]; steps: number[] }

function sliceSpec(x: Value, ins: (Value | null)[]): SliceSpec {
  const starts = knownInts('Slice', ins[1]!, 'starts').map(Number);
  const ends = knownInts('Slice', ins[2]!, 'ends').map(Number);
  const axes = ins[3] ? knownInts('Slice', ins[3], 'axes').map((a) => normAxis('Slice', Number(a), x.rank)) : starts.map((_, i) => i);
  const steps = ins[4] ? knownInts('Slice', ins[4], 'steps').map(Number) : starts.map(() => 1);
  return { starts, ends, axes, steps };
}

const BIG = 2 ** 31 - 1;

/** Length of [start, end) on a symbolic dim, assuming the dim is at least as long as the range needs. */
function symbolicLength(op: string, d: string, start: number, end: number): Dim {
  if (start === 0 && end >= BIG) return d;
  if ((start >= 0 && end >= 0 && end < BIG) || (start < 0 && end < 0)) return Math.max(end - start, 0);
  if (start < 0 && end >= BIG) return -start;
  throw new ShapeError(`${op}: cannot slice [${start}, ${end}) of symbolic dim ${d}`);
}

/** Clamped [start, end) on a numeric dim, per the ONNX Slice rules (step > 0 only). */
function clampRange(op: string, d: Dim, start: number, end: number, step: number): [number, number] {
  if (typeof d !== 'number' || step !== 1) throw new ShapeError(`${op}: only step 1 on numeric dims is supported (dim ${d}, step ${step})`);
  const c = (v: number) => Math.min(Math.max(v < 0 ? v + d : v, 0), d);
  return [c(start), Math.max(c(end), c(start))];
}

export const Slice: OpDef = {
  type: 'Slice',
  infer: (ins) => {
    const x = req('Slice', ins[0]!, 'data');
    const s = sliceSpec(x, ins);
    const shape = [...x.shape];
    s.axes.forEach((a, i) => {
      const d = x.shape[a]!;
      if (typeof d === 'string' && s.steps[i] === 1) {
        shape[a] = symbolicLength('Slice', d, s.starts[i]!, s.ends[i]!);
        return;
      }
      const [lo, hi] = clampRange('Slice', d, s.starts[i]!, s.ends[i]!, s.steps[i]!);
      shape[a] = hi - lo;
    });
    const known = x.rank === 1 && x.known ? (([lo, hi]) => x.known!.slice(lo, hi))(clampRange('Slice', x.shape[0]!, s.starts[0]!, s.ends[0]!, 1)) : undefined;
    return [{ dtype: x.dtype, shape, known }];
  },
  vjp: ({ inputs, grads: [dy] }) => {
    const x = inputs[0]!;
    const s = sliceSpec(x, inputs);
    const before = x.shape.map(() => 0), after = x.shape.map(() => 0);
    s.axes.forEach((a, i) => {
      const [lo, hi] = clampRange('Slice', x.shape[a]!, s.starts[i]!, s.ends[i]!, 1);
      before[a] = lo;
      after[a] = (x.shape[a] as number) - hi;
    });
    return [pad(dy!, [...before, ...after]), null, null, null, null];
  },
};

export const Pad: OpDef = {
  type: 'Pad',
  infer: (ins) => {
    const x = req('Pad', ins[0]!, 'data');
    const pads = knownInts('Pad', ins[1]!, 'pads').map(Number);
    if (pads.length !== 2 * x.rank) throw new ShapeError(`Pad: ${pads.length} pads for ${fmtShape(x.shape)}`);
    const shape = x.shape.map((d, i) => {
      if (pads[i] === 0 && pads[i + x.rank] === 0) return d;
      if (typeof d !== 'number') throw new ShapeError(`Pad: cannot pad symbolic dim ${i} of ${fmtShape(x.shape)}`);
      return d + pads[i]! + pads[i + x.rank]!;
    });
    return [{ dtype: x.dtype, shape }];
  },
  vjp: ({ inputs, grads: [dy] }) => {
    const x = inputs[0]!;
    const pads = knownInts('Pad', inputs[1]!, 'pads').map(Number);
    const axes = x.shape.map((_, i) => i).filter((i) => pads[i] !== 0 || pads[i + x.rank] !== 0);
    const starts = axes.map((a) => pads[a]!), ends = axes.map((a) => pads[a]! + (x.shape[a] as number));
    return [axes.length ? slice(dy!, starts, ends, axes) : dy!, null, null];
  },
};

export function concat(xs: Value[], axis: number): Value {
  return op1(Concat, xs, { axis: attr.int(axis) });
}
/** Splits along `axis` into pieces of the given sizes. */
export function split(x: Value, axis: number, sizes: number[]): Value[] {
  return x.graph.apply(Split, [x, ints(x.graph, sizes)], { axis: attr.int(axis) });
}
/** x[starts:ends] on `axes` (step 1). */
export function slice(x: Value, starts: number[], ends: number[], axes?: number[]): Value {
  const g = x.graph;
  return op1(Slice, [x, ints(g, starts), ints(g, ends), axes ? ints(g, axes) : null]);
}
/** Zero padding; pads = [begin_0..begin_r, end_0..end_r] as in ONNX. */
export function pad(x: Value, pads: number[]): Value {
  return op1(Pad, [x, ints(x.graph, pads)]);
}
