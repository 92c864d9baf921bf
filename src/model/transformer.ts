// The forward pass of MODEL.md ("Forward pass", steps 1-6) as graph nodes: per-channel embeddings fused by a
// linear map, sinusoidal positions, N pre-norm causal blocks, a final LayerNorm and the head.
import type { Graph } from '../graph/builder.ts';
import type { Value } from '../graph/ir.ts';
import type { ModelConfig } from './config.ts';

/** What the forward pass reads: tokens, parameters by MODEL.md name, and (when training with dropout) keep-masks. */
export interface ForwardInputs {
  /** tokens (B, T, C, K), int32 or int64, each in [0, V) */
  x: Value;
  params: Record<string, Value>;
  /** one keep-mask (B, T, d) per dropout site (see dropoutSites), or null for inference */
  masks?: Value[] | null;
}

/** The logits and the intermediate activations the parity fixtures carry. */
export interface ForwardOutputs {
  fused: Value; // (B, T, d)
  h0: Value; // (B, T, d)
  blocks: Value[]; // N x (B, T, d)
  lnf: Value; // (B, T, d)
  logits: Value; // (B, T, O)
}

/** Number of dropout sites: after the positions, and on both residual branches of every block. */
export function dropoutSites(cfg: ModelConfig): number {
  return 1 + 2 * cfg.N;
}

/** The sinusoidal table P (T, d) of MODEL.md step 4, computed in float64 and rounded once to float32. */
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

/** `x W + b` on rows: one Gemm with the bias folded in. */
function linear(g: Graph, x: Value, W: Value, b: Value): Value {
  return g.gemm(x, W, b); // (rows, out)
}

/**
 * MODEL.md step 3 without materialising the (B, T, C*K*e) concatenation: v W_f is the sum over slots (c, k) of
 * E_k[x] W_f[slot rows], so each slot's table E_k W_f[slot] (V, d) is computed once and the tokens pick rows of it
 * through a one-hot (B*T, slots*V) matrix product. Mean mixing counts each channel's tokens over coins instead.
 */
function fuse(g: Graph, cfg: ModelConfig, x: Value, p: Record<string, Value>): Value {
  const { V, C, K, e, d, T } = cfg;
  const tables = Array.from({ length: K }, (_, k) => p[`embed.${k === 0 ? 'price' : 'volume'}`]!); // K x (V, e)
  const ids = x.dtype === 'int64' ? x : g.cast(x, 'int64'); // (B, T, C, K)
  const onehot = g.oneHot(ids, V); // (B, T, C, K, V)
  const slots = cfg.coin_mixing === 'concat' ? C * K : K;
  const E = g.concat(tables.map((t) => g.unsqueeze(t, [0])), 0); // (K, V, e)
  const Es = slots === K ? E : g.reshape(g.expand(g.unsqueeze(E, [0]), [C, K, V, e]), [slots, V, e]); // (slots, V, e)
  const Wf = g.reshape(p['fuse.w']!, [slots, e, d]); // (slots, e, d)
  const table = g.reshape(g.matMul(Es, Wf), [slots * V, d]); // (slots*V, d)
  let hot: Value;
  if (cfg.coin_mixing === 'concat') {
    hot = g.reshape(onehot, [`B*${T}`, slots * V]); // (B*T, C*K*V)
  } else {
    // mean over coins of (v_c W_f + b_f) = (sum_c onehot_c / C) table + b_f
    hot = g.reshape(g.mul(g.reduceSum(onehot, [2]), 1 / C), [`B*${T}`, slots * V]); // (B*T, K*V)
  }
  return linear(g, hot, table, p['fuse.b']!); // (B*T, d)
}

function dropout(g: Graph, h: Value, masks: Value[] | null | undefined, site: number, rate: number, T: number): Value {
  if (!masks || rate === 0) return h; // (rows, d)
  const full = masks[site]!; // (B, T, d)
  const m = h.shape[0] === 'B' ? g.slice(full, [T - 1], [T], [1]) : full; // (B, 1, d) for last-position-only rows
  return g.dropoutWithMask(h, g.reshape(m, h.shape), rate); // (rows, d)
}

/**
 * Causal multi-head self-attention of one block on the normalised rows a (B*T, d). q, k and v come from one
 * product with [Wq | Wk | Wv]; with `lastOnly` only the last position's query is formed (inference): (B, d).
 */
function attention(g: Graph, cfg: ModelConfig, a: Value, p: Record<string, Value>, pre: string, mask: Value, lastOnly: boolean): Value {
  const { T, d, H } = cfg;
  const dh = d / H;
  const w = (n: string) => p[`${pre}.attn.${n}`]!;
  const Wqkv = g.concat([w('wq'), w('wk'), w('wv')], 1); // (d, 3d)
  const bqkv = g.concat([w('bq'), w('bk'), w('bv')], 0); // (3d)
  const qkv = linear(g, a, Wqkv, bqkv); // (B*T, 3d)
  const heads = g.transpose(g.reshape(qkv, ['B', T, 3, H, dh]), [2, 0, 3, 1, 4]); // (3, B, H, T, d/H)
  const [q0, k, v] = g.split(heads, 0, [1, 1, 1]).map((t) => g.reshape(t, ['B', H, T, dh])); // 3 x (B, H, T, d/H)
  const q = lastOnly ? g.slice(q0!, [T - 1], [T], [2]) : q0!; // (B, H, Tq, d/H), Tq = 1 or T
  const raw = g.mul(g.matMul(q, g.transpose(k!, [0, 1, 3, 2])), 1 / Math.sqrt(dh)); // (B, H, Tq, T)
  const scores = lastOnly ? raw : g.add(raw, mask); // (B, H, Tq, T); the last position sees every hour
  const att = g.softmax(scores, -1); // (B, H, Tq, T)
  const merged = g.reshape(g.transpose(g.matMul(att, v!), [0, 2, 1, 3]), [lastOnly ? 'B' : `B*${T}`, d]); // (B*Tq, d)
  return linear(g, merged, w('wo'), w('bo')); // (B*Tq, d)
}

function mlp(g: Graph, m: Value, p: Record<string, Value>, pre: string): Value {
  const u = g.gelu(linear(g, m, p[`${pre}.mlp.w1`]!, p[`${pre}.mlp.b1`]!)); // (rows, F)
  return linear(g, u, p[`${pre}.mlp.w2`]!, p[`${pre}.mlp.b2`]!); // (rows, d)
}

/** Causal additive mask (T, T): 0 where position t may attend to s <= t, -1e9 above the diagonal. */
function causalMask(g: Graph, T: number): Value {
  const m = new Float32Array(T * T);
  for (let t = 0; t < T; t++) for (let s = t + 1; s < T; s++) m[t * T + s] = -1e9;
  return g.constant(m, [T, T], 'float32'); // (T, T)
}

/**
 * Builds the forward pass into `g` and returns the logits (B, T, O) with the activations parity checks.
 * The residual stream is kept as rows (B*T, d) so every linear map is one Gemm with its bias.
 * With `lastOnly` the last block, LNf and the head run for the last position only: logits (B, 1, O).
 */
export function buildForward(g: Graph, cfg: ModelConfig, inp: ForwardInputs, lastOnly = false): ForwardOutputs {
  const { T, d, N, O } = cfg;
  const p = inp.params;
  const rows = (v: Value) => g.reshape(v, ['B', T, d]); // (B, T, d) view of (B*T, d) rows
  const fused = fuse(g, cfg, inp.x, p); // (B*T, d)
  const h0 = g.reshape(g.add(rows(fused), g.constant(positionTable(T, d), [T, d], 'float32')), [`B*${T}`, d]); // (B*T, d)
  let h = dropout(g, h0, inp.masks, 0, cfg.dropout, T); // (B*T, d)
  const mask = causalMask(g, T); // (T, T)
  const blocks: Value[] = [];
  for (let i = 0; i < N; i++) {
    const pre = `blocks.${i}`;
    const last = lastOnly && i === N - 1;
    const a = g.layerNorm(h, p[`${pre}.ln1.g`]!, p[`${pre}.ln1.b`]!, 1e-5); // (B*T, d)
    if (last) h = g.reshape(g.slice(rows(h), [T - 1], [T], [1]), ['B', d]); // (B, d)
    h = g.add(h, dropout(g, attention(g, cfg, a, p, pre, mask, last), inp.masks, 1 + 2 * i, cfg.dropout, T)); // (B*T, d) or (B, d)
    const m = g.layerNorm(h, p[`${pre}.ln2.g`]!, p[`${pre}.ln2.b`]!, 1e-5); // (B*T, d)
    h = g.add(h, dropout(g, mlp(g, m, p, pre), inp.masks, 2 + 2 * i, cfg.dropout, T)); // (B*T, d)
    blocks.push(h);
  }
  const lnf = g.layerNorm(h, p['lnf.g']!, p['lnf.b']!, 1e-5); // (B*T, d)
  const logits = g.reshape(linear(g, lnf, p['head.w']!, p['head.b']!), ['B', lastOnly ? 1 : T, O]); // (B, T, O)
  return { fused: rows(fused), h0: rows(h0), blocks: blocks.map((b) => (lastOnly ? b : rows(b))), lnf: lastOnly ? lnf : rows(lnf), logits };
}
