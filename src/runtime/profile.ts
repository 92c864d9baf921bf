// Per-node kernel timings from onnxruntime's built-in profiler (enableProfiling JSON trace), summarised by op type
// and by node; used by benchmarks to see where a training step spends its time.
import * as ort from 'onnxruntime-node';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type HostTensor, toOrt } from './tensor.ts';

export interface ProfileSummary {
  /** median wall time of one run as onnxruntime measured it (model_run), ms */
  runMs: number;
  /** fastest and slowest of those runs, ms */
  runMinMs: number;
  runMaxMs: number;
  /** op type -> median per-run kernel ms, sorted descending */
  byOp: { op: string; ms: number; nodes: number }[];
  /** the slowest nodes (`top`, default 15): name, op, median kernel ms */
  topNodes: { node: string; op: string; ms: number }[];
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? 0 : s[s.length >> 1]!;
}

/** Runs `model` `runs` times after `warmup` unprofiled-in-summary runs and summarises the kernel times. */
export async function profileModel(model: Uint8Array, feeds: Record<string, HostTensor>, o: { threads?: number; runs?: number; warmup?: number; top?: number } = {}): Promise<ProfileSummary> {
  const dir = mkdtempSync(join(tmpdir(), 'tokcast-prof-'));
  try {
    const s = await ort.InferenceSession.create(model, {
      intraOpNumThreads: o.threads ?? 0, graphOptimizationLevel: 'all', enableProfiling: true, profileFilePrefix: join(dir, 'p'),
    });
    const f: Record<string, ort.Tensor> = {};
    for (const [k, v] of Object.entries(feeds)) f[k] = toOrt(v);
    const runs = o.runs ?? 5, warmup = o.warmup ?? 1;
    for (let i = 0; i < warmup + runs; i++) await s.run(f);
    (s as unknown as { endProfiling(): void }).endProfiling();
    await s.release();
    const file = readdirSync(dir).find((n) => n.endsWith('.json'));
    const events = JSON.parse(readFileSync(join(dir, file!), 'utf8')) as { cat: string; name: string; dur: number; args?: { op_name?: string } }[];
    const runTimes = events.filter((e) => e.name === 'model_run').map((e) => e.dur / 1000).slice(warmup);
    const perNode = new Map<string, { op: string; ms: number[] }>();
    for (const e of events) {
      if (e.cat !== 'Node' || !e.name.endsWith('_kernel_time')) continue;
      const name = e.name.slice(0, -'_kernel_time'.length);
      let rec = perNode.get(name);
      if (!rec) perNode.set(name, (rec = { op: e.args?.op_name ?? '?', ms: [] }));
      rec.ms.push(e.dur / 1000);
    }
    const nodes = [...perNode.entries()].map(([node, r]) => ({ node, op: r.op, ms: median(r.ms.slice(warmup)) }));
    const byOpMap = new Map<string, { ms: number; nodes: number }>();
    for (const n of nodes) {
      const a = byOpMap.get(n.op) ?? { ms: 0, nodes: 0 };
      byOpMap.set(n.op, { ms: a.ms + n.ms, nodes: a.nodes + 1 });
    }
    return {
      runMs: median(runTimes), runMinMs: Math.min(...runTimes), runMaxMs: Math.max(...runTimes),
      byOp: [...byOpMap.entries()].map(([op, a]) => ({ op, ...a })).sort((a, b) => b.ms - a.ms),
      topNodes: nodes.sort((a, b) => b.ms - a.ms).slice(0, o.top ?? 15),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
