// Quantile bin edges (fitted on training values) and token lookup: token(v) = number of edges e with e <= v, so token i
// covers [edge_{i-1}, edge_i) with -inf/+inf at the ends; NaN -> INVALID_TOKEN. Tie rule: see fitBins.

/** The token of a value that has none (NaN: no previous hour, outside the data); never a real bin while V <= 255. */
export const INVALID_TOKEN = 255;

const f64 = new Float64Array(1);
const u64 = new BigUint64Array(f64.buffer);

/** The next float64 above x (Math.nextUp); x finite. */
export function nextUp(x: number): number {
  if (Number.isNaN(x) || x === Infinity) return x;
  if (x === 0) return Number.MIN_VALUE;
  f64[0] = x;
  u64[0] = x > 0 ? u64[0]! + 1n : u64[0]! - 1n;
  return f64[0]!;
}

/**
 * Fits V-1 strictly increasing edges at the quantiles of the finite `values` (NaN and +-Infinity are ignored).
 *
 * Tie rule: an edge always lies between two consecutive distinct values a < b (at their midpoint, or at b when the
 * midpoint rounds onto a), so equal values always share a token. When the plain quantile cuts round(i*n/V) all fall
 * between distinct values, those are the edges and every bin holds floor(n/V) or ceil(n/V) values. Otherwise the V-1
 * cuts are chosen among all cuts between distinct values to minimise sum over bins (count - n/V)^2 (dynamic
 * programming; a value heavier than n/V gets a bin of its own and the rest is split evenly around it). When there are
 * fewer distinct values than bins, the extra edges are the minimum itself (an empty bin below it) and nextUp steps
 * above the maximum (empty bins above it), chosen by the same criterion. Throws when no finite value is given.
 */
export function fitBins(values: Float64Array, V: number): Float64Array {
  if (!Number.isInteger(V) || V < 2 || V > INVALID_TOKEN) {
    throw new RangeError(`fitBins: V must be an integer in 2..${INVALID_TOKEN} (token ${INVALID_TOKEN} marks invalid), got ${V}`);
  }
  let n = 0;
  const x = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i]!)) x[n++] = values[i]!;
  if (n === 0) throw new RangeError('fitBins: no finite values to fit bin edges on');
  const s = x.subarray(0, n).sort();
  const fast = plainQuantileEdges(s, V);
  if (fast) return fast;
  const { pos, edge } = candidates(s, V);
  const chosen = chooseCuts(pos, n, V);
  return Float64Array.from(chosen, (j) => edge[j]!);
}

function cutValue(a: number, b: number): number {
  const mid = a + (b - a) / 2;
  return mid > a && mid <= b ? mid : b;
}

// the no-ties case: cut k (values below it) = round(i*n/V), valid when s[k-1] < s[k]
function plainQuantileEdges(s: Float64Array, V: number): Float64Array | null {
  const n = s.length;
  const edges = new Float64Array(V - 1);
  for (let i = 1; i < V; i++) {
    const k = Math.round((i * n) / V);
    if (k <= 0 || k >= n || !(s[k - 1]! < s[k]!)) return null;
    edges[i - 1] = cutValue(s[k - 1]!, s[k]!);
    if (i > 1 && !(edges[i - 1]! > edges[i - 2]!)) return null;
  }
  return edges;
}

// every place an edge may go: at the minimum (0 below), between consecutive distinct values, and above the maximum
function candidates(s: Float64Array, V: number): { pos: Float64Array; edge: Float64Array } {
  const n = s.length;
  const pos: number[] = [0];
  const edge: number[] = [s[0]!];
  for (let k = 1; k < n; k++) {
    if (s[k - 1]! < s[k]!) { pos.push(k); edge.push(cutValue(s[k - 1]!, s[k]!)); }
  }
  let top = s[n - 1]!;
  const extra = Math.max(1, V - 1 - pos.length);
  for (let e = 0; e < extra; e++) { top = nextUp(top); pos.push(n); edge.push(top); }
  return { pos: Float64Array.from(pos), edge: Float64Array.from(edge) };
}

/**
 * Picks V-1 increasing candidate indexes minimising sum over the V bins of (size - n/V)^2, where a bin's size is the
 * difference of consecutive cut positions (0 and n at the ends). Layered DP; each layer is a min over lines
 * (cost (p_j - p_i - t)^2 expands to p_j^2 + [prev_i + (p_i + t)^2] - 2 (p_i + t) p_j), answered by a monotone
 * convex-hull pointer since slopes fall and queries rise with the index: O(V M) in all.
 */
function chooseCuts(pos: Float64Array, n: number, V: number): number[] {
  const M = pos.length;
  const t = n / V;
  const E = V - 1; // edges
  let prev = new Float64Array(M).fill(Infinity);
  for (let j = 0; j <= M - E; j++) prev[j] = (pos[j]! - t) ** 2;
  const back: Int32Array[] = [];
  const hm = new Float64Array(M), hb = new Float64Array(M), hi = new Int32Array(M);
  for (let k = 2; k <= E; k++) {
    const cur = new Float64Array(M).fill(Infinity);
    const arg = new Int32Array(M).fill(-1);
    let size = 0, ptr = 0;
    const jLo = k - 1, jHi = M - 1 - (E - k);
    for (let j = 1; j <= jHi; j++) {
      const i = j - 1;
      if (Number.isFinite(prev[i]!)) {
        const m = -2 * (pos[i]! + t), b = prev[i]! + (pos[i]! + t) ** 2;
        if (size > 0 && hm[size - 1] === m) {
          if (b < hb[size - 1]!) size--; else continue;
        }
        // drop the last line while it is never strictly below both neighbours
        while (size >= 2 && (b - hb[size - 2]!) * (hm[size - 2]! - hm[size - 1]!) <= (hb[size - 1]! - hb[size - 2]!) * (hm[size - 2]! - m)) size--;
        hm[size] = m; hb[size] = b; hi[size] = i; size++;
        if (ptr >= size) ptr = size - 1;
      }
      if (j < jLo || size === 0) continue;
      const x = pos[j]!;
      while (ptr + 1 < size && hm[ptr + 1]! * x + hb[ptr + 1]! < hm[ptr]! * x + hb[ptr]!) ptr++;
      cur[j] = x * x + hm[ptr]! * x + hb[ptr]!;
      arg[j] = hi[ptr]!;
    }
    back.push(arg);
    prev = cur;
  }
  let best = Infinity, bestJ = -1;
  for (let j = E - 1; j < M; j++) {
    const v = prev[j]! + (n - pos[j]! - t) ** 2;
    if (v < best) { best = v; bestJ = j; }
  }
  const out = new Array<number>(E);
  out[E - 1] = bestJ;
  for (let k = E - 1; k >= 1; k--) out[k - 1] = back[k - 1]![out[k]!]!;
  return out;
}

/** Tokens of `values` under `edges`: the number of edges <= v (0..V-1), INVALID_TOKEN for NaN. */
export function applyBins(values: Float64Array, edges: Float64Array, out: Uint8Array = new Uint8Array(values.length)): Uint8Array {
  if (out.length < values.length) throw new RangeError(`applyBins: out has ${out.length} slots for ${values.length} values`);
  if (edges.length > INVALID_TOKEN - 1) throw new RangeError(`applyBins: ${edges.length + 1} bins do not fit below INVALID_TOKEN`);
  const m = edges.length;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Number.isNaN(v)) { out[i] = INVALID_TOKEN; continue; }
    let lo = 0, hi = m; // first edge > v
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (edges[mid]! <= v) lo = mid + 1; else hi = mid;
    }
    out[i] = lo;
  }
  return out;
}

/** The value range [low, high) each token stands for: token i -> [edges[i-1], edges[i]), with -Infinity / Infinity ends. */
export function binRanges(edges: Float64Array | number[]): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let i = 0; i <= edges.length; i++) out.push([i === 0 ? -Infinity : edges[i - 1]!, i === edges.length ? Infinity : edges[i]!]);
  return out;
}
