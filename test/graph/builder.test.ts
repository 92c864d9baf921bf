import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Graph } from '../../src/graph/builder.ts';
import { gradients } from '../../src/graph/autodiff.ts';
import { ShapeError } from '../../src/graph/ir.ts';
import { Session } from '../../src/runtime/session.ts';
import { float32, int64 } from '../../src/runtime/tensor.ts';

test('the README example builds, serialises and runs for two batch sizes with a symbolic B', async () => {
  const g = new Graph('train_step');
  const x = g.input('x', 'int64', ['B', 4, 3, 2]);
  const E = g.input('embed.price', 'float32', [5, 2]);
  const W = g.input('fuse.w', 'float32', [6, 3]);
  const b = g.input('fuse.b', 'float32', [3]);
  const e = g.gather(E, g.slice(x, [0], [1], [3])); // (B, 4, 3, 1, 2)
  const v = g.reshape(e, ['B', 4, 6]);
  const h = g.add(g.matMul(v, W), b);
  const loss = g.reduceMean(g.mul(h, h));
  const [dW, db] = gradients(loss, [W, b]);
  g.output('loss', loss);
  g.output('d.fuse.w', dW!);
  g.output('d.fuse.b', db!);
  const s = await Session.create(g.toOnnx({ opset: 20 }), { threads: 1 });
  const Ev = Array.from({ length: 10 }, (_, i) => i / 10), Wv = Array.from({ length: 18 }, (_, i) => (i % 5) / 4 - 0.5), bv = [0.1, -0.2, 0.3];
  for (const B of [1, 3]) {
    const xs = Array.from({ length: B * 24 }, (_, i) => (i * 7) % 5);
    const r = await s.run({ x: int64(xs, [B, 4, 3, 2]), 'embed.price': float32(Ev, [5, 2]), 'fuse.w': float32(Wv, [6, 3]), 'fuse.b': float32(bv, [3]) });
    // hand computation of the same loss and db
    let sum = 0;
    const dbs = [0, 0, 0];
    for (let bt = 0; bt < B * 4; bt++) {
      const vec: number[] = [];
      for (let c = 0; c < 3; c++) { const tok = xs[bt * 6 + c * 2]!; vec.push(Ev[tok * 2]!, Ev[tok * 2 + 1]!); }
      for (let j = 0; j < 3; j++) {
        let hj = bv[j]!;
        for (let k = 0; k < 6; k++) hj += vec[k]! * Wv[k * 3 + j]!;
        sum += hj * hj;
        dbs[j]! += (2 * hj) / (B * 4 * 3);
      }
    }
    assert.ok(Math.abs((r.loss!.data[0] as number) - sum / (B * 12)) < 1e-5, `loss B=${B}`);
    dbs.forEach((d, j) => assert.ok(Math.abs((r['d.fuse.b']!.data[j] as number) - d) < 1e-5, `db[${j}] B=${B}`));
    assert.deepEqual(r['d.fuse.w']!.dims, [6, 3]);
  }
});

test('shape errors name the op and both shapes; dtypes are checked', () => {
  const g = new Graph('e');
  const a = g.input('a', 'float32', ['B', 24, 64]);
  const b = g.input('b', 'float32', [24, 32]);
  assert.throws(() => g.add(a, b), (e: Error) => e instanceof ShapeError && e.message.includes('Add: shapes (B, 24, 64) and (24, 32) do not broadcast'));
  const c = g.input('c', 'float32', [5, 64]);
  assert.throws(() => g.mul(a, c), /Mul: shapes \(B, 24, 64\) and \(5, 64\)/);
  const i = g.input('i', 'int64', [64]);
  assert.throws(() => g.add(a, i), /Add: dtype mismatch float32\(B, 24, 64\) vs int64\(64\)/);
  assert.throws(() => g.softmax(i), /Softmax: needs a float tensor, got int64\(64\)/);
  assert.throws(() => g.input('a', 'float32', [1]), /duplicate value name 'a'/);
  assert.deepEqual(g.add(a, 1).shape, ['B', 24, 64]);
});

test('constants, scalars and outputs: numbers lift to the operand dtype, output renames or adds Identity', async () => {
  const g = new Graph('c');
  const x = g.input('x', 'float64', [3]);
  const k = g.constant(new Float64Array([1, 2, 3]), [3]);
  assert.equal(k.dtype, 'float64');
  assert.equal(g.scalar(2, 'float64'), g.scalar(2, 'float64'));
  const y = g.mul(g.add(x, k), 2);
  g.output('y', y);
  g.output('x_again', x);
  assert.throws(() => g.constant([1, 2], [3]), /constant: 2 values for shape \(3\)/);
  const s = await Session.create(g.toOnnx(), { threads: 1 });
  const r = await s.run({ x: { dtype: 'float64', dims: [3], data: new Float64Array([1, 1, 1]) } });
  assert.deepEqual(Array.from(r.y!.data as Float64Array), [4, 6, 8]);
  assert.deepEqual(Array.from(r.x_again!.data as Float64Array), [1, 1, 1]);
});
