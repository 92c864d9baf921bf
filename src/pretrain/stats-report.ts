// Real vs synthetic market for pretraining (docs/pretraining.md): the training split of clean.parquet on an hourly grid
// (NaN = missing), a simulated market of the fitted params, both tokenized with step 4's edges, compared by src/market.
import { readParquet } from '../data/parquet.ts';
import { wideColumn, HOUR_MS } from '../data/candles.ts';
import { SPLIT_CODE } from '../data/split.ts';
import { applyBins } from '../tokenize/bins.ts';
import type { EdgesFile } from '../tokenize/edges-file.ts';
import { MarketStream, simulateMarket } from '../market/simulate.ts';
import type { MarketParams } from '../market/params.ts';
import { compareMarkets, type MarketComparison, type MarketSeries } from '../market/compare.ts';
import { UserError } from '../util/errors.ts';

/** The training hours of the real market on a gap-free hourly grid; coin order as `coins`. */
export interface RealTrainMarket {
  coins: string[];
  openTime: Float64Array;   // grid, one row per hour from the first to the last training hour
  close: Float64Array[];    // NaN where the hour is missing (dropped, marked, or outside the training split)
  volume: Float64Array[];
  presentHours: number;
}

/** Reads clean.parquet + split.parquet and puts the training rows on an hourly grid. */
export async function loadRealTrainMarket(cleanPath: string, splitPath: string, coins: string[]): Promise<RealTrainMarket> {
  const cols = await readParquet(cleanPath, { columns: ['open_time', 'segment', ...coins.flatMap((c) => [wideColumn(c, 'close'), wideColumn(c, 'volume')])] });
  const sp = await readParquet(splitPath, { columns: ['open_time', 'split'] });
  const t = cols.open_time as Float64Array, seg = cols.segment as Int32Array, split = sp.split as Uint8Array;
  if ((sp.open_time as Float64Array).length !== t.length) throw new UserError(`${splitPath}: its hours do not match ${cleanPath}; rerun \`tokcast pipeline split\``);
  let first = -1, last = -1, present = 0;
  for (let i = 0; i < t.length; i++) if (split[i] === SPLIT_CODE.train && seg[i] >= 0) { if (first < 0) first = i; last = i; present++; }
  if (first < 0) throw new UserError(`${cleanPath}: no training hours to fit the market model on`);
  const n = Math.round((t[last] - t[first]) / HOUR_MS) + 1;
  const openTime = Float64Array.from({ length: n }, (_, h) => t[first] + h * HOUR_MS);
  const close = coins.map(() => new Float64Array(n).fill(NaN)), volume = coins.map(() => new Float64Array(n).fill(NaN));
  for (let i = first; i <= last; i++) {
    if (split[i] !== SPLIT_CODE.train || seg[i] < 0) continue;
    const h = Math.round((t[i] - t[first]) / HOUR_MS);
    coins.forEach((c, j) => {
      close[j][h] = (cols[wideColumn(c, 'close')] as Float64Array)[i];
      volume[j][h] = (cols[wideColumn(c, 'volume')] as Float64Array)[i];
    });
  }
  return { coins, openTime, close, volume, presentHours: present };
}

/** Per-coin edges and floors of an edges file, in `coins` order: edges[c] = [price, volume]. */
export function edgesFor(file: EdgesFile, coins: string[]): { edges: Float64Array[][]; floors: number[] } {
  const missing = coins.filter((c) => !file.per_coin[c]);
  if (missing.length) throw new UserError(`edges.json has no edges for ${missing.join(', ')}; rerun \`tokcast pipeline tokenize\``);
  return {
    edges: coins.map((c) => [Float64Array.from(file.per_coin[c]!.price.edges), Float64Array.from(file.per_coin[c]!.volume.edges)]),
    floors: coins.map((c) => file.per_coin[c]!.volume.floor),
  };
}

function tokenized(returns: Float64Array[], volumeChanges: Float64Array[], edges: Float64Array[][]): MarketSeries {
  return {
    returns, volumeChanges,
    priceTokens: returns.map((r, c) => applyBins(r, edges[c][0])),
    volumeTokens: volumeChanges.map((v, c) => applyBins(v, edges[c][1])),
  };
}

/** Step 4's channels of the real market: log return of close, log change of (volume + floor); NaN across gaps. */
export function realSeries(m: RealTrainMarket, edges: Float64Array[][], floors: number[]): MarketSeries {
  const returns = m.close.map((c) => c.map((x, t) => (t > 0 ? Math.log(x / c[t - 1]) : NaN)));
  const vol = m.volume.map((v, j) => v.map((x, t) => (t > 0 ? Math.log((x + floors[j]) / (v[t - 1] + floors[j])) : NaN)));
  return tokenized(returns, vol, edges);
}

/** `hours` simulated hours of the same channels (same floors and edges), starting at UTC hour `startHour`. */
export function syntheticSeries(params: MarketParams, hours: number, seed: number, edges: Float64Array[][], floors: number[], startHour = 0): MarketSeries {
  const d = params.coins.length, chunk = 8192;
  const s = new MarketStream(params, seed, 200, startHour);
  const returns = params.coins.map(() => new Float64Array(hours)), vol = params.coins.map(() => new Float64Array(hours));
  const ret = new Float64Array(chunk * d), dlv = new Float64Array(chunk * d);
  for (let h0 = 0; h0 < hours; h0 += chunk) {
    const m = Math.min(chunk, hours - h0);
    s.fill(m, ret, dlv, undefined, floors);
    for (let h = 0; h < m; h++) for (let i = 0; i < d; i++) { returns[i][h0 + h] = ret[h * d + i]; vol[i][h0 + h] = dlv[h * d + i]; }
  }
  return tokenized(returns, vol, edges);
}

export interface StatsSummary {
  /** mean over coins of |std_syn / std_real - 1| (hourly return std) */
  std_rel_error: number;
  /** mean over coins of |kurtosis_syn - kurtosis_real| (excess kurtosis) */
  kurtosis_abs_error: number;
  /** mean over coins and lags 1-24 of |acf_syn - acf_real| for returns and |returns| */
  acf_abs_error: number;
  abs_acf_abs_error: number;
  /** Frobenius norm of (corr_syn - corr_real): Pearson and Spearman */
  corr_frobenius: number;
  rank_corr_frobenius: number;
  volume_corr_frobenius: number;
  /** mean over coins of |volume-return correlation difference| */
  volume_return_corr_abs_error: number;
  /** mean over coins of the total-variation distance of price token distributions and transition rows */
  price_token_tv: number;
  price_transition_tv: number;
  volume_token_tv: number;
  volume_transition_tv: number;
}

const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
const meanAbsDiff = (a: number[], b: number[]) => avg(a.map((x, i) => Math.abs(x - b[i])));

export function summarize(cmp: MarketComparison): StatsSummary {
  const pc = cmp.perCoin;
  return {
    std_rel_error: avg(pc.map((p) => Math.abs(p.synthetic.moments.std / p.real.moments.std - 1))),
    kurtosis_abs_error: avg(pc.map((p) => Math.abs(p.synthetic.moments.kurtosis - p.real.moments.kurtosis))),
    acf_abs_error: avg(pc.map((p) => meanAbsDiff(p.real.acf, p.synthetic.acf))),
    abs_acf_abs_error: avg(pc.map((p) => meanAbsDiff(p.real.absAcf, p.synthetic.absAcf))),
    corr_frobenius: cmp.correlation.frobenius,
    rank_corr_frobenius: cmp.correlation.rankFrobenius,
    volume_corr_frobenius: cmp.volumeCorrelation.frobenius,
    volume_return_corr_abs_error: avg(pc.map((p) => Math.abs(p.synthetic.volumeReturnCorrelation - p.real.volumeReturnCorrelation))),
    price_token_tv: avg(pc.map((p) => p.priceTokens?.tv ?? NaN)),
    price_transition_tv: avg(pc.map((p) => p.priceTokens?.transitionTv ?? NaN)),
    volume_token_tv: avg(pc.map((p) => p.volumeTokens?.tv ?? NaN)),
    volume_transition_tv: avg(pc.map((p) => p.volumeTokens?.transitionTv ?? NaN)),
  };
}

/** The JSON written as synthetic_data_stats.json. */
export interface SyntheticDataStats {
  version: 1;
  coins: string[];
  V: number;
  real: { hours: number; present_hours: number; first_hour: string; last_hour: string; source: string };
  synthetic: { hours: number; seed: number };
  summary: StatsSummary;
  comparison: MarketComparison;
}

/** Compares the real training market with `hours` simulated hours of `params`. */
export function syntheticDataStats(real: RealTrainMarket, params: MarketParams, edgesFile: EdgesFile, opts: { hours: number; seed: number; source: string }): SyntheticDataStats {
  const { edges, floors } = edgesFor(edgesFile, real.coins);
  const startHour = new Date(real.openTime[0]).getUTCHours();
  const r = realSeries(real, edges, floors);
  const s = syntheticSeries(params, opts.hours, opts.seed, edges, floors, startHour);
  const comparison = compareMarkets(real.coins, r, s, { V: edgesFile.num_bins, maxLag: 24 });
  return {
    version: 1, coins: real.coins, V: edgesFile.num_bins,
    real: {
      hours: real.openTime.length, present_hours: real.presentHours, source: opts.source,
      first_hour: new Date(real.openTime[0]).toISOString(), last_hour: new Date(real.openTime[real.openTime.length - 1]).toISOString(),
    },
    synthetic: { hours: opts.hours, seed: opts.seed },
    summary: summarize(comparison), comparison,
  };
}

/** Price paths (normalised to 1 at the start) of the last `hours` complete real training hours and of a simulation. */
export function samplePaths(real: RealTrainMarket, params: MarketParams, hours: number, seed: number): Array<{ source: string; coin: string; hour: number; price: number }> {
  const n = real.openTime.length;
  let end = n;
  // the latest stretch of `hours` hours where every coin has a close (else the last `hours` hours as they are)
  for (let t = n - 1, run = 0; t >= 0; t--) {
    run = real.close.every((c) => Number.isFinite(c[t])) ? run + 1 : 0;
    if (run >= hours) { end = t + hours; break; }
  }
  const start = Math.max(0, end - hours);
  const rows: Array<{ source: string; coin: string; hour: number; price: number }> = [];
  real.coins.forEach((coin, j) => {
    const c = real.close[j], base = c.subarray(start, end).find((x) => Number.isFinite(x)) ?? 1;
    for (let t = start; t < end; t++) if (Number.isFinite(c[t])) rows.push({ source: 'real', coin, hour: t - start, price: c[t] / base });
  });
  const sim = simulateMarket(params, { hours: end - start, seed, startPrice: 1, startHour: new Date(real.openTime[start]).getUTCHours() });
  real.coins.forEach((coin, j) => { for (let t = 0; t < end - start; t++) rows.push({ source: 'synthetic', coin, hour: t, price: sim.close[j][t] }); });
  return rows;
}

const f = (x: number, d = 3) => (Number.isFinite(x) ? x.toFixed(d) : '-');

/** synthetic_data_stats.json as a Markdown table (real / synthetic per cell), for docs and reports. */
export function statsTableMarkdown(s: SyntheticDataStats): string {
  const head = '| coin | std % (r / s) | skew (r / s) | excess kurt. (r / s) | ACF r lag 1 (r / s) | ACF abs r lag 1 (r / s) | ACF abs r lag 24 (r / s) | corr(abs r, dlogvol) (r / s) | token TV | transition TV |';
  const rows = s.comparison.perCoin.map((p) => {
    const R = p.real, S = p.synthetic;
    return `| ${p.coin} | ${f(100 * R.moments.std)} / ${f(100 * S.moments.std)} | ${f(R.moments.skew, 2)} / ${f(S.moments.skew, 2)} | ${f(R.moments.kurtosis, 1)} / ${f(S.moments.kurtosis, 1)} | ` +
      `${f(R.acf[0])} / ${f(S.acf[0])} | ${f(R.absAcf[0])} / ${f(S.absAcf[0])} | ${f(R.absAcf[23])} / ${f(S.absAcf[23])} | ` +
      `${f(R.volumeReturnCorrelation)} / ${f(S.volumeReturnCorrelation)} | ${f(p.priceTokens?.tv ?? NaN)} | ${f(p.priceTokens?.transitionTv ?? NaN)} |`;
  });
  const m = s.summary;
  return [head, `|${'---|'.repeat(10)}`, ...rows, '',
    `Correlation matrix error (Frobenius, ${s.coins.length}x${s.coins.length}): Pearson ${f(m.corr_frobenius)}, Spearman ${f(m.rank_corr_frobenius)}, volume changes ${f(m.volume_corr_frobenius)}. ` +
    `Means over coins: |std ratio - 1| ${f(m.std_rel_error)}, |ACF error| ${f(m.acf_abs_error)} (returns) / ${f(m.abs_acf_abs_error)} (abs returns, lags 1-24), ` +
    `price token TV ${f(m.price_token_tv)}, transition TV ${f(m.price_transition_tv)}, volume token TV ${f(m.volume_token_tv)}.`,
    `Real: ${s.real.source}, training split ${s.real.first_hour.slice(0, 13)} .. ${s.real.last_hour.slice(0, 13)} (${s.real.present_hours} hours); synthetic: ${s.synthetic.hours} simulated hours (seed ${s.synthetic.seed}).`,
  ].join('\n');
}
