import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Graph } from '../../src/graph/builder.ts';
import { profileModel } from '../../src/runtime/profile.ts';
import { float32 } from '../../src/runtime/tensor.ts';

test('profileModel attributes kernel time to op types and nodes', async () => {
  const g = new Graph('p');
  const x = g.input('x', 'float32', [64, 64]);
  g.output('y', g.softmax(g.matMul(x, x)));
  const p = await profileModel(g.toOnnx(), { x: float32(new Float32Array(64 * 64).fill(0.01), [64, 64]) }, { threads: 1, runs: 3 });
  assert.deepEqual(p.byOp.map((o) => o.op).sort(), ['MatMul', 'Softmax']);
  assert.ok(p.byOp.every((o) => o.ms >= 0 && o.nodes === 1));
  assert.ok(p.runMs > 0);
  assert.equal(p.topNodes.length, 2);
});
