// Sliding windows over the token table (docs/model.md#tokenization): x (N, T, C, K) with k = 0 price, 1 volume, coins in config order;
// y = the target coin's price token of the hour after the window; future (N, H) = its tokens for hours 1..H after it.
import { HOUR_MS } from '../data/candles.ts';
import { EMBARGO } from '../data/split.ts';
import { INVALID_TOKEN } from './bins.ts';

export const K = 2;

/** Tokens per row: every coin's price and volume channel, with each row's split code and segment. */
export interface TokenTable {
  openTime: Float64Array;
  split: Uint8Array;
  segment: Int32Array;
  price: Uint8Array[];  // [coin][row]
  volume: Uint8Array[]; // [coin][row]
}

export interface Windows {
  N: number; T: number; C: number; H: number;
  x: Uint8Array;       // (N, T, C, K)
  y: Uint8Array;       // (N,)
  t0: Float64Array;    // (N,) open time of each window's first hour, ms
  row: Int32Array;     // (N,) row of each window's first hour in the token table
  future: Uint8Array;  // (N, H); INVALID_TOKEN beyond the run
}

function usable(tt: TokenTable, r: number): boolean {
  if (tt.split[r] === EMBARGO || tt.segment[r]! < 0) return false;
  for (let c = 0; c < tt.price.length; c++) if (tt.price[c]![r] === INVALID_TOKEN || tt.volume[c]![r] === INVALID_TOKEN) return false;
  return true;
}

/**
 * Maximal runs [first, last] of rows that are usable (not embargo, not marked, every token valid), share one split
 * code and one segment, and are consecutive hours. Windows and their targets live inside one run.
 */
export function usableRuns(tt: TokenTable, splitCode: number): Array<[number, number]> {
  const runs: Array<[number, number]> = [];
  const n = tt.openTime.length;
  let a = -1;
  for (let r = 0; r <= n; r++) {
    const ok = r < n && tt.split[r] === splitCode && usable(tt, r);
    const joins = ok && a >= 0 && tt.segment[r] === tt.segment[r - 1] && tt.openTime[r]! - tt.openTime[r - 1]! === HOUR_MS;
    if (a >= 0 && !joins) { runs.push([a, r - 1]); a = -1; }
    if (ok && a < 0) a = r;
  }
  return runs;
}

/** Window start rows of one split: in each run, starts first, first + stride, ... while the target row start + T stays in the run. */
export function windowStarts(tt: TokenTable, splitCode: number, T: number, stride: number): { starts: Int32Array; runEnd: Int32Array } {
  const starts: number[] = [], ends: number[] = [];
  for (const [a, b] of usableRuns(tt, splitCode)) {
    for (let s = a; s + T <= b; s += stride) { starts.push(s); ends.push(b); }
  }
  return { starts: Int32Array.from(starts), runEnd: Int32Array.from(ends) };
}

/** Gathers x, y, t0 and future for the given window starts (runEnd: last row of each start's run). */
export function buildWindows(tt: TokenTable, starts: Int32Array, runEnd: Int32Array, T: number, target: number, H: number): Windows {
  const N = starts.length, C = tt.price.length;
  const x = new Uint8Array(N * T * C * K);
  const y = new Uint8Array(N);
  const t0 = new Float64Array(N);
  const future = new Uint8Array(N * H).fill(INVALID_TOKEN);
  const tp = tt.price[target]!;
  for (let i = 0; i < N; i++) {
    const s = starts[i]!;
    let o = i * T * C * K;
    for (let t = 0; t < T; t++) {
      for (let c = 0; c < C; c++) { x[o++] = tt.price[c]![s + t]!; x[o++] = tt.volume[c]![s + t]!; }
    }
    y[i] = tp[s + T]!;
    t0[i] = tt.openTime[s]!;
    for (let h = 0; h < H && s + T + h <= runEnd[i]!; h++) future[i * H + h] = tp[s + T + h]!;
  }
  return { N, T, C, H, x, y, t0, row: starts.slice(), future };
}
