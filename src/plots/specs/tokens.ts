// Vega-Lite spec for step 4's token distribution: share of each token per coin, channel and split (grouped bars).
import type { Spec } from '../render.ts';

export interface TokenShare { coin: string; channel: 'price' | 'volume'; split: string; token: number; share: number }

/** One small panel per coin (columns) and channel (rows): bars of token share, one colour per split. */
export function tokenDistributionSpec(rows: TokenShare[], numBins: number, coins: string[], title = 'Token distribution'): Spec {
  return {
    title,
    data: { values: rows },
    facet: {
      row: { field: 'channel', type: 'nominal', title: null, sort: ['price', 'volume'] },
      column: { field: 'coin', type: 'nominal', title: null, sort: coins },
    },
    spec: {
      width: Math.max(60, Math.min(240, numBins * 18)), height: 110,
      mark: { type: 'bar' },
      encoding: {
        x: { field: 'token', type: 'ordinal', title: 'token' },
        xOffset: { field: 'split', type: 'nominal', sort: ['train', 'val', 'test'] },
        y: { field: 'share', type: 'quantitative', title: 'share', axis: { format: '%' } },
        color: { field: 'split', type: 'nominal', sort: ['train', 'val', 'test'] },
      },
    },
  } as Spec;
}
