// Vega-Lite spec for a tuning study's learning curves: each trial's reported validation loss per epoch, pruned trials marked.
// Same content as Optuna's plot_intermediate_values, with the pruning point drawn as a cross.
import type { Spec } from '../render.ts';

/** One trial's reported curve. */
export interface CurveTrial {
  number: number;
  state: string;
  /** [step, value] pairs in any order; non-finite values are left out of the chart */
  intermediate: readonly (readonly [number, number])[];
}

/** One line per trial coloured by final state; the last reported point of every pruned trial gets a red cross. */
export function intermediateValuesSpec(trials: readonly CurveTrial[], title = 'Intermediate values (validation loss per epoch)'): Spec {
  const lines: { trial: number; step: number; value: number; state: string }[] = [];
  const prunedAt: { trial: number; step: number; value: number }[] = [];
  for (const t of trials) {
    const pts = [...t.intermediate].filter(([, v]) => Number.isFinite(v)).sort((a, b) => a[0] - b[0]);
    for (const [step, value] of pts) lines.push({ trial: t.number, step, value, state: t.state });
    if (t.state === 'PRUNED' && pts.length > 0) {
      const [step, value] = pts[pts.length - 1];
      prunedAt.push({ trial: t.number, step, value });
    }
  }
  const x = { field: 'step', type: 'quantitative', title: 'epoch', axis: { tickMinStep: 1 } };
  const y = { field: 'value', type: 'quantitative', scale: { zero: false }, title: 'validation loss' };
  return {
    title,
    width: 520, height: 300,
    layer: [
      { data: { values: lines }, mark: { type: 'line', point: { size: 12 }, opacity: 0.8 },
        encoding: { x, y, detail: { field: 'trial', type: 'nominal' },
          color: { field: 'state', type: 'nominal', title: 'trial state',
            scale: { domain: ['COMPLETE', 'PRUNED', 'FAIL', 'RUNNING'], range: ['#1f77b4', '#ff7f0e', '#7f7f7f', '#2ca02c'] } } } },
      { data: { values: prunedAt }, mark: { type: 'point', shape: 'cross', size: 80, color: '#d62728', filled: true },
        encoding: { x, y, tooltip: [{ field: 'trial', type: 'quantitative' }] } },
    ],
  } as Spec;
}
