// forecasts.parquet of step 7: one row per (window, forecast hour) of every evaluated split, with the window's times,
// the true token, the realised log return of that hour and every method's prediction and class probabilities, for
// analysis in pandas, Polars or DuckDB.
import type { Columns } from '../data/parquet.ts';
import type { MethodForecast } from './report.ts';
import { HOUR_MS } from '../util/calendar.ts';


export interface ForecastBlock {
  /** split name written into the `split` column */
  split: string;
  N: number;
  H: number;
  /** (N,) open time of each window's first hour, ms */
  t0: Float64Array;
  /** (N, H) true tokens (>= V: unknown) */
  truth: Uint8Array;
  /** (N, H) realised log return of each forecast hour (NaN: unknown) */
  realised: Float64Array;
  methods: Record<string, MethodForecast>;
}

/** The target's log return of each forecast hour: returns[row + T + h] for windows starting at row (NaN without rows). */
export function realisedReturns(returns: Float64Array | undefined, row: ArrayLike<number> | null | undefined, N: number, T: number, H: number): Float64Array {
  const out = new Float64Array(N * H).fill(NaN);
  if (!returns || !row) return out;
  for (let i = 0; i < N; i++) for (let h = 0; h < H; h++) {
    const r = row[i] + T + h;
    if (r < returns.length) out[i * H + h] = returns[r];
  }
  return out;
}

/**
 * Columns: split, window_start, origin (last observed hour), target_hour (the hour forecast), hour (1..H), true_token
 * (255 = unknown), realised_return, then per method `<m>_pred` and `<m>_p0..p{V-1}` (methods without probabilities
 * have only `_pred`). Times are ISO-8601 UTC hour strings (the open time of the hour).
 */
export function forecastColumns(blocks: ForecastBlock[], T: number, V: number): Columns {
  const names = [...new Set(blocks.flatMap((b) => Object.keys(b.methods)))];
  for (const b of blocks) for (const m of names) if (!b.methods[m]) throw new Error(`forecasts table: split ${b.split} lacks method ${m}`);
  const n = blocks.reduce((s, b) => s + b.N * b.H, 0);
  const split: string[] = [], start: string[] = [], origin: string[] = [], target: string[] = [];
  const hour = new Uint8Array(n), truth = new Uint8Array(n), realised = new Float64Array(n);
  const pred: Record<string, Uint8Array> = {}, probs: Record<string, Float64Array[]> = {};
  for (const m of names) {
    pred[m] = new Uint8Array(n);
    if (blocks.every((b) => b.methods[m]!.probs)) probs[m] = Array.from({ length: V }, () => new Float64Array(n));
  }
  const iso = (ms: number) => new Date(ms).toISOString().slice(0, 13) + ':00Z';
  let k = 0;
  for (const b of blocks) {
    for (let i = 0; i < b.N; i++) {
      const s = iso(b.t0[i]), o = iso(b.t0[i] + (T - 1) * HOUR_MS);
      for (let h = 0; h < b.H; h++, k++) {
        split.push(b.split); start.push(s); origin.push(o); target.push(iso(b.t0[i] + (T + h) * HOUR_MS));
        hour[k] = h + 1;
        truth[k] = b.truth[i * b.H + h];
        realised[k] = b.realised[i * b.H + h];
        for (const m of names) {
          const f = b.methods[m]!;
          pred[m][k] = f.pred[i * b.H + h];
          if (probs[m]) for (let j = 0; j < V; j++) probs[m][j][k] = f.probs![(i * b.H + h) * V + j];
        }
      }
    }
  }
  const cols: Columns = { split, window_start: start, origin, target_hour: target, hour, true_token: truth, realised_return: realised };
  for (const m of names) {
    cols[`${m}_pred`] = pred[m];
    if (probs[m]) for (let j = 0; j < V; j++) cols[`${m}_p${j}`] = probs[m][j];
  }
  return cols;
}
