// Vega-Lite spec for a study's slice plots: the objective value against each parameter, one panel per parameter,
// points coloured by trial number. Same content as Optuna's plot_slice.
import type { Spec } from '../render.ts';

/** One parameter's points: numbers for float/int parameters, choice labels for categoricals. */
export interface SliceParam { name: string; categorical: boolean; log: boolean; points: { trial: number; x: number | string; objective: number }[] }

/** Panels side by side (three per row). */
export function sliceSpec(params: readonly SliceParam[], direction: string, title = 'Slice plot'): Spec {
  return {
    title,
    columns: 3,
    concat: params.map((p) => ({
      width: 220, height: 170,
      data: { values: p.points },
      mark: { type: 'point', filled: true, size: 28, opacity: 0.75 },
      encoding: {
        x: p.categorical ? { field: 'x', type: 'nominal', title: p.name }
          : { field: 'x', type: 'quantitative', title: p.name, scale: { type: p.log ? 'log' : 'linear', zero: false } },
        y: { field: 'objective', type: 'quantitative', scale: { zero: false }, title: `objective (${direction})` },
        color: { field: 'trial', type: 'quantitative', scale: { scheme: 'blues' }, title: 'trial' },
        tooltip: [{ field: 'trial', type: 'quantitative' }, { field: 'x', title: p.name }, { field: 'objective', type: 'quantitative' }],
      },
    })),
  } as Spec;
}
