// SoftmaxCrossEntropyLoss (ONNX opset 13) with a fused backward (softmax - onehot) / N, and crossEntropy with
// label smoothing as PyTorch defines it (docs/model.md#loss): (1 - s) nll + s mean_j(-log p_j).
import { type Attrs, type OpDef, type Value, ShapeError, attr, fmtShape } from '../ir.ts';
import { dimEq, dimProduct } from '../shape.ts';
import { needFloat, req, scalar } from './common.ts';
import { add, div, mul, sub } from './binary.ts';
import { cast, exp, neg } from './unary.ts';
import { reduceMean, reduceSum } from './reduce.ts';
import { expand, reshape, shapeOf, size, unsqueeze } from './layout.ts';
import { scatterElements } from './gather.ts';

function reduction(attrs: Attrs): string {
  const r = attrs['reduction'];
  return r && r.kind === 'string' ? r.value : 'mean';
}

export const SoftmaxCrossEntropyLoss: OpDef = {
  type: 'SoftmaxCrossEntropyLoss',
  infer: (ins, attrs) => {
    const x = req('SoftmaxCrossEntropyLoss', ins[0]!, 'scores'), y = req('SoftmaxCrossEntropyLoss', ins[1]!, 'labels');
    needFloat('SoftmaxCrossEntropyLoss', x);
    const want = [x.shape[0]!, ...x.shape.slice(2)];
    if (x.rank < 2 || y.rank !== want.length || !y.shape.every((d, i) => dimEq(d, want[i]!)) || (y.dtype !== 'int64' && y.dtype !== 'int32')) {
      throw new ShapeError(`SoftmaxCrossEntropyLoss: scores ${fmtShape(x.shape)} (N, C, ...) need int labels ${fmtShape(want)}, got ${y.dtype}${fmtShape(y.shape)}`);
    }
    if (ins[2]) throw new ShapeError('SoftmaxCrossEntropyLoss: class weights are not supported');
    return [{ dtype: x.dtype, shape: reduction(attrs) === 'none' ? y.shape : [] }, { dtype: x.dtype, shape: x.shape }];
  },
  vjp: ({ node, inputs, outputs, grads: [dl, dlp] }) => {
    if (node.attrs['ignore_index']) throw new ShapeError('SoftmaxCrossEntropyLoss vjp: ignore_index is not supported');
    const [x, y] = inputs as Value[];
    const p = exp(outputs[1]!); // softmax, reusing the forward log-probabilities
    let dx: Value | null = null;
    if (dl) {
      // d loss_i / d x_i = p_i - onehot(y_i): one ScatterElements(add) of -1 at the labels
      const idx = unsqueeze(y!, [1]);
      const minus = expand(scalar(x!.graph, -1, x!.dtype), shapeOf(idx));
      const pm = scatterElements(p, idx, minus, 1, 'add');
      const r = reduction(node.attrs);
      const n = dimProduct(y!.shape);
      const scale = r === 'none' ? unsqueeze(dl, [1]) : r === 'sum' ? dl : typeof n === 'number' ? mul(dl, 1 / n) : div(dl, cast(size(y!), x!.dtype));
      dx = mul(pm, scale);
    }
    if (dlp) {
      const viaLogp = sub(dlp, mul(p, reduceSum(dlp, [1], true))); // LogSoftmax backward
      dx = dx ? add(dx, viaLogp) : viaLogp;
    }
    return [dx, null, null];
  },
};

/** Mean (or sum/none) softmax cross-entropy of scores (N, C, ...) against int labels (N, ...); returns [loss, logProb]. */
export function softmaxCrossEntropy(scores: Value, labels: Value, reductionMode: 'mean' | 'sum' | 'none' = 'mean'): [Value, Value] {
  const [l, lp] = scores.graph.apply(SoftmaxCrossEntropyLoss, [scores, labels], { reduction: attr.string(reductionMode) });
  return [l!, lp!];
}

/**
 * Mean cross-entropy with label smoothing s over logits (..., V) and int targets (...), PyTorch semantics:
 * loss_i = (1 - s)(-log p_i[y_i]) + s mean_j(-log p_i[j]). Returns the scalar loss and logProb (rows, V).
 */
export function crossEntropy(logits: Value, targets: Value, smoothing = 0): { loss: Value; logProb: Value } {
  const V = logits.shape[logits.rank - 1]!;
  const x = logits.rank === 2 ? logits : reshape(logits, [-1, V]);
  const y = targets.rank === 1 ? targets : reshape(targets, [-1]);
  const [nll, logProb] = softmaxCrossEntropy(x, y, 'mean');
  if (smoothing === 0) return { loss: nll, logProb };
  const smooth = neg(reduceMean(logProb)); // mean over rows and classes = mean_i mean_j(-log p)
  return { loss: add(mul(nll, 1 - smoothing), mul(smooth, smoothing)), logProb };
}
