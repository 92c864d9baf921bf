// Vega-Lite spec for a study's parallel coordinates: one polyline per COMPLETE trial through every parameter and the
// objective, each axis scaled to its own range (categoricals by choice index), coloured by the objective value.
// Same content as Optuna's plot_parallel_coordinate.
import type { Spec } from '../render.ts';

/** One axis: its name and, per trial, the position in [0, 1] and the label to show. */
export interface ParallelAxis {
  name: string;
  /** labels for the bottom and top of the axis */
  low: string;
  high: string;
}

export interface ParallelRow { trial: number; objective: number; axis: string; position: number; label: string }

/** Lines over the axes in the given order; `rows` already hold positions in [0, 1]. */
export function parallelCoordinatesSpec(axes: readonly ParallelAxis[], rows: readonly ParallelRow[], title = 'Parallel coordinates'): Spec {
  const order = axes.map((a) => a.name);
  const x = { field: 'axis', type: 'nominal', sort: order, title: null, axis: { labelAngle: 0, orient: 'top' } };
  const ends = axes.flatMap((a) => [{ axis: a.name, position: 0, label: a.low }, { axis: a.name, position: 1, label: a.high }]);
  return {
    title,
    width: Math.max(320, 110 * axes.length), height: 280,
    layer: [
      { data: { values: ends }, mark: { type: 'rule', color: '#999' }, encoding: { x, detail: { field: 'axis' } } },
      { data: { values: rows }, mark: { type: 'line', opacity: 0.55, strokeWidth: 1.2 },
        encoding: { x, y: { field: 'position', type: 'quantitative', axis: null, scale: { domain: [0, 1] } },
          detail: { field: 'trial', type: 'nominal' },
          color: { field: 'objective', type: 'quantitative', scale: { scheme: 'viridis' }, title: 'objective' },
          tooltip: [{ field: 'trial', type: 'quantitative' }, { field: 'axis' }, { field: 'label' }] } },
      { data: { values: ends }, mark: { type: 'text', dx: 4, align: 'left', fontSize: 10, color: '#333' },
        encoding: { x, y: { field: 'position', type: 'quantitative', scale: { domain: [0, 1] } }, text: { field: 'label' } } },
    ],
  } as Spec;
}
