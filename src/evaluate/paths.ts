// Monte Carlo token paths from the model (docs/pipeline.md, inference): from one window, draw the next hour's
// token from the model's probabilities, append it as the target's price token (every other token of the new hour
// repeats the last observed hour, as the deterministic forecast does), forecast again, H times, for many paths at
// once; then turn each path into a cumulative return by drawing, for every token, one log return from the
// training hours that had that token.
import { Rng } from '../util/rng.ts';

/** Returns class probabilities (B, O) of the last position for a batch x of shape (B, T, C, K). */
export type PredictFn = (x: Uint8Array, B: number) => Promise<Float32Array | Float64Array>;

export interface ForecastDims { T: number; C: number; K: number; O: number; targetCoin: number }

/** Draws `paths` token paths of H hours from window x (T, C, K); returns tokens (paths, H). */
export async function sampleTokenPaths(predict: PredictFn, x: Uint8Array, dims: ForecastDims, H: number, paths: number, rng: Rng): Promise<Uint8Array> {
  const { T, C, K, O, targetCoin } = dims;
  const row = C * K, win = T * row;
  if (x.length !== win) throw new Error(`sampleTokenPaths: x has ${x.length} tokens, expected T*C*K = ${win}`);
  const buf = new Uint8Array(paths * win);
  for (let i = 0; i < paths; i++) buf.set(x, i * win);
  const out = new Uint8Array(paths * H);
  for (let h = 0; h < H; h++) {
    const p = await predict(buf, paths);
    for (let i = 0; i < paths; i++) {
      let u = rng.random(), tok = O - 1;
      for (let o = 0; o < O; o++) { u -= p[i * O + o]; if (u < 0) { tok = o; break; } }
      out[i * H + h] = tok;
      if (h + 1 < H) {
        const off = i * win;
        buf.copyWithin(off, off + row, off + win); // the last hour stays in place: persistence for the other tokens
        buf[off + (T - 1) * row + targetCoin * K] = tok;
      }
    }
  }
  return out;
}

/** Share of paths in each token at each hour: (H, O). */
export function tokenShares(paths: Uint8Array, n: number, H: number, O: number): Float64Array {
  const s = new Float64Array(H * O);
  for (let i = 0; i < n; i++) for (let h = 0; h < H; h++) s[h * O + paths[i * H + h]] += 1 / n;
  return s;
}

/**
 * Quantiles of the cumulative simple return after each hour: path i's return after hour h is
 * exp(sum of log returns drawn from binReturns[token] for hours 1..h) - 1. Returns (H, qs.length).
 */
export function cumulativeReturnQuantiles(paths: Uint8Array, n: number, H: number, binReturns: ArrayLike<number>[], qs: number[], rng: Rng): number[][] {
  binReturns.forEach((r, j) => { if (r.length === 0) throw new Error(`cumulativeReturnQuantiles: no training return in bin ${j}`); });
  const cum = new Float64Array(n), out: number[][] = [];
  const col = new Float64Array(n);
  for (let h = 0; h < H; h++) {
    for (let i = 0; i < n; i++) {
      const r = binReturns[paths[i * H + h]];
      cum[i] += r[rng.int(r.length)];
      col[i] = cum[i];
    }
    const sorted = col.slice().sort();
    out.push(qs.map((q) => Math.expm1(quantileSorted(sorted, q))));
  }
  return out;
}

/** Linear-interpolation quantile of sorted values (type 7). */
export function quantileSorted(s: ArrayLike<number>, q: number): number {
  const pos = (s.length - 1) * q, lo = Math.floor(pos), hi = Math.ceil(pos);
  return s[lo] + (s[hi] - s[lo]) * (pos - lo);
}
