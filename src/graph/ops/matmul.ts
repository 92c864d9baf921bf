// MatMul (numpy batched, rank >= 2) and Gemm, with vjp rules; weight gradients of (..., K) x (K, N) products are
// one Gemm over the flattened rows (no (B, K, N) intermediate).
import { type Dim, type OpDef, type Value, ShapeError, attr, fmtShape } from '../ir.ts';
import { broadcastShapes, dimEq } from '../shape.ts';
import { attrFloat, attrInt, op1, req, sameDtype } from './common.ts';
import { mul } from './binary.ts';
import { reshape, transpose } from './layout.ts';
import { sumTo } from './reduce.ts';

export const MatMul: OpDef = {
  type: 'MatMul',
  infer: (ins) => {
    const a = req('MatMul', ins[0]!, 'A'), b = req('MatMul', ins[1]!, 'B');
    const dtype = sameDtype('MatMul', [a, b]);
    const bad = (why: string) => new ShapeError(`MatMul: ${fmtShape(a.shape)} x ${fmtShape(b.shape)}: ${why}`);
    if (a.rank < 2 || b.rank < 2) throw bad('both operands need rank >= 2');
    if (!dimEq(a.shape[a.rank - 1]!, b.shape[b.rank - 2]!)) throw bad('inner dims differ');
    let batch: Dim[];
    try {
      batch = broadcastShapes('MatMul', [a.shape.slice(0, -2), b.shape.slice(0, -2)]);
    } catch {
      throw bad('batch dims do not broadcast');
    }
    return [{ dtype, shape: [...batch, a.shape[a.rank - 2]!, b.shape[b.rank - 1]!] }];
  },
  vjp: ({ inputs, grads: [dy], needs }) => {
    const [a, b] = inputs as Value[];
    const swap = (v: Value) => transpose(v, [...Array(v.rank - 2).keys(), v.rank - 1, v.rank - 2]);
    const da = needs[0] ? sumTo(matMul(dy!, swap(b!)), a!.shape) : null;
    let db: Value | null = null;
    if (needs[1]) {
      if (b!.rank === 2 && a!.rank > 2) {
        // (..., M, K)^T (..., M, N) summed over the batch = one (K, rows) x (rows, N) Gemm
        const K = a!.shape[a!.rank - 1]!, N = dy!.shape[dy!.rank - 1]!;
        db = gemm(reshape(a!, [-1, K]), reshape(dy!, [-1, N]), null, { transA: true });
      } else db = sumTo(matMul(swap(a!), dy!), b!.shape);
    }
    return [da, db];
  },
};

function gemmDims(op: string, a: Value, b: Value, tA: boolean, tB: boolean): [Dim, Dim] {
  if (a.rank !== 2 || b.rank !== 2) throw new ShapeError(`${op}: needs 2-D operands, got ${fmtShape(a.shape)} and ${fmtShape(b.shape)}`);
  const [M, Ka] = tA ? [a.shape[1]!, a.shape[0]!] : [a.shape[0]!, a.shape[1]!];
  const [Kb, N] = tB ? [b.shape[1]!, b.shape[0]!] : [b.shape[0]!, b.shape[1]!];
  if (!dimEq(Ka, Kb)) throw new ShapeError(`${op}: inner dims differ: ${fmtShape(a.shape)}${tA ? '^T' : ''} x ${fmtShape(b.shape)}${tB ? '^T' : ''}`);
  return [M, N];
}

export const Gemm: OpDef = {
  type: 'Gemm',
  infer: (ins, attrs) => {
    const a = req('Gemm', ins[0]!, 'A'), b = req('Gemm', ins[1]!, 'B'), c = ins[2] ?? null;
    const dtype = sameDtype('Gemm', [a, b, c]);
    const [M, N] = gemmDims('Gemm', a, b, attrInt(attrs, 'transA', 0) === 1, attrInt(attrs, 'transB', 0) === 1);
    if (c) broadcastShapes('Gemm (C to M x N)', [[M, N], c.shape]);
    return [{ dtype, shape: [M, N] }];
  },
  vjp: ({ node, inputs, grads: [dy], needs }) => {
    const [a, b, c] = inputs;
    const tA = attrInt(node.attrs, 'transA', 0) === 1, tB = attrInt(node.attrs, 'transB', 0) === 1;
    const alpha = attrFloat(node.attrs, 'alpha', 1), beta = attrFloat(node.attrs, 'beta', 1);
    const g = alpha === 1 ? dy! : mul(dy!, alpha);
    // Y = op(A) op(B): dA = dY op(B)^T (transposed back when transA), dB likewise
    const da = !needs[0] ? null : tA ? gemm(b!, g, null, { transA: tB, transB: true }) : gemm(g, b!, null, { transB: !tB });
    const db = !needs[1] ? null : tB ? gemm(g, a!, null, { transA: true, transB: tA }) : gemm(a!, g, null, { transA: !tA });
    const dc = c && needs[2] ? sumTo(beta === 1 ? dy! : mul(dy!, beta), c.shape) : null;
    return [da, db, dc];
  },
};

/** Batched matrix product (numpy semantics, rank >= 2). */
export function matMul(a: Value, b: Value): Value {
  return op1(MatMul, [a, b]);
}

/** alpha op(A) op(B) + beta C for 2-D A, B; C optional and broadcast to (M, N). */
export function gemm(a: Value, b: Value, c: Value | null = null, o: { transA?: boolean; transB?: boolean; alpha?: number; beta?: number } = {}): Value {
  const attrs: Record<string, ReturnType<typeof attr.int>> = {};
  if (o.transA) attrs['transA'] = attr.int(1);
  if (o.transB) attrs['transB'] = attr.int(1);
  if (o.alpha !== undefined) attrs['alpha'] = attr.float(o.alpha);
  if (o.beta !== undefined) attrs['beta'] = attr.float(o.beta);
  return op1(Gemm, c ? [a, b, c] : [a, b], attrs);
}
