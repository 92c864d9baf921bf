// Dimension algebra for build-time shape checks: numeric and symbolic dims, products ('B*24'), numpy broadcasting.
// Follows the ONNX broadcasting rules (onnx/docs/Broadcasting.md).
import { type Dim, type Shape, ShapeError, fmtShape } from './ir.ts';

interface Factored { n: number; syms: string[] }

function factor(d: Dim): Factored {
  if (typeof d === 'number') return { n: d, syms: [] };
  let n = 1;
  const syms: string[] = [];
  for (const p of d.split('*').map((s) => s.trim())) {
    if (/^\d+$/.test(p)) n *= Number(p);
    else if (p.length > 0) syms.push(p);
  }
  return { n, syms: syms.sort() };
}

function unfactor(f: Factored): Dim {
  if (f.syms.length === 0) return f.n;
  return f.n === 1 ? f.syms.join('*') : `${f.syms.join('*')}*${f.n}`;
}

/** Canonical form of a dim: 'T*B*2' and 'B*T*2' are the same dim. */
export function canonDim(d: Dim): Dim {
  if (typeof d === 'number') {
    if (!Number.isInteger(d) || d < 0) throw new ShapeError(`bad dim ${d}`);
    return d;
  }
  return unfactor(factor(d));
}

export function dimEq(a: Dim, b: Dim): boolean {
  return canonDim(a) === canonDim(b);
}

export function shapeEq(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => dimEq(d, b[i]!));
}

/** Product of dims (symbolic factors multiply). */
export function dimProduct(dims: Shape): Dim {
  let n = 1;
  const syms: string[] = [];
  for (const d of dims) {
    const f = factor(d);
    n *= f.n;
    syms.push(...f.syms);
  }
  return unfactor({ n, syms: syms.sort() });
}

/** a / b, or undefined when it does not divide exactly. */
export function dimDiv(a: Dim, b: Dim): Dim | undefined {
  const fa = factor(a), fb = factor(b);
  if (fb.n === 0 || fa.n % fb.n !== 0) return undefined;
  const rest = [...fa.syms];
  for (const s of fb.syms) {
    const i = rest.indexOf(s);
    if (i < 0) return undefined;
    rest.splice(i, 1);
  }
  return unfactor({ n: fa.n / fb.n, syms: rest });
}

export function isStatic(s: Shape): s is readonly number[] {
  return s.every((d) => typeof d === 'number');
}

export function numel(s: Shape): number {
  if (!isStatic(s)) throw new ShapeError(`numel of symbolic shape ${fmtShape(s)}`);
  return s.reduce((a, b) => a * b, 1);
}

/** Multidirectional broadcast of several shapes; throws naming `op` and all shapes. */
export function broadcastShapes(op: string, shapes: Shape[]): Dim[] {
  const rank = Math.max(...shapes.map((s) => s.length));
  const out: Dim[] = [];
  for (let i = 0; i < rank; i++) {
    let d: Dim = 1;
    for (const s of shapes) {
      const j = i - (rank - s.length);
      if (j < 0) continue;
      const e = s[j]!;
      if (e === 1) continue;
      if (d === 1) d = e;
      else if (!dimEq(d, e)) {
        throw new ShapeError(`${op}: shapes ${shapes.map(fmtShape).join(' and ')} do not broadcast (dim ${i}: ${d} vs ${e})`);
      }
    }
    out.push(d);
  }
  return out;
}

/** Normalises a possibly negative axis for a tensor of `rank`; throws naming `op`. */
export function normAxis(op: string, axis: number, rank: number): number {
  const a = axis < 0 ? axis + rank : axis;
  if (!Number.isInteger(a) || a < 0 || a >= rank) throw new ShapeError(`${op}: axis ${axis} out of range for rank ${rank}`);
  return a;
}
