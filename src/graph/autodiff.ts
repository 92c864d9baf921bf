// Reverse-mode autodiff: one generic walk over the recorded nodes in reverse order, calling each op's `vjp`
// (micrograd engine.py / tinygrad compute_gradient style); it never looks at op types.
import { type Node, type Value, ShapeError, fmtShape, isFloat } from './ir.ts';
import { shapeEq } from './shape.ts';
import { add } from './ops/binary.ts';
import { expand, shapeOf } from './ops/layout.ts';
import { scalar } from './ops/common.ts';

/** Nodes on some path from a `wrt` value to `loss`, in topological order. */
function pathNodes(loss: Value, wrt: Value[]): Node[] {
  const g = loss.graph;
  const fromWrt = new Set<Value>(wrt);
  const forward = new Set<Node>();
  for (const n of g.nodes) {
    if (n.inputs.some((v) => v && fromWrt.has(v))) {
      forward.add(n);
      for (const o of n.outputs) fromWrt.add(o);
    }
  }
  const toLoss = new Set<Node>();
  const stack = loss.node ? [loss.node] : [];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (toLoss.has(n) || !forward.has(n)) continue;
    toLoss.add(n);
    for (const v of n.inputs) if (v?.node) stack.push(v.node);
  }
  return g.nodes.filter((n) => toLoss.has(n));
}

/**
 * Gradients of `loss` with respect to each `wrt` value (a zero tensor where `loss` does not depend on it).
 * `seed` is dLoss (default: ones, so a non-scalar loss is summed).
 */
export function gradients(loss: Value, wrt: Value[], seed?: Value): Value[] {
  if (!isFloat(loss.dtype)) throw new ShapeError(`gradients: loss ${loss} is not a float tensor`);
  if (seed && !shapeEq(seed.shape, loss.shape)) throw new ShapeError(`gradients: seed ${fmtShape(seed.shape)} does not match loss ${fmtShape(loss.shape)}`);
  const grads = new Map<Value, Value>();
  grads.set(loss, seed ?? (loss.rank === 0 ? scalar(loss.graph, 1, loss.dtype) : expand(scalar(loss.graph, 1, loss.dtype), shapeOf(loss))));
  const nodes = pathNodes(loss, wrt);
  const needed = new Set<Value>(wrt);
  for (const n of nodes) for (const o of n.outputs) needed.add(o);
  for (let i = nodes.length - 1; i >= 0; i--) {
    const node = nodes[i]!;
    const outGrads = node.outputs.map((o) => grads.get(o) ?? null);
    if (outGrads.every((x) => x === null)) continue;
    if (!node.def.vjp) continue; // a non-differentiable op stops the gradient
    const needs = node.inputs.map((v) => v !== null && needed.has(v) && isFloat(v.dtype));
    const inGrads = node.def.vjp({ node, inputs: node.inputs, outputs: node.outputs, grads: outGrads, needs });
    node.inputs.forEach((v, j) => {
      const gi = inGrads[j];
      if (!v || !gi || !needs[j]) return;
      if (!shapeEq(gi.shape, v.shape) || gi.dtype !== v.dtype) {
        throw new ShapeError(`${node.op} vjp: gradient ${gi.dtype}${fmtShape(gi.shape)} for input ${v} has the wrong type`);
      }
      const prev = grads.get(v);
      grads.set(v, prev ? add(prev, gi) : gi);
    });
  }
  return wrt.map((w) => grads.get(w) ?? expand(scalar(w.graph, 0, w.dtype), shapeOf(w)));
}
