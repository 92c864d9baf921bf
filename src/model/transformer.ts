// The forward pass of docs/model.md ("Forward pass", steps 1-6) as graph nodes, in the order the maths runs:
// embed and fuse the tokens, add positions, N pre-norm causal blocks, a final LayerNorm and the head.
// The residual stream is kept as rows (B*T, d), so every linear map is one Gemm with its bias.
import type { Graph } from '../graph/builder.ts';
import type { Value } from '../graph/ir.ts';
import type { ModelConfig } from './config.ts';

/** What the forward pass reads: tokens, parameters by docs/model.md name, and (when training with dropout) keep-masks. */
export interface ForwardInputs {
  /** tokens (B, T, C, K), int32 or int64, each in [0, V) */
  x: Value;
  params: Record<string, Value>;
  /** one keep-mask (B, T, d) per dropout site (see dropoutSites), or null for inference */
  masks?: Value[] | null;
}

/** The logits and the intermediate activations the parity fixtures and the dropout tests read. */
export interface ForwardOutputs {
  fused: Value; // (B, T, d) step 3: the fused embeddings
  h0: Value; // (B, T, d) step 4: fused + positions
  stream0: Value; // (B, T, d) block 0's input: h0 after dropout site 0 (h0 itself without masks)
  blocks: Value[]; // N x (B, T, d) step 5: each block's output
  lnf: Value; // (B, T, d) step 6: the final LayerNorm
  logits: Value; // (B, T, O) step 6: the head
}

/** How one forward pass runs: the dropout masks and rate, the causal mask, and whether only the last query is needed. */
interface PassContext {
  cfg: ModelConfig;
  p: Record<string, Value>;
  masks: Value[] | null;
  causal: Value;
}

/** The LayerNorm epsilon of every norm in the model (PyTorch's nn.LayerNorm default). */
export const LN_EPS = 1e-5;

/** Number of dropout sites: after the positions, and on both residual branches of every block. */
export function dropoutSites(cfg: ModelConfig): number {
  return 1 + 2 * cfg.N;
}

/**
 * Builds the forward pass into `g` and returns the logits (B, T, O) with the activations parity checks.
 * With `lastOnly` the last block, LNf and the head run for the last position only: logits (B, 1, O).
 */
export function buildForward(g: Graph, cfg: ModelConfig, inp: ForwardInputs, lastOnly = false): ForwardOutputs {
  const { T, d, N } = cfg;
  const ctx: PassContext = { cfg, p: inp.params, masks: inp.masks ?? null, causal: causalMask(g, T) };
  const fused = embedAndFuse(g, cfg, inp.x, inp.params); // (B*T, d)      step 1-3
  const h0 = addPositions(g, cfg, fused); // (B*T, d)                     step 4
  let h = dropout(g, ctx, h0, 0); // (B*T, d)
  const stream0 = h;
  const blocks: Value[] = [];
  for (let i = 0; i < N; i++) {
    h = block(g, ctx, h, i, lastOnly && i === N - 1); // (B*T, d), or (B, d) for the last position only   step 5
    blocks.push(h);
  }
  const lnf = g.layerNorm(h, inp.params['lnf.g']!, inp.params['lnf.b']!, LN_EPS); // (rows, d)   step 6
  const logits = g.reshape(linear(g, lnf, inp.params['head.w']!, inp.params['head.b']!), ['B', lastOnly ? 1 : T, cfg.O]); // (B, T, O)
  const rows = (v: Value) => g.reshape(v, ['B', T, d]); // (B, T, d) view of (B*T, d) rows
  const lastRows = (v: Value) => (lastOnly ? v : rows(v)); // (B, d) rows stay as they are
  return { fused: rows(fused), h0: rows(h0), stream0: rows(stream0), blocks: blocks.map((b, i) => (i === N - 1 ? lastRows(b) : rows(b))), lnf: lastRows(lnf), logits };
}

// ---- steps 1-3: per-channel embeddings fused by one linear map ----

/**
 * docs/model.md step 3 without materialising the (B, T, C*K*e) concatenation: v W_f is the sum over slots (c, k) of
 * E_k[x] W_f[slot rows], so each slot's table E_k W_f[slot] (V, d) is computed once and the tokens pick rows of it
 * through a one-hot (B*T, slots*V) matrix product. Mean mixing counts each channel's tokens over coins instead.
 */
function embedAndFuse(g: Graph, cfg: ModelConfig, x: Value, p: Record<string, Value>): Value {
  const { V, C, K, e, d, T } = cfg;
  const tables = Array.from({ length: K }, (_, k) => p[`embed.${k === 0 ? 'price' : 'volume'}`]!); // K x (V, e)
  const ids = x.dtype === 'int64' ? x : g.cast(x, 'int64'); // (B, T, C, K)
  const onehot = g.oneHot(ids, V); // (B, T, C, K, V)
  const slots = cfg.coin_mixing === 'concat' ? C * K : K;
  const E = g.concat(tables.map((t) => g.unsqueeze(t, [0])), 0); // (K, V, e)
  const Es = slots === K ? E : g.reshape(g.expand(g.unsqueeze(E, [0]), [C, K, V, e]), [slots, V, e]); // (slots, V, e)
  const Wf = g.reshape(p['fuse.w']!, [slots, e, d]); // (slots, e, d)
  const table = g.reshape(g.matMul(Es, Wf), [slots * V, d]); // (slots*V, d)
  const hot = cfg.coin_mixing === 'concat'
    ? g.reshape(onehot, [`B*${T}`, slots * V]) // (B*T, C*K*V)
    : g.reshape(g.mul(g.reduceSum(onehot, [2]), 1 / C), [`B*${T}`, slots * V]); // (B*T, K*V): mean over coins of (v_c W_f + b_f)
  return linear(g, hot, table, p['fuse.b']!); // (B*T, d)
}

// ---- step 4: sinusoidal positions ----

/** The sinusoidal table P (T, d) of docs/model.md step 4, computed in float64 and rounded once to float32. */
export function positionTable(T: number, d: number): Float32Array {
  const P = new Float32Array(T * d);
  for (let t = 0; t < T; t++) {
    for (let i = 0; 2 * i < d; i++) {
      const angle = t / Math.pow(10000, (2 * i) / d);
      P[t * d + 2 * i] = Math.sin(angle);
      if (2 * i + 1 < d) P[t * d + 2 * i + 1] = Math.cos(angle);
    }
  }
  return P;
}

function addPositions(g: Graph, cfg: ModelConfig, fused: Value): Value {
  const { T, d } = cfg;
  const P = g.constant(positionTable(T, d), [T, d], 'float32'); // (T, d)
  return g.reshape(g.add(g.reshape(fused, ['B', T, d]), P), [`B*${T}`, d]); // (B*T, d)
}

// ---- step 5: one pre-norm causal block ----

/**
 * h + attn(LN1(h)), then h + mlp(LN2(h)), each branch through its dropout site. With `lastOnly` only the last
 * position's query is formed and the block returns (B, d): the rows a last-position loss or forecast needs.
 */
function block(g: Graph, ctx: PassContext, h: Value, i: number, lastOnly: boolean): Value {
  const { p, cfg } = ctx;
  const pre = `blocks.${i}`;
  const a = g.layerNorm(h, p[`${pre}.ln1.g`]!, p[`${pre}.ln1.b`]!, LN_EPS); // (B*T, d)
  const resid = lastOnly ? g.reshape(g.slice(g.reshape(h, ['B', cfg.T, cfg.d]), [cfg.T - 1], [cfg.T], [1]), ['B', cfg.d]) : h; // (rows, d)
  const h1 = g.add(resid, dropout(g, ctx, attention(g, ctx, a, pre, lastOnly), 1 + 2 * i)); // (rows, d)
  const m = g.layerNorm(h1, p[`${pre}.ln2.g`]!, p[`${pre}.ln2.b`]!, LN_EPS); // (rows, d)
  return g.add(h1, dropout(g, ctx, mlp(g, ctx, m, pre), 2 + 2 * i)); // (rows, d)
}

/**
 * Causal multi-head self-attention on the normalised rows a (B*T, d). q, k and v come from one product with
 * [Wq | Wk | Wv]; with `lastOnly` only the last position's query is formed (it sees every hour): (B, d).
 */
function attention(g: Graph, ctx: PassContext, a: Value, pre: string, lastOnly: boolean): Value {
  const { T, d, H } = ctx.cfg;
  const dh = d / H;
  const w = (n: string) => ctx.p[`${pre}.attn.${n}`]!;
  const Wqkv = g.concat([w('wq'), w('wk'), w('wv')], 1); // (d, 3d)
  const bqkv = g.concat([w('bq'), w('bk'), w('bv')], 0); // (3d)
  const qkv = linear(g, a, Wqkv, bqkv); // (B*T, 3d)
  const heads = g.transpose(g.reshape(qkv, ['B', T, 3, H, dh]), [2, 0, 3, 1, 4]); // (3, B, H, T, d/H)
  const [q0, k, v] = g.split(heads, 0, [1, 1, 1]).map((t) => g.reshape(t, ['B', H, T, dh])); // 3 x (B, H, T, d/H)
  const q = lastOnly ? g.slice(q0!, [T - 1], [T], [2]) : q0!; // (B, H, Tq, d/H), Tq = 1 or T
  const raw = g.mul(g.matMul(q, g.transpose(k!, [0, 1, 3, 2])), 1 / Math.sqrt(dh)); // (B, H, Tq, T)
  const scores = lastOnly ? raw : g.add(raw, ctx.causal); // (B, H, Tq, T)
  const att = g.softmax(scores, -1); // (B, H, Tq, T)
  const merged = g.reshape(g.transpose(g.matMul(att, v!), [0, 2, 1, 3]), [lastOnly ? 'B' : `B*${T}`, d]); // (B*Tq, d)
  return linear(g, merged, w('wo'), w('bo')); // (B*Tq, d)
}

/** Causal additive mask (T, T): 0 where position t may attend to s <= t, -1e9 above the diagonal. */
function causalMask(g: Graph, T: number): Value {
  const m = new Float32Array(T * T);
  for (let t = 0; t < T; t++) for (let s = t + 1; s < T; s++) m[t * T + s] = -1e9;
  return g.constant(m, [T, T], 'float32'); // (T, T)
}

/** The feed-forward branch: GELU(m W1 + b1) W2 + b2. */
function mlp(g: Graph, ctx: PassContext, m: Value, pre: string): Value {
  const u = g.gelu(linear(g, m, ctx.p[`${pre}.mlp.w1`]!, ctx.p[`${pre}.mlp.b1`]!)); // (rows, F)
  return linear(g, u, ctx.p[`${pre}.mlp.w2`]!, ctx.p[`${pre}.mlp.b2`]!); // (rows, d)
}

// ---- shared pieces ----

/** `x W + b` on rows: one Gemm with the bias folded in. */
function linear(g: Graph, x: Value, W: Value, b: Value): Value {
  return g.gemm(x, W, b); // (rows, out)
}

/** Inverted dropout at one site with its host-made keep-mask (B, T, d): h * mask / (1 - p); h itself without masks. */
function dropout(g: Graph, ctx: PassContext, h: Value, site: number): Value {
  const { masks, cfg } = ctx;
  if (!masks || cfg.dropout === 0) return h; // (rows, d)
  const full = masks[site]!; // (B, T, d)
  const m = h.shape[0] === 'B' ? g.slice(full, [cfg.T - 1], [cfg.T], [1]) : full; // (B, 1, d) for last-position-only rows
  return g.dropoutWithMask(h, g.reshape(m, h.shape), cfg.dropout); // (rows, d)
}
