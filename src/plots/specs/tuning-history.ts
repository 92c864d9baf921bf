// Vega-Lite spec for a tuning study's optimisation history: every completed trial's value and the running best.
// Same content as Optuna's plot_optimization_history, plus pruned trials (their last reported value) in grey.
import type { Spec } from '../render.ts';

/** One trial as the history chart needs it. */
export interface HistoryTrial {
  number: number;
  /** COMPLETE | PRUNED | FAIL | RUNNING | WAITING */
  state: string;
  /** objective value (COMPLETE) or last intermediate value (PRUNED); null when none */
  value: number | null;
}

/** Best value so far after each COMPLETE trial with a finite value, in trial-number order. */
export function runningBest(trials: readonly HistoryTrial[], direction: 'minimize' | 'maximize'): { number: number; best: number }[] {
  const out: { number: number; best: number }[] = [];
  let best: number | null = null;
  for (const t of [...trials].sort((a, b) => a.number - b.number)) {
    if (t.state !== 'COMPLETE' || t.value === null || !Number.isFinite(t.value)) continue;
    if (best === null || (direction === 'minimize' ? t.value < best : t.value > best)) best = t.value;
    out.push({ number: t.number, best });
  }
  return out;
}

/** Scatter of trial values by trial number with the running best as a step line. */
export function tuningHistorySpec(trials: readonly HistoryTrial[], direction: 'minimize' | 'maximize', title = 'Optimization history'): Spec {
  const points = trials
    .filter((t) => (t.state === 'COMPLETE' || t.state === 'PRUNED') && t.value !== null && Number.isFinite(t.value))
    .map((t) => ({ trial: t.number, value: t.value, series: t.state === 'COMPLETE' ? 'objective value' : 'pruned (last value)' }));
  const best = runningBest(trials, direction).map((b) => ({ trial: b.number, value: b.best, series: 'best value' }));
  const color = { field: 'series', type: 'nominal', title: null,
    scale: { domain: ['objective value', 'pruned (last value)', 'best value'], range: ['#1f77b4', '#bbbbbb', '#d62728'] } };
  return {
    title,
    width: 520, height: 300,
    layer: [
      { data: { values: points }, mark: { type: 'point', filled: true, size: 40 },
        encoding: { x: { field: 'trial', type: 'quantitative', title: 'trial', axis: { tickMinStep: 1 } },
          y: { field: 'value', type: 'quantitative', scale: { zero: false }, title: `objective (${direction})` }, color } },
      { data: { values: best }, mark: { type: 'line', interpolate: 'step-after' },
        encoding: { x: { field: 'trial', type: 'quantitative' }, y: { field: 'value', type: 'quantitative' }, color } },
    ],
  } as Spec;
}
