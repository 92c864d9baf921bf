// Finite-difference gradient checker for graph ops (micrograd/tinygrad style, llm.c-style failure report):
// loss = sum(op(inputs) * R) for a fixed random R; analytic grads from gradients() vs central differences.
import { Graph } from '../../src/graph/builder.ts';
import { gradients } from '../../src/graph/autodiff.ts';
import type { DType, Dim, Value } from '../../src/graph/ir.ts';
import { Session } from '../../src/runtime/session.ts';
import type { HostTensor } from '../../src/runtime/tensor.ts';
import { Rng } from '../../src/util/rng.ts';

export interface InputSpec {
  shape: Dim[]; // symbolic dims take their value from CheckOptions.bind
  dtype?: DType; // default: the check's float dtype
  values?: number[]; // default: normal(0, 1) (ints: must be given)
  grad?: boolean; // default: true for float inputs
}

export interface CheckOptions {
  dtype?: 'float64' | 'float32';
  eps?: number;
  atol?: number;
  rtol?: number;
  seed?: number;
  /** values of symbolic dims, e.g. { B: 2 } */
  bind?: Record<string, number>;
}

/** Concrete dims: symbols (and products such as 'B*24') evaluated with `bind`. */
function concrete(shape: readonly Dim[], bind: Record<string, number>): number[] {
  return shape.map((d) => typeof d === 'number' ? d : d.split('*').reduce((a, f) => {
    const v = /^\d+$/.test(f) ? Number(f) : bind[f];
    if (v === undefined) throw new Error(`gradcheck: no value for symbolic dim ${f}`);
    return a * v;
  }, 1));
}

function host(dtype: DType, values: number[], dims: number[]): HostTensor {
  if (dtype === 'float64') return { dtype, dims, data: Float64Array.from(values) };
  if (dtype === 'float32') return { dtype, dims, data: Float32Array.from(values) };
  if (dtype === 'int64') return { dtype, dims, data: BigInt64Array.from(values.map((v) => BigInt(v))) };
  if (dtype === 'bool') return { dtype, dims, data: Uint8Array.from(values) };
  throw new Error(`gradcheck: unsupported input dtype ${dtype}`);
}

/** Side-by-side report of the first elements and the largest difference (llm.c test_gpt2.c style). */
export function compareReport(label: string, got: ArrayLike<number>, want: ArrayLike<number>, atol: number, rtol: number): string | null {
  let worst = -1, worstDiff = 0, bad = 0;
  for (let i = 0; i < want.length; i++) {
    const d = Math.abs(got[i]! - want[i]!);
    if (!(d <= atol + rtol * Math.abs(want[i]!))) bad++;
    if (!(d <= worstDiff) || worst < 0) { worst = i; worstDiff = d; }
  }
  if (bad === 0 && got.length === want.length) return null;
  const lines = [`${label}: ${bad}/${want.length} elements outside atol ${atol} rtol ${rtol}; largest |diff| ${worstDiff.toExponential(3)} at [${worst}]`];
  lines.push('   i        analytic         reference');
  for (let i = 0; i < Math.min(6, want.length); i++) lines.push(`${String(i).padStart(4)} ${got[i]!.toPrecision(9).padStart(16)} ${want[i]!.toPrecision(9).padStart(16)}`);
  lines.push(`[${worst}] ${got[worst]!.toPrecision(9).padStart(16)} ${want[worst]!.toPrecision(9).padStart(16)}`);
  return lines.join('\n');
}

/**
 * Builds `op` over the inputs, checks every differentiable input's gradient against central differences;
 * returns null on success or a report. float64: eps 1e-6, tol 1e-6; float32 defaults are looser (see callers).
 */
export async function gradCheck(op: (g: Graph, xs: Value[]) => Value, specs: InputSpec[], o: CheckOptions = {}): Promise<string | null> {
  const dtype = o.dtype ?? 'float64';
  const eps = o.eps ?? (dtype === 'float64' ? 1e-6 : 1e-2);
  const atol = o.atol ?? (dtype === 'float64' ? 1e-6 : 5e-3);
  const rtol = o.rtol ?? (dtype === 'float64' ? 1e-6 : 2e-2);
  const rng = new Rng(o.seed ?? 1);
  const g = new Graph('gradcheck');
  const xs = specs.map((s, i) => g.input(`x${i}`, s.dtype ?? dtype, s.shape));
  const y = op(g, xs);
  const bind = o.bind ?? {};
  const yDims = concrete(y.shape, bind);
  const R = Array.from({ length: yDims.reduce((a, b) => a * b, 1) }, () => rng.normal());
  const r = g.input('r', dtype, y.shape);
  const loss = g.reduceSum(g.mul(y, r));
  const wrt = specs.map((s, i) => i).filter((i) => (specs[i]!.grad ?? true) && (xs[i]!.dtype === 'float32' || xs[i]!.dtype === 'float64'));
  const grads = gradients(loss, wrt.map((i) => xs[i]!));
  g.output('loss', loss);
  grads.forEach((d, k) => g.output(`d${wrt[k]}`, d));
  const sess = await Session.create(g.toOnnx(), { threads: 1 });
  const dims = specs.map((s) => concrete(s.shape, bind));
  const vals = specs.map((s, i) => s.values ?? Array.from({ length: dims[i]!.reduce((a, b) => a * b, 1) }, () => {
    if ((s.dtype ?? dtype) !== dtype) throw new Error(`gradcheck: input ${i} needs values`);
    return rng.normal();
  }));
  const feeds = () => ({ ...Object.fromEntries(specs.map((s, i) => [`x${i}`, host(s.dtype ?? dtype, vals[i]!, dims[i]!)])), r: host(dtype, R, yDims) });
  const base = await sess.run(feeds());
  const reports: string[] = [];
  for (const [k, i] of wrt.entries()) {
    const analytic = Array.from(base[`d${i}`]!.data as Float64Array);
    const numeric: number[] = [];
    for (let j = 0; j < vals[i]!.length; j++) {
      const keep = vals[i]![j]!;
      vals[i]![j] = keep + eps;
      const lp = Number((await sess.run(feeds(), ['loss'])).loss!.data[0]);
      vals[i]![j] = keep - eps;
      const lm = Number((await sess.run(feeds(), ['loss'])).loss!.data[0]);
      vals[i]![j] = keep;
      numeric.push((lp - lm) / (2 * eps));
    }
    const rep = compareReport(`d input ${i} (${k})`, analytic, numeric, atol, rtol);
    if (rep) reports.push(rep);
  }
  await sess.release();
  return reports.length ? reports.join('\n') : null;
}
