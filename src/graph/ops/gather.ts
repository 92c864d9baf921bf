// Indexing ops: Gather, GatherElements, ScatterND, ScatterElements, OneHot. Gather's vjp scatters the gradient
// rows into a zero table with ScatterND(reduction='add'), GatherElements' with ScatterElements(add).
import { type OpDef, type Value, ShapeError, attr, fmtShape } from '../ir.ts';
import { normAxis, shapeEq } from '../shape.ts';
import { attrInt, knownInts, op1, req } from './common.ts';
import { tensorFrom } from '../onnx/dtypes.ts';
import { reshape, unsqueeze, zerosLike } from './layout.ts';
import { add, equal, mul } from './binary.ts';
import { cast } from './unary.ts';

function needIndex(op: string, v: Value): void {
  if (v.dtype !== 'int64' && v.dtype !== 'int32') throw new ShapeError(`${op}: indices must be int64/int32, got ${v.dtype}${fmtShape(v.shape)}`);
}

export const Gather: OpDef = {
  type: 'Gather',
  infer: (ins, attrs) => {
    const x = req('Gather', ins[0]!, 'data'), idx = req('Gather', ins[1]!, 'indices');
    needIndex('Gather', idx);
    const axis = normAxis('Gather', attrInt(attrs, 'axis', 0), x.rank);
    return [{ dtype: x.dtype, shape: [...x.shape.slice(0, axis), ...idx.shape, ...x.shape.slice(axis + 1)] }];
  },
  vjp: ({ node, inputs, grads: [dy] }) => {
    const [x, idx] = inputs as Value[];
    if (normAxis('Gather', attrInt(node.attrs, 'axis', 0), x!.rank) !== 0) throw new ShapeError('Gather vjp: only axis 0 is supported');
    const rest = x!.shape.slice(1);
    const upd = reshape(dy!, [-1, ...rest]);
    return [scatterND(zerosLike(x!), reshape(idx!, [-1, 1]), upd, 'add'), null];
  },
};

export const GatherElements: OpDef = {
  type: 'GatherElements',
  infer: (ins, attrs) => {
    const x = req('GatherElements', ins[0]!, 'data'), idx = req('GatherElements', ins[1]!, 'indices');
    needIndex('GatherElements', idx);
    normAxis('GatherElements', attrInt(attrs, 'axis', 0), x.rank);
    if (idx.rank !== x.rank) throw new ShapeError(`GatherElements: ranks differ ${fmtShape(x.shape)} vs ${fmtShape(idx.shape)}`);
    return [{ dtype: x.dtype, shape: idx.shape }];
  },
  vjp: ({ node, inputs, grads: [dy] }) => {
    const [x, idx] = inputs as Value[];
    return [scatterElements(zerosLike(x!), idx!, dy!, attrInt(node.attrs, 'axis', 0), 'add'), null];
  },
};

export const ScatterND: OpDef = {
  type: 'ScatterND',
  infer: (ins) => {
    const x = req('ScatterND', ins[0]!, 'data'), idx = req('ScatterND', ins[1]!, 'indices'), u = req('ScatterND', ins[2]!, 'updates');
    needIndex('ScatterND', idx);
    const k = idx.shape[idx.rank - 1];
    if (typeof k !== 'number') throw new ShapeError(`ScatterND: last dim of indices ${fmtShape(idx.shape)} must be numeric`);
    const want = [...idx.shape.slice(0, -1), ...x.shape.slice(k)];
    if (!shapeEq(u.shape, want) || u.dtype !== x.dtype) {
      throw new ShapeError(`ScatterND: updates ${u.dtype}${fmtShape(u.shape)} should be ${x.dtype}${fmtShape(want)} for data ${fmtShape(x.shape)}, indices ${fmtShape(idx.shape)}`);
    }
    return [{ dtype: x.dtype, shape: x.shape }];
  },
};

export const ScatterElements: OpDef = {
  type: 'ScatterElements',
  infer: (ins) => {
    const x = req('ScatterElements', ins[0]!, 'data'), idx = req('ScatterElements', ins[1]!, 'indices'), u = req('ScatterElements', ins[2]!, 'updates');
    needIndex('ScatterElements', idx);
    if (!shapeEq(u.shape, idx.shape) || idx.rank !== x.rank) {
      throw new ShapeError(`ScatterElements: data ${fmtShape(x.shape)}, indices ${fmtShape(idx.shape)}, updates ${fmtShape(u.shape)} do not fit`);
    }
    return [{ dtype: x.dtype, shape: x.shape }];
  },
};

export const OneHot: OpDef = {
  type: 'OneHot',
  infer: (ins, attrs) => {
    const idx = req('OneHot', ins[0]!, 'indices'), values = req('OneHot', ins[2]!, 'values');
    needIndex('OneHot', idx);
    const depth = Number(knownInts('OneHot', ins[1]!, 'depth')[0]);
    const axis = normAxis('OneHot', attrInt(attrs, 'axis', -1), idx.rank + 1);
    const shape = [...idx.shape];
    shape.splice(axis, 0, depth);
    return [{ dtype: values.dtype, shape }];
  },
};

/** Rows of `x` along `axis` picked by integer `indices` (embedding lookup with axis 0). */
export function gather(x: Value, indices: Value, axis = 0): Value {
  return op1(Gather, [x, indices], { axis: attr.int(axis) });
}
export function gatherElements(x: Value, indices: Value, axis: number): Value {
  return op1(GatherElements, [x, indices], { axis: attr.int(axis) });
}
export function scatterND(x: Value, indices: Value, updates: Value, reduction: 'none' | 'add' = 'none'): Value {
  return op1(ScatterND, [x, indices, updates], reduction === 'none' ? {} : { reduction: attr.string(reduction) });
}
export function scatterElements(x: Value, indices: Value, updates: Value, axis: number, reduction: 'none' | 'add' = 'none'): Value {
  const attrs = { axis: attr.int(axis), ...(reduction === 'none' ? {} : { reduction: attr.string(reduction) }) };
  return op1(ScatterElements, [x, indices, updates], attrs);
}
/** One-hot encoding along the last axis: `on` where index matches, `off` elsewhere. */
export function oneHot(indices: Value, depth: number, dtype: 'float32' | 'float64' = 'float32', off = 0, on = 1): Value {
  const g = indices.graph;
  if (dtype === 'float64') {
    // onnxruntime has no float64 OneHot kernel: compare against 0..depth-1 instead
    const ids = indices.dtype === 'int64' ? indices : cast(indices, 'int64');
    const range = g.addConst(tensorFrom('int64', Array.from({ length: depth }, (_, i) => i), [depth]));
    const m = cast(equal(unsqueeze(ids, [-1]), range), 'float64');
    return off === 0 && on === 1 ? m : add(mul(m, on - off), off);
  }
  const d = g.addConst(tensorFrom('int64', [depth], [1]));
  const v = g.addConst(tensorFrom(dtype, [off, on], [2]));
  return op1(OneHot, [indices, d, v], { axis: attr.int(-1) });
}
