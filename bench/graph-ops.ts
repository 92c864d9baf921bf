// Micro-benchmarks of backward rules at the bench model's sizes (B=256, T=24, d=128, F=512, H=4, V=3, e=32; see
// train-step.ts): median, min and max ms of one session run that computes an op's gradient (2 threads; big results are
// reduced to one element so output copies don't count). `npm run bench -- graph-ops`.
import { Graph } from '../src/graph/builder.ts';
import { gradients } from '../src/graph/autodiff.ts';
import type { Value } from '../src/graph/ir.ts';
import { Session } from '../src/runtime/session.ts';
import type { HostTensor } from '../src/runtime/tensor.ts';
import { Rng } from '../src/util/rng.ts';
import { measure, round } from './util.ts';

const THREADS = Number(process.env.BENCH_THREADS ?? 2);
const B = 256, T = 24, d = 128, F = 512, H = 4;

function f32(dims: number[], seed: number): HostTensor {
  const r = new Rng(seed);
  return { dtype: 'float32', dims, data: Float32Array.from({ length: dims.reduce((a, b) => a * b, 1) }, () => r.normal()) };
}

async function timeGraph(name: string, build: (g: Graph) => void, feeds: Record<string, HostTensor>): Promise<object> {
  const g = new Graph('bench');
  build(g);
  const s = await Session.create(g.toOnnx(), { threads: THREADS });
  const t = await measure(() => s.run(feeds), { warmup: 3, runs: 15 });
  await s.release();
  return { name, runs: t.runs, warmup: t.warmup, median_ms: round(t.median_ms, 2), min_ms: round(t.min_ms, 2), max_ms: round(t.max_ms, 2), nodes: g.nodes.length, threads: THREADS };
}

/** One element of v: keeps big gradients out of the outputs. */
function probe(g: Graph, name: string, v: Value): void {
  g.output(name, g.slice(g.reshape(v, [-1]), [0], [1], [0]));
}

/** Graph of the gradients of `f` w.r.t. its inputs, seeded with input 'dy'. */
function vjpGraph(shapes: number[][], outShape: number[], f: (g: Graph, xs: Value[]) => Value) {
  return (g: Graph) => {
    const xs = shapes.map((s, i) => g.input(`x${i}`, 'float32', s));
    gradients(f(g, xs), xs, g.input('dy', 'float32', outShape)).forEach((dx, i) => probe(g, `dx${i}`, dx));
  };
}

export const figureNames = ['graph_gelu_bwd', 'graph_layernorm_bwd', 'graph_matmul_bwd', 'graph_softmax_bwd', 'graph_gather_bwd', 'graph_sum_rows_gemm', 'graph_mask_mul'];

export async function graphOps(): Promise<object[]> {
  const out: object[] = [];
  const X = f32([B, T, F], 1), DY = f32([B, T, F], 2);
  out.push(await timeGraph('graph_mul_BTF', (g) => probe(g, 'y', g.mul(g.input('x0', 'float32', [B, T, F]), 1.5)), { x0: X }));
  out.push(await timeGraph('graph_gelu_fwd_BTF', (g) => probe(g, 'y', g.gelu(g.input('x0', 'float32', [B, T, F]))), { x0: X }));
  out.push(await timeGraph('graph_gelu_bwd', vjpGraph([[B, T, F]], [B, T, F], (g, [x]) => g.gelu(x!)), { x0: X, dy: DY }));
  const Xd = f32([B, T, d], 3), DYd = f32([B, T, d], 4), G = f32([d], 5), Bb = f32([d], 6);
  out.push(await timeGraph('graph_layernorm_bwd', vjpGraph([[B, T, d], [d], [d]], [B, T, d], (g, [x, w, b]) => g.layerNorm(x!, w!, b!)), { x0: Xd, x1: G, x2: Bb, dy: DYd }));
  const W1 = f32([d, F], 7);
  out.push(await timeGraph('graph_matmul_fwd', (g) => probe(g, 'y', g.matMul(g.input('x0', 'float32', [B, T, d]), g.input('x1', 'float32', [d, F]))), { x0: Xd, x1: W1 }));
  out.push(await timeGraph('graph_matmul_bwd', vjpGraph([[B, T, d], [d, F]], [B, T, F], (g, [a, w]) => g.matMul(a!, w!)), { x0: Xd, x1: W1, dy: DY }));
  const S = f32([B, H, T, T], 8), DS = f32([B, H, T, T], 9);
  out.push(await timeGraph('graph_softmax_bwd', vjpGraph([[B, H, T, T]], [B, H, T, T], (g, [s]) => g.softmax(s!, -1)), { x0: S, dy: DS }));
  const r = new Rng(10);
  const idx: HostTensor = { dtype: 'int64', dims: [B, T, 10, 2], data: BigInt64Array.from({ length: B * T * 20 }, () => BigInt(r.int(3))) };
  const feeds = { x0: f32([3, 32], 11), i: idx, dy: f32([B, T, 10, 2, 32], 12) };
  out.push(await timeGraph('graph_gather_bwd', (g) => {
    const t = g.input('x0', 'float32', [3, 32]);
    const i = g.input('i', 'int64', [B, T, 10, 2]);
    g.output('dt', gradients(g.gather(t, i), [t], g.input('dy', 'float32', [B, T, 10, 2, 32]))[0]!);
  }, feeds));
  out.push(await timeGraph('graph_gather_bwd_onehot_gemm', (g) => {
    g.input('x0', 'float32', [3, 32]);
    const i = g.input('i', 'int64', [B, T, 10, 2]);
    const dy = g.reshape(g.input('dy', 'float32', [B, T, 10, 2, 32]), [-1, 32]);
    g.output('dt', g.gemm(g.oneHot(g.reshape(i, [-1]), 3), dy, null, { transA: true }));
  }, feeds));
  // the two choices the backward rules make on onnxruntime CPU: bias gradients as a ones^T Gemm, masks as products
  const G2 = f32([B * T, F], 13);
  out.push(await timeGraph('graph_sum_rows_reducesum', (g) => g.output('s', g.reduceSum(g.input('x0', 'float32', [B * T, F]), [0])), { x0: G2 }));
  out.push(await timeGraph('graph_sum_rows_gemm', (g) => {
    const x = g.input('x0', 'float32', [B * T, F]);
    g.output('s', gradients(g.add(x, g.input('b', 'float32', [F])), [g.inputs[1]!], x)[0]!); // sumTo path
  }, { x0: G2, b: f32([F], 14) }));
  out.push(await timeGraph('graph_mask_where', (g) => {
    const x = g.input('x0', 'float32', [B, T, F]);
    probe(g, 'y', g.where(g.greater(x, 0), g.input('dy', 'float32', [B, T, F]), 0));
  }, { x0: X, dy: DY }));
  out.push(await timeGraph('graph_mask_mul', (g) => {
    const x = g.input('x0', 'float32', [B, T, F]);
    probe(g, 'y', g.mul(g.input('dy', 'float32', [B, T, F]), g.cast(g.greater(x, 0), 'float32')));
  }, { x0: X, dy: DY }));
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) for (const f of await graphOps()) console.log(JSON.stringify(f));
