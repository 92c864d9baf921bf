// Serialises a graph to ONNX ModelProto bytes; field numbers follow onnx/onnx.proto (IR version 8-10).
// Only nodes reachable from the outputs are emitted, and constants become initializers.
import type { Attr, GraphCore, Node, TensorData, Value } from '../ir.ts';
import { PbWriter } from './wire.ts';
import { ONNX_DTYPE, rawBytes } from './dtypes.ts';

export interface OnnxOptions {
  /** default-domain opset; 20 gives Gelu. */
  opset?: number;
  irVersion?: number;
  producer?: string;
}

const ATTR_TYPE = { float: 1, int: 2, string: 3, tensor: 4, floats: 6, ints: 7 } as const;

function tensorProto(t: TensorData, name?: string): PbWriter {
  const w = new PbWriter();
  w.packedInts(1, t.dims);
  w.int(2, ONNX_DTYPE[t.dtype]);
  if (name !== undefined) w.string(8, name);
  w.bytes(9, rawBytes(t));
  return w;
}

function attributeProto(name: string, a: Attr): PbWriter {
  const w = new PbWriter().string(1, name).int(20, ATTR_TYPE[a.kind]);
  switch (a.kind) {
    case 'float': return w.float(2, a.value);
    case 'int': return w.int(3, a.value);
    case 'string': return w.string(4, a.value);
    case 'tensor': return w.message(5, tensorProto(a.value));
    case 'floats': return w.packedFloats(7, a.value);
    case 'ints': return w.packedInts(8, a.value);
  }
}

function nodeProto(n: Node): PbWriter {
  const w = new PbWriter();
  const ins = [...n.inputs];
  while (ins.length > 0 && ins[ins.length - 1] === null) ins.pop(); // trailing optional inputs are simply absent
  for (const v of ins) w.string(1, v ? v.name : '');
  for (const v of n.outputs) w.string(2, v.name);
  w.string(3, n.name).string(4, n.def.type);
  for (const [k, a] of Object.entries(n.attrs)) w.message(5, attributeProto(k, a));
  if (n.def.domain) w.string(7, n.def.domain);
  return w;
}

function valueInfo(v: Value): PbWriter {
  const shape = new PbWriter();
  for (const d of v.shape) {
    const dim = new PbWriter();
    if (typeof d === 'number') dim.int(1, d);
    else dim.string(2, d);
    shape.message(1, dim);
  }
  const tensorType = new PbWriter().int(1, ONNX_DTYPE[v.dtype]).message(2, shape);
  const type = new PbWriter().message(1, tensorType);
  return new PbWriter().string(1, v.name).message(2, type);
}

/** Nodes needed to compute the graph outputs, in topological (creation) order. */
export function liveNodes(g: GraphCore): Node[] {
  const live = new Set<Node>();
  const stack = g.outputs.map((v) => v.node).filter((n): n is Node => n !== null);
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (live.has(n)) continue;
    live.add(n);
    for (const v of n.inputs) if (v?.node) stack.push(v.node);
  }
  return g.nodes.filter((n) => live.has(n));
}

function irVersionFor(opset: number): number {
  if (opset <= 18) return 8;
  if (opset <= 20) return 9;
  return 10;
}

/** ONNX ModelProto bytes for the graph (pruned to what the outputs need). */
export function emitOnnx(g: GraphCore, opts: OnnxOptions = {}): Uint8Array {
  const opset = opts.opset ?? 20;
  const nodes = liveNodes(g);
  const used = new Set<Value>();
  for (const n of nodes) for (const v of n.inputs) if (v) used.add(v);
  for (const v of g.outputs) used.add(v);
  const graph = new PbWriter();
  for (const n of nodes) graph.message(1, nodeProto(n));
  graph.string(2, g.name);
  for (const c of g.consts) if (used.has(c)) graph.message(5, tensorProto(c.data!, c.name));
  for (const v of g.inputs) graph.message(11, valueInfo(v));
  for (const v of g.outputs) graph.message(12, valueInfo(v));
  const model = new PbWriter();
  model.int(1, opts.irVersion ?? irVersionFor(opset));
  model.string(2, opts.producer ?? 'tokcast');
  model.message(7, graph);
  model.message(8, new PbWriter().string(1, '').int(2, opset));
  model.message(8, new PbWriter().string(1, 'com.microsoft').int(2, 1));
  return model.finish();
}
