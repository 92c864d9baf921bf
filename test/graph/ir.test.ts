import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GraphCore, ShapeError } from '../../src/graph/ir.ts';
import { Add } from '../../src/graph/ops/binary.ts';

test('GraphCore records nodes in order with fresh unique names and rejects foreign values', () => {
  const g = new GraphCore('g');
  const a = g.addInput('a', 'float32', [2]);
  const [y] = g.apply(Add, [a, a]);
  const [z] = g.apply(Add, [y!, a], {}, ['z']);
  assert.deepEqual(g.nodes.map((n) => n.op), ['Add', 'Add']);
  assert.equal(z!.name, 'z');
  assert.notEqual(g.nodes[0]!.name, g.nodes[1]!.name);
  assert.equal(y!.node, g.nodes[0]);
  assert.throws(() => g.apply(Add, [a, a], {}, ['z']), /duplicate value name 'z'/);
  const h = new GraphCore('h');
  const b = h.addInput('b', 'float32', [2]);
  assert.throws(() => g.apply(Add, [a, b]), (e: Error) => e instanceof ShapeError && /input b belongs to graph h, not g/.test(e.message));
  const c = g.addConst({ dtype: 'int64', dims: [2], data: new BigInt64Array([3n, 4n]) });
  assert.deepEqual(c.known, [3, 4]);
});
