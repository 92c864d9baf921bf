// Vega-Lite spec for a multi-objective study's Pareto front: COMPLETE trials by their first two objectives, the
// non-dominated ones highlighted. Same content as Optuna's plot_pareto_front (2-D).
import type { Spec } from '../render.ts';

export interface ParetoPoint { trial: number; x: number; y: number; front: boolean }

/** Trials on the front are red and drawn on top; the others blue. */
export function paretoFrontSpec(points: readonly ParetoPoint[], names: [string, string], title = 'Pareto front'): Spec {
  const rows = points.map((p) => ({ ...p, series: p.front ? 'Pareto front' : 'other trials' }));
  return {
    title,
    width: 420, height: 320,
    data: { values: rows },
    mark: { type: 'point', filled: true, size: 50 },
    encoding: {
      x: { field: 'x', type: 'quantitative', title: names[0], scale: { zero: false } },
      y: { field: 'y', type: 'quantitative', title: names[1], scale: { zero: false } },
      color: { field: 'series', type: 'nominal', title: null, scale: { domain: ['Pareto front', 'other trials'], range: ['#d62728', '#1f77b4'] } },
      order: { field: 'front', type: 'ordinal' },
      tooltip: [{ field: 'trial', type: 'quantitative' }, { field: 'x', type: 'quantitative', title: names[0] }, { field: 'y', type: 'quantitative', title: names[1] }],
    },
  } as Spec;
}
