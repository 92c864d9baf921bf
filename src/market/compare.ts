// Real-vs-synthetic comparison for synthetic_data_stats.json (docs/pretraining.md): per-coin moments, ACF of returns
// and |returns|, volume-return correlation, correlation matrices (Pearson and Spearman), token distributions/transitions.
import * as S from './stats.ts';

/** One market's hourly series, coins in the same order for both sides. */
export interface MarketSeries {
  returns: Float64Array[];       // [coin][hour] log returns of close, NaN = missing
  volumeChanges: Float64Array[]; // [coin][hour] log changes of (volume + floor)
  priceTokens?: Uint8Array[];    // [coin][hour], V classes, other values skipped
  volumeTokens?: Uint8Array[];
}

export interface SideStats {
  moments: S.Moments;
  acf: number[];      // lags 1..maxLag
  absAcf: number[];
  volumeReturnCorrelation: number;
  volumeMoments: S.Moments;
}

export interface TokenComparison {
  real: number[]; synthetic: number[]; tv: number;
  realTransition: number[]; syntheticTransition: number[]; transitionTv: number; // V×V row-major
}

export interface MarketComparison {
  coins: string[];
  perCoin: Array<{ coin: string; real: SideStats; synthetic: SideStats; priceTokens?: TokenComparison; volumeTokens?: TokenComparison }>;
  correlation: { real: number[][]; synthetic: number[][]; frobenius: number; rankReal: number[][]; rankSynthetic: number[][]; rankFrobenius: number };
  volumeCorrelation: { real: number[][]; synthetic: number[][]; frobenius: number };
}

function side(r: Float64Array, v: Float64Array, maxLag: number): SideStats {
  return {
    moments: S.moments(r), acf: [...S.autocorrelation(r, maxLag)], absAcf: [...S.absAutocorrelation(r, maxLag)],
    volumeReturnCorrelation: S.volumeReturnCorrelation(r, v), volumeMoments: S.moments(v),
  };
}

function tokens(a: Uint8Array, b: Uint8Array, V: number): TokenComparison {
  const pa = S.tokenDistribution(a, V), pb = S.tokenDistribution(b, V);
  const ta = S.transitionMatrix(a, V), tb = S.transitionMatrix(b, V);
  return { real: [...pa], synthetic: [...pb], tv: S.totalVariation(pa, pb), realTransition: [...ta], syntheticTransition: [...tb], transitionTv: S.transitionDistance(ta, tb, V, pa) };
}

/** Compares a real and a synthetic market (same coins); token fields only when both sides carry tokens and V is given. */
export function compareMarkets(coins: string[], real: MarketSeries, synthetic: MarketSeries, opts: { V?: number; maxLag?: number } = {}): MarketComparison {
  const maxLag = opts.maxLag ?? 24, V = opts.V;
  if (real.returns.length !== coins.length || synthetic.returns.length !== coins.length) throw new RangeError('compareMarkets: one series per coin on both sides');
  const perCoin = coins.map((coin, c) => {
    const row: MarketComparison['perCoin'][number] = {
      coin, real: side(real.returns[c], real.volumeChanges[c], maxLag), synthetic: side(synthetic.returns[c], synthetic.volumeChanges[c], maxLag),
    };
    if (V && real.priceTokens && synthetic.priceTokens) row.priceTokens = tokens(real.priceTokens[c], synthetic.priceTokens[c], V);
    if (V && real.volumeTokens && synthetic.volumeTokens) row.volumeTokens = tokens(real.volumeTokens[c], synthetic.volumeTokens[c], V);
    return row;
  });
  const cr = S.correlationMatrix(real.returns), cs = S.correlationMatrix(synthetic.returns);
  const rr = S.rankCorrelationMatrix(real.returns), rs = S.rankCorrelationMatrix(synthetic.returns);
  const vr = S.correlationMatrix(real.volumeChanges), vs = S.correlationMatrix(synthetic.volumeChanges);
  return {
    coins, perCoin,
    correlation: { real: cr, synthetic: cs, frobenius: S.frobeniusDiff(cr, cs), rankReal: rr, rankSynthetic: rs, rankFrobenius: S.frobeniusDiff(rr, rs) },
    volumeCorrelation: { real: vr, synthetic: vs, frobenius: S.frobeniusDiff(vr, vs) },
  };
}
