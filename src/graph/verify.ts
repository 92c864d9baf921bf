// Graph checks before export (tinygrad uop/spec.py idea): every node's shape rule still holds for its recorded
// outputs, inputs are defined before use, names are unique, outputs exist; returns a list of problems.
import { type GraphCore, type Value, fmtShape } from './ir.ts';
import { shapeEq } from './shape.ts';

/** Problems found in the graph (empty when it is valid). */
export function verifyGraph(g: GraphCore): string[] {
  const problems: string[] = [];
  const defined = new Set<Value>([...g.inputs, ...g.consts]);
  const names = new Map<string, Value>();
  const claim = (v: Value) => {
    const prev = names.get(v.name);
    if (prev && prev !== v) problems.push(`duplicate value name '${v.name}'`);
    names.set(v.name, v);
  };
  for (const v of defined) claim(v);
  for (const n of g.nodes) {
    for (const v of n.inputs) {
      if (!v) continue;
      if (v.graph !== g) problems.push(`${n.name} (${n.op}): input ${v.name} is from another graph`);
      else if (!defined.has(v)) problems.push(`${n.name} (${n.op}): input ${v.name} is used before it is defined (dangling)`);
    }
    try {
      const specs = n.def.infer(n.inputs, n.attrs);
      if (specs.length !== n.outputs.length) problems.push(`${n.name} (${n.op}): ${n.outputs.length} outputs, rule gives ${specs.length}`);
      specs.forEach((s, i) => {
        const o = n.outputs[i];
        if (o && (o.dtype !== s.dtype || !shapeEq(o.shape, s.shape))) {
          problems.push(`${n.name} (${n.op}): output ${o.name} is ${o.dtype}${fmtShape(o.shape)}, rule gives ${s.dtype}${fmtShape(s.shape)}`);
        }
      });
    } catch (e) {
      problems.push(`${n.name} (${n.op}): ${(e as Error).message}`);
    }
    for (const o of n.outputs) {
      claim(o);
      defined.add(o);
    }
  }
  if (g.outputs.length === 0) problems.push('graph has no outputs');
  for (const o of g.outputs) if (!defined.has(o)) problems.push(`output ${o.name} is not produced by this graph`);
  return problems;
}

/** Throws listing every problem verifyGraph finds. */
export function assertValid(g: GraphCore): void {
  const p = verifyGraph(g);
  if (p.length > 0) throw new Error(`graph ${g.name} is invalid:\n  ${p.join('\n  ')}`);
}
