// Vega-Lite specs for evaluation: accuracy by forecast hour for the model and every baseline (with intervals),
// and confusion matrices as heatmaps.
import type { Spec } from '../render.ts';
import type { EvaluationReport } from '../../evaluate/report.ts';

/** Accuracy by hour, one line per method, shaded confidence band. */
export function accuracyByHourSpec(r: EvaluationReport, title = 'Accuracy by forecast hour'): Spec {
  const rows = Object.entries(r.methods).flatMap(([method, m]) => m.accuracy_by_hour.map((a, h) => ({
    hour: h + 1, method, accuracy: a.estimate, low: Number.isFinite(a.low) ? a.low : a.estimate, high: Number.isFinite(a.high) ? a.high : a.estimate,
  })));
  return {
    title, width: 420, height: 260,
    data: { values: rows },
    encoding: {
      x: { field: 'hour', type: 'quantitative', axis: { tickMinStep: 1 }, title: 'hours ahead' },
      color: { field: 'method', type: 'nominal' },
    },
    layer: [
      { mark: { type: 'area', opacity: 0.15 }, encoding: { y: { field: 'low', type: 'quantitative', title: 'accuracy', scale: { zero: false } }, y2: { field: 'high' } } },
      { mark: { type: 'line', point: true }, encoding: { y: { field: 'accuracy', type: 'quantitative' } } },
    ],
  } as Spec;
}

/** Confusion matrices of one method at the recorded hours, side by side. */
export function confusionSpec(cms: Record<string, number[][]>, title = 'Confusion matrices (rows: true, columns: predicted)'): Spec {
  const rows = Object.entries(cms).flatMap(([hour, m]) => {
    const total = m.flat().reduce((a, b) => a + b, 0) || 1;
    return m.flatMap((row, t) => row.map((n, p) => ({ hour, true: t, predicted: p, count: n, share: n / total })));
  });
  return {
    title,
    data: { values: rows },
    facet: { column: { field: 'hour', type: 'nominal', title: null } },
    spec: {
      width: 160, height: 160,
      encoding: {
        x: { field: 'predicted', type: 'ordinal' },
        y: { field: 'true', type: 'ordinal' },
      },
      layer: [
        { mark: 'rect', encoding: { color: { field: 'share', type: 'quantitative', scale: { scheme: 'blues' } } } },
        { mark: { type: 'text', fontSize: 11 }, encoding: { text: { field: 'count', type: 'quantitative' } } },
      ],
    },
  } as Spec;
}
