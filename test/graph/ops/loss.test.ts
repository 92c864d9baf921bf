import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gradCheck } from '../gradcheck.ts';
import { Graph } from '../../../src/graph/builder.ts';
import { crossEntropy, softmaxCrossEntropy } from '../../../src/graph/ops/loss.ts';
import { Session } from '../../../src/runtime/session.ts';
import { float64, int64 } from '../../../src/runtime/tensor.ts';

const ok = (r: string | null) => assert.equal(r, null, r ?? '');
const labels = (vals: number[]) => ({ shape: [vals.length], dtype: 'int64' as const, values: vals, grad: false });

test('SoftmaxCrossEntropyLoss vjp (softmax - onehot) / N for mean, sum and none (float64)', async () => {
  ok(await gradCheck((g, [x, y]) => softmaxCrossEntropy(x!, y!, 'mean')[0], [{ shape: [4, 3] }, labels([0, 2, 2, 1])]));
  ok(await gradCheck((g, [x, y]) => softmaxCrossEntropy(x!, y!, 'sum')[0], [{ shape: [3, 5] }, labels([4, 0, 1])]));
  ok(await gradCheck((g, [x, y]) => softmaxCrossEntropy(x!, y!, 'none')[0], [{ shape: [3, 5] }, labels([4, 0, 1])]));
  // the log_prob output carries a gradient too
  ok(await gradCheck((g, [x, y]) => g.add(softmaxCrossEntropy(x!, y!)[1], softmaxCrossEntropy(x!, y!)[0]), [{ shape: [2, 4] }, labels([3, 0])]));
});

test('crossEntropy with label smoothing over (B, T, V) logits (float64)', async () => {
  ok(await gradCheck((g, [x, y]) => crossEntropy(x!, y!, 0.1).loss, [{ shape: [2, 3, 4] }, { shape: [2, 3], dtype: 'int64', values: [0, 3, 1, 1, 2, 0], grad: false }]));
});

test('crossEntropy forward matches PyTorch label-smoothing semantics computed by hand', async () => {
  const g = new Graph('ce');
  const x = g.input('x', 'float64', ['B', 3]);
  const y = g.input('y', 'int64', ['B']);
  g.output('loss', crossEntropy(x, y, 0.2).loss);
  const s = await Session.create(g.toOnnx(), { threads: 1 });
  const xs = [1, 2, 0.5, -1, 0, 3], ys = [1, 2];
  const r = await s.run({ x: float64(xs, [2, 3]), y: int64(ys, [2]) });
  let want = 0;
  for (let i = 0; i < 2; i++) {
    const row = xs.slice(3 * i, 3 * i + 3);
    const lse = Math.log(row.reduce((a, v) => a + Math.exp(v), 0));
    const logp = row.map((v) => v - lse);
    want += (0.8 * -logp[ys[i]!]! + 0.2 * -(logp.reduce((a, b) => a + b, 0) / 3)) / 2;
  }
  assert.ok(Math.abs((r.loss!.data[0] as number) - want) < 1e-12, `${r.loss!.data[0]} vs ${want}`);
  assert.throws(() => softmaxCrossEntropy(x, x), /SoftmaxCrossEntropyLoss: scores \(B, 3\) \(N, C, \.\.\.\) need int labels \(B\), got float64\(B, 3\)/);
});
