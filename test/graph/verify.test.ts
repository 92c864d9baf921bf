import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Graph } from '../../src/graph/builder.ts';
import { verifyGraph } from '../../src/graph/verify.ts';
import { Node, Value } from '../../src/graph/ir.ts';
import { Add } from '../../src/graph/ops/binary.ts';

test('a well-formed graph has no problems', () => {
  const g = new Graph('ok');
  const x = g.input('x', 'float32', ['B', 3]);
  g.output('y', g.softmax(g.add(x, 1)));
  assert.deepEqual(verifyGraph(g), []);
});

test('verify reports values from another graph, stale shapes, duplicate names and missing outputs', () => {
  const g = new Graph('bad');
  const x = g.input('x', 'float32', [2, 3]);
  assert.deepEqual(verifyGraph(g), ['graph has no outputs']);
  const other = new Graph('other').input('z', 'float32', [2, 3]);
  const y = g.add(x, x);
  // tamper with the recorded graph the way a buggy rule or manual edit could
  (y.shape as unknown as number[])[1] = 4;
  const n = new Node(Add, [x, other], {}, 'Add_forged');
  n.outputs = [new Value(g, 'y2', 'float32', [2, 3], 'node', n)];
  g.nodes.push(n);
  const dup = new Node(Add, [x, x], {}, 'Add_dup');
  dup.outputs = [new Value(g, 'x', 'float32', [2, 3], 'node', dup)];
  g.nodes.push(dup);
  g.outputs.push(y, new Value(g, 'ghost', 'float32', [1], 'node', null));
  const p = verifyGraph(g).join('\n');
  assert.match(p, /Add_0 \(Add\): output add_\d+ is float32\(2, 4\), rule gives float32\(2, 3\)/);
  assert.match(p, /Add_forged \(Add\): input z is from another graph/);
  assert.match(p, /duplicate value name 'x'/);
  assert.match(p, /output ghost is not produced by this graph/);
  assert.throws(() => g.toOnnx(), /graph bad is invalid/);
});

test('verify reports a node whose input is used before it is defined', () => {
  const g = new Graph('order');
  const x = g.input('x', 'float32', [2]);
  const y = g.add(x, x);
  const z = g.add(y, x);
  g.nodes.reverse(); // consumer before producer
  g.output('z', z);
  assert.match(verifyGraph(g).join('\n'), /input add_\d+ is used before it is defined \(dangling\)/);
});
