// The deliberate engine breaks `npm run mutants` applies one at a time (scripts/mutants.mjs). Each replaces the
// exact text `from` (which must occur once in `file`) by `to`; `first` names the test
// files to try before the whole set; docs/testing.md lists them with the last result.

/** The tests every mutant runs against (substring filters, as for `npm test`). */
export const ENGINE_TESTS = ['test/graph', 'test/model', 'test/train', 'test/runtime'];

export const MUTANTS = [
  {
    id: 'dropout-off', first: ['test/train/dropout'], what: 'dropout never applied (every site passes its input through)',
    file: 'src/model/transformer.ts',
    from: 'if (!masks || cfg.dropout === 0) return h; // (rows, d)',
    to: 'return h; // (rows, d)',
  },
  {
    id: 'dropout-unscaled', first: ['test/train/dropout'], what: 'dropout keeps survivors unscaled (no 1/(1-p))',
    file: 'src/graph/ops/nn.ts',
    from: 'return mul(x, mul(m, 1 / (1 - ratio)));',
    to: 'return mul(x, m);',
  },
  {
    id: 'dropout-same-mask', first: ['test/train/dropout'], what: 'the same dropout masks at every step',
    file: 'src/train/engine.ts',
    from: 'maskSeed(this.seed, this.step + 1, i)',
    to: 'maskSeed(this.seed, 1, i)',
  },
  {
    id: 'grad-x1.01', first: ['test/train/step'], what: 'one parameter\'s gradient (blocks.0.ln1.b) x 1.01 in the training graph',
    file: 'src/train/step.ts',
    from: 'const grad = flatGrad(g, gradients(loss, order)); // (n)',
    to: 'const grad = flatGrad(g, gradients(loss, order).map((d, i) => (i === 5 ? g.mul(d, 1.01) : d))); // (n)',
  },
  {
    id: 'clipped-grad-x1.01', first: ['test/train/step'], what: 'the clipped gradient x 1.01 after the norm (training-only path; AdamW hides it)',
    file: 'src/train/step.ts',
    from: 'g.mul(grad, clipCoef(norm, optim.max_norm)); // (n)',
    to: 'g.mul(g.mul(grad, 1.01), clipCoef(norm, optim.max_norm)); // (n)',
  },
  {
    id: 'clip-norm-missing-param', first: ['test/train/step'], what: 'the clipping norm computed without the first parameter',
    file: 'src/train/step.ts',
    from: 'const norm = globalNorm([grad]); // ()',
    to: 'const norm = globalNorm([g.slice(grad, [paramLayout(cfg).slots[1]!.offset], [n], [0])]); // ()',
  },
  {
    id: 'gemm-backward-transpose', first: ['test/model/parity'], what: 'a transposed weight in Gemm\'s backward rule (dA = dY B for square B: no shape error)',
    file: 'src/graph/ops/matmul.ts',
    from: ': gemm(g, b!, null, { transB: !tB });',
    to: ': gemm(g, b!, null, { transB: !tB !== (b!.shape[0] === b!.shape[1]) });',
  },
  {
    id: 'softmax-backward-sign', first: ['test/graph/ops/nn'], what: 'Softmax backward adds sum(dy y) instead of subtracting it',
    file: 'src/graph/ops/nn.ts',
    from: 'return [mul(y!, sub(dy!, reduceSum(mul(dy!, y!), [axis], true)))];',
    to: 'return [mul(y!, add(dy!, reduceSum(mul(dy!, y!), [axis], true)))];',
  },
  {
    id: 'layernorm-backward-term', first: ['test/graph/ops/nn'], what: 'LayerNorm backward without the xhat mean(dnorm xhat) term',
    file: 'src/graph/ops/nn.ts',
    from: 'const inner = sub(sub(dnorm, reduceMean(dnorm, axes, true)), mul(xhat, reduceMean(mul(dnorm, xhat), axes, true)));',
    to: 'const inner = sub(dnorm, reduceMean(dnorm, axes, true));',
  },
  {
    id: 'gelu-backward-constant', first: ['test/graph/ops/unary'], what: 'GELU backward with 1/sqrt(pi) for 2/sqrt(pi)',
    file: 'src/graph/ops/unary.ts',
    from: '2 / Math.sqrt(Math.PI))), 1);',
    to: '1 / Math.sqrt(Math.PI))), 1);',
  },
  {
    id: 'causal-mask-removed', first: ['test/model/transformer'], what: 'attention without the causal mask',
    file: 'src/model/transformer.ts',
    from: 'const scores = lastOnly ? raw : g.add(raw, ctx.causal); // (B, H, Tq, T)',
    to: 'const scores = raw; // (B, H, Tq, T)',
  },
  {
    id: 'softmax-no-max', first: ['test/model/transformer'], what: 'attention softmax as exp / sum(exp) without the max subtraction',
    file: 'src/model/transformer.ts',
    from: 'const att = g.softmax(scores, -1); // (B, H, Tq, T)',
    to: 'const att = g.div(g.exp(scores), g.reduceSum(g.exp(scores), [-1], true)); // (B, H, Tq, T)',
  },
  {
    id: 'attention-scale', first: ['test/model/parity'], what: 'scores scaled by 1/dh instead of 1/sqrt(dh)',
    file: 'src/model/transformer.ts',
    from: 'g.mul(g.matMul(q, g.transpose(k!, [0, 1, 3, 2])), 1 / Math.sqrt(dh));',
    to: 'g.mul(g.matMul(q, g.transpose(k!, [0, 1, 3, 2])), 1 / dh);',
  },
  {
    id: 'layernorm-eps', first: ['test/model/parity'], what: 'LayerNorm epsilon 1e-6 instead of 1e-5',
    file: 'src/model/transformer.ts',
    from: 'export const LN_EPS = 1e-5;',
    to: 'export const LN_EPS = 1e-6;',
  },
  {
    id: 'gelu-tanh', first: ['test/model/parity'], what: 'the tanh GELU approximation instead of the exact erf form',
    file: 'src/graph/ops/unary.ts',
    from: 'export function gelu(x: Value): Value { return op1(Gelu, [x]); }',
    to: "export function gelu(x: Value): Value { return op1(Gelu, [x], { approximate: attr.string('tanh') }); }",
  },
  {
    id: 'coin-fusion-shared', first: ['test/model/parity'], what: 'coins share one block of fusion rows (concat mixing loses which coin is which)',
    file: 'src/model/transformer.ts',
    from: "const Wf = g.reshape(p['fuse.w']!, [slots, e, d]); // (slots, e, d)",
    to: "const Wf = slots === K ? g.reshape(p['fuse.w']!, [slots, e, d]) : g.reshape(g.expand(g.unsqueeze(g.slice(g.reshape(p['fuse.w']!, [slots, e, d]), [0], [K], [0]), [0]), [C, K, e, d]), [slots, e, d]); // (slots, e, d)",
  },
  {
    id: 'label-smoothing-ignored', first: ['test/model/parity'], what: 'label smoothing ignored by the loss',
    file: 'src/model/loss.ts',
    from: 'function smoothedCrossEntropy(g: Graph, logits: Value, targets: Value, O: number, s: number): Value {',
    to: 'function smoothedCrossEntropy(g: Graph, logits: Value, targets: Value, O: number, _s: number, s = 0): Value {',
  },
  {
    id: 'adamw-bias-correction', first: ['test/train/optimizer'], what: 'AdamW bias correction 1 - b1^(t+1): off by one step',
    file: 'src/train/optimizer.ts',
    from: 'pow(b1, a.step)',
    to: 'pow(b1, add(a.step, 1))',
  },
  {
    id: 'adamw-decay-everything', first: ['test/train/optimizer'], what: 'weight decay on every parameter (decay mask ignored)',
    file: 'src/train/optimizer.ts',
    from: 'mul(mul(a.param, a.decayMask), mul(a.lr, wd))',
    to: 'mul(a.param, mul(a.lr, wd))',
  },
  {
    id: 'warmup-shifted', first: ['test/train/schedule'], what: 'the warm-up schedule one epoch longer',
    file: 'src/train/schedule.ts',
    from: 'Math.round(cfg.warmupEpochs * stepsPerEpoch)',
    to: 'Math.round((cfg.warmupEpochs + 1) * stepsPerEpoch)',
  },
  {
    id: 'token-noise-rate', first: ['test/train/loop'], what: 'token noise at 1.3x its probability',
    file: 'src/train/loop.ts',
    from: 'if (rng.random() < n.prob) x[i] = rng.int(n.V);',
    to: 'if (rng.random() < n.prob * 1.3) x[i] = rng.int(n.V);',
  },
  {
    id: 'token-noise-protected', first: ['test/train/loop'], what: "token noise also on the target's price token (protected offsets ignored)",
    file: 'src/train/loop.ts',
    from: 'if (prot.has(i % n.hourSize)) continue;',
    to: 'if (prot.has(i % n.hourSize) && i > 8) continue;',
  },
  {
    id: 'resume-shuffle-drift', first: ['test/train/loop'], what: 'a resumed run shuffles (and draws noise) from another seed',
    file: 'src/train/loop.ts',
    from: 'const rng = new Rng(o.seed * 1000003 + epoch);',
    to: 'const rng = new Rng(o.seed * 1000003 + epoch + (o.resume ? 1 : 0));',
  },
];
