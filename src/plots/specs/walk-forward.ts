// Vega-Lite spec for walk-forward evaluation: one panel per metric, the value of every method by fold.
import type { Spec } from '../render.ts';

export interface FoldValue { fold: number; method: string; metric: string; value: number | null }

export function walkForwardSpec(rows: FoldValue[], title = 'Walk-forward: each fold\'s test block'): Spec {
  const metrics = [...new Set(rows.map((r) => r.metric))];
  return {
    title,
    data: { values: rows.filter((r) => r.value !== null && Number.isFinite(r.value)) },
    facet: { column: { field: 'metric', type: 'nominal', title: null, sort: metrics } },
    spec: {
      width: 220, height: 200,
      mark: { type: 'line', point: true },
      encoding: {
        x: { field: 'fold', type: 'ordinal', axis: { labelAngle: 0 } },
        y: { field: 'value', type: 'quantitative', scale: { zero: false }, title: null },
        color: { field: 'method', type: 'nominal' },
      },
    },
    resolve: { scale: { y: 'independent' } },
  } as Spec;
}
