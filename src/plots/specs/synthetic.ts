// Vega-Lite spec for synthetic_samples.png (pretraining): real and synthetic price paths side by side, and the
// cross-coin return correlation matrices of both as heatmaps (vconcat of two facets).
import type { Spec } from '../render.ts';

export interface PathPoint { source: string; coin: string; hour: number; price: number }

/** Correlation matrix entries for the heatmaps. */
export function correlationRows(coins: string[], real: number[][], synthetic: number[][]): Array<{ source: string; a: string; b: string; corr: number }> {
  const rows: Array<{ source: string; a: string; b: string; corr: number }> = [];
  for (const [source, m] of [['real', real], ['synthetic', synthetic]] as const) {
    coins.forEach((a, i) => coins.forEach((b, j) => rows.push({ source, a, b, corr: m[i][j] })));
  }
  return rows;
}

/** Top: price paths (log scale, 1 = start) faceted by source; bottom: correlation heatmaps faceted by source. */
export function syntheticSamplesSpec(paths: PathPoint[], coins: string[], real: number[][], synthetic: number[][], title = 'Real vs synthetic market'): Spec {
  const corr = correlationRows(coins, real, synthetic).map((r) => ({ ...r, label: Number.isFinite(r.corr) ? r.corr.toFixed(2) : '' }));
  const order = ['real', 'synthetic'];
  const cell = Math.max(16, Math.min(32, Math.floor(320 / Math.max(1, coins.length))));
  return {
    title,
    vconcat: [
      {
        data: { values: paths.filter((p) => Number.isFinite(p.price) && p.price > 0) },
        facet: { column: { field: 'source', type: 'nominal', sort: order, title: null } },
        spec: {
          width: 360, height: 220,
          mark: { type: 'line', strokeWidth: 1 },
          encoding: {
            x: { field: 'hour', type: 'quantitative', title: 'hour' },
            y: { field: 'price', type: 'quantitative', scale: { type: 'log', nice: false }, axis: { format: '.2~f', tickCount: 8 }, title: 'price / first price' },
            color: { field: 'coin', type: 'nominal', sort: coins },
          },
        },
        resolve: { scale: { y: 'shared' } },
      },
      {
        data: { values: corr },
        facet: { column: { field: 'source', type: 'nominal', sort: order, title: 'hourly return correlation' } },
        spec: {
          width: cell * coins.length, height: cell * coins.length,
          layer: [
            {
              mark: 'rect',
              encoding: {
                x: { field: 'a', type: 'nominal', sort: coins, title: null },
                y: { field: 'b', type: 'nominal', sort: coins, title: null },
                color: { field: 'corr', type: 'quantitative', scale: { domain: [-1, 1], scheme: 'redblue', reverse: true }, title: 'corr' },
              },
            },
            {
              mark: { type: 'text', fontSize: coins.length > 6 ? 7 : 9 },
              encoding: {
                x: { field: 'a', type: 'nominal', sort: coins },
                y: { field: 'b', type: 'nominal', sort: coins },
                text: { field: 'label' },
              },
            },
          ],
        },
      },
    ],
  } as Spec;
}
