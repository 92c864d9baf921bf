// Where the training step's time goes: onnxruntime kernel time by op type and the slowest nodes of the train_step
// graph (src/train/step.ts) at the train-step bench size (B=256), random inputs. `npm run bench -- graph-train-profile`.
import type { Graph } from '../src/graph/builder.ts';
import { profileModel } from '../src/runtime/profile.ts';
import type { HostTensor } from '../src/runtime/tensor.ts';
import { buildTrainGraph } from '../src/train/step.ts';
import { DEFAULT_OPTIM } from '../src/model/optim-config.ts';
import { Rng } from '../src/util/rng.ts';
import { BENCH_MODEL } from './train-step.ts';
import { round } from './util.ts';

/** Random feeds for every graph input: symbolic dims = B, ints in [0, 3), bools ~90% true, floats small. */
function feedsFor(g: Graph, B: number, seed: number): Record<string, HostTensor> {
  const r = new Rng(seed);
  const out: Record<string, HostTensor> = {};
  for (const v of g.inputs) {
    const dims = v.shape.map((d) => (typeof d === 'number' ? d : B));
    const n = dims.reduce((a, b) => a * b, 1);
    if (v.dtype === 'float32') out[v.name] = { dtype: 'float32', dims, data: Float32Array.from({ length: n }, () => (v.name === 'step' ? 1 : 0.02 * r.normal())) };
    else if (v.dtype === 'float64') out[v.name] = { dtype: 'float64', dims, data: new Float64Array(n).fill(1) };
    else if (v.dtype === 'int32') out[v.name] = { dtype: 'int32', dims, data: Int32Array.from({ length: n }, () => r.int(3)) };
    else if (v.dtype === 'int64') out[v.name] = { dtype: 'int64', dims, data: BigInt64Array.from({ length: n }, () => BigInt(r.int(3))) };
    else if (v.dtype === 'bool') out[v.name] = { dtype: 'bool', dims, data: Uint8Array.from({ length: n }, () => (r.random() < 0.9 ? 1 : 0)) };
    else throw new Error(`feedsFor: input ${v.name} has dtype ${v.dtype}`);
  }
  return out;
}

export async function graphTrainProfile(): Promise<object[]> {
  const threads = Number(process.env.BENCH_THREADS ?? 2);
  const g = buildTrainGraph(BENCH_MODEL, DEFAULT_OPTIM);
  const runs = 5, warmup = 2;
  const p = await profileModel(g.toOnnx(), feedsFor(g, 256, 1), { threads, runs, warmup });
  const total = p.byOp.reduce((a, o) => a + o.ms, 0);
  return [
    { name: 'graph_train_profile', runs, warmup, run_ms: round(p.runMs, 1), min_run_ms: round(p.runMinMs, 1), max_run_ms: round(p.runMaxMs, 1), kernel_ms: round(total, 1), nodes: g.nodes.length, threads },
    // median kernel ms per op type and of the slowest nodes, over the same runs
    ...p.byOp.slice(0, 14).map((o) => ({ name: `graph_train_op_${o.op}`, breakdown_of: 'graph_train_profile', ms: round(o.ms, 2), nodes: o.nodes })),
    ...p.topNodes.slice(0, 10).map((n) => ({ name: `graph_train_node`, breakdown_of: 'graph_train_profile', node: n.node, op: n.op, ms: round(n.ms, 2) })),
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) for (const f of await graphTrainProfile()) console.log(JSON.stringify(f));
