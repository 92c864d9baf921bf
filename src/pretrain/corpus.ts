// Streamed pretraining corpus (docs/pretraining.md): simulate the fitted market (src/market), tokenize with the REAL
// step-4 bin edges (applyBins) and cut windows exactly like step 5 (x: (N, T, C, K), k = 0 price, 1 volume; y = target's next price token).
import type { MarketParams } from '../market/params.ts';
import { MarketStream } from '../market/simulate.ts';
import { applyBins, INVALID_TOKEN } from '../tokenize/bins.ts';
import { Rng } from '../util/rng.ts';
import { K } from '../tokenize/windows.ts';

export interface CorpusOptions {
  /** the market to simulate; its coin order is x's C axis (config order) */
  params: MarketParams;
  /** edges[c][k]: V-1 strictly increasing real bin edges of coin c, channel k (0 price, 1 volume) */
  edges: ArrayLike<Float64Array>[];
  /** per-coin volume floor f of step 4 (volume channel = log((v_t + f)/(v_{t-1} + f))); default: no floor */
  volumeFloor?: ArrayLike<number>;
  /** window length in hours @default 24 */
  T?: number;
  /** index of the target coin (y = its price token of the hour after the window) */
  target: number;
  /** windows to produce in all */
  numSamples: number;
  /** windows per yielded batch (the last may be smaller) @default 1024 */
  batchSize?: number;
  seed: number;
  /** hours between consecutive window starts on the simulated path @default 1 */
  stride?: number;
  /** hours simulated at a time; memory is O(chunkHours), never O(numSamples) @default 8192 */
  chunkHours?: number;
  /**
   * class rebalancing of y: false/0 = none; true/1 = keep each window with probability min_count/count_y (counts of
   * the chunk's candidate targets, so classes come out balanced in expectation); r in (0,1) = (min/count_y)^r
   */
  rebalance?: boolean | number;
}

export interface CorpusBatch {
  N: number; T: number; C: number; K: number;
  /** (N, T, C, K) tokens, row-major as step 5 writes them */
  x: Uint8Array;
  /** (N,) target tokens */
  y: Uint8Array;
}

function checkEdges(edges: ArrayLike<Float64Array>[], C: number): number {
  if (edges.length !== C) throw new RangeError(`corpus: need edges for ${C} coins, got ${edges.length}`);
  let V = -1;
  for (let c = 0; c < C; c++) {
    for (let k = 0; k < K; k++) {
      const e = edges[c][k];
      if (!e) throw new RangeError(`corpus: edges[${c}][${k}] is missing`);
      for (let i = 1; i < e.length; i++) if (!(e[i] > e[i - 1])) throw new RangeError(`corpus: edges[${c}][${k}] not strictly increasing at ${i}`);
      if (e.length + 1 >= INVALID_TOKEN) throw new RangeError(`corpus: edges[${c}][${k}] gives ${e.length + 1} bins; at most ${INVALID_TOKEN - 1}`);
      V = Math.max(V, e.length + 1);
    }
  }
  return V;
}

/** Yields batches of synthetic windows until numSamples windows have been produced; deterministic per seed. */
export function* corpusBatches(opts: CorpusOptions): Generator<CorpusBatch> {
  const C = opts.params.coins.length, T = opts.T ?? 24, stride = opts.stride ?? 1;
  const chunk = opts.chunkHours ?? 8192, batch = opts.batchSize ?? 1024, target = opts.target;
  const V = checkEdges(opts.edges, C);
  if (!(Number.isInteger(target) && target >= 0 && target < C)) throw new RangeError(`corpus: target ${target} is not a coin index < ${C}`);
  if (!(T >= 1 && stride >= 1 && chunk >= 1 && batch >= 1)) throw new RangeError('corpus: T, stride, chunkHours and batchSize must be >= 1');
  const power = opts.rebalance === true ? 1 : opts.rebalance === false || opts.rebalance === undefined ? 0 : opts.rebalance;
  const stream = new MarketStream(opts.params, opts.seed);
  const keep = new Rng(opts.seed ^ 0x2545f491);
  const row = C * K, win = T * row;
  const tok = new Uint8Array((T + chunk) * row); // [row][c][k], the last T rows of a chunk carry over
  const ret = new Float64Array(chunk * C), dlv = new Float64Array(chunk * C);
  const col = new Float64Array(chunk), colTok = new Uint8Array(chunk);
  const counts = new Float64Array(V), accept = new Float64Array(V);
  let have = 0, next = 0, produced = 0;
  let x = new Uint8Array(Math.min(batch, opts.numSamples) * win), y = new Uint8Array(Math.min(batch, opts.numSamples)), n = 0;
  while (produced < opts.numSamples) {
    stream.fill(chunk, ret, dlv, undefined, opts.volumeFloor);
    for (let c = 0; c < C; c++) {
      for (let k = 0; k < K; k++) {
        const src = k === 0 ? ret : dlv;
        for (let h = 0; h < chunk; h++) col[h] = src[h * C + c];
        applyBins(col, opts.edges[c][k], colTok);
        for (let h = 0, o = have * row + c * K + k; h < chunk; h++, o += row) tok[o] = colTok[h];
      }
    }
    have += chunk;
    if (power > 0) {
      counts.fill(0);
      for (let s = next; s + T < have; s += stride) counts[tok[(s + T) * row + target * K]]++;
      let min = Infinity;
      for (let v = 0; v < V; v++) if (counts[v] > 0 && counts[v] < min) min = counts[v];
      for (let v = 0; v < V; v++) accept[v] = counts[v] > 0 ? Math.pow(min / counts[v], power) : 1;
    }
    let s = next;
    for (; s + T < have && produced < opts.numSamples; s += stride) {
      const yt = tok[(s + T) * row + target * K];
      if (power > 0 && accept[yt] < 1 && keep.random() >= accept[yt]) continue;
      x.set(tok.subarray(s * row, s * row + win), n * win);
      y[n++] = yt;
      produced++;
      if (n === y.length) {
        yield { N: n, T, C, K, x, y };
        const m = Math.min(batch, opts.numSamples - produced);
        x = new Uint8Array(m * win); y = new Uint8Array(m); n = 0;
      }
    }
    // keep the last T rows: windows starting there still need their targets from the next chunk
    const drop = Math.max(0, have - T);
    tok.copyWithin(0, drop * row, have * row);
    have -= drop;
    next = s - drop;
  }
}

/** Collects every batch into one (N, T, C, K) array; for tests and small corpora only. */
export function collectCorpus(opts: CorpusOptions): CorpusBatch {
  const parts = [...corpusBatches(opts)];
  const N = parts.reduce((s, b) => s + b.N, 0);
  const T = opts.T ?? 24, C = opts.params.coins.length;
  const x = new Uint8Array(N * T * C * K), y = new Uint8Array(N);
  let o = 0;
  for (const b of parts) { x.set(b.x, o * T * C * K); y.set(b.y, o); o += b.N; }
  return { N, T, C, K, x, y };
}
