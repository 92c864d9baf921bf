// Vega-Lite spec for hyperparameter importances (fANOVA by default): one horizontal bar per parameter, largest on top.
// Same content as Optuna's plot_param_importances.
import type { Spec } from '../render.ts';

/** Bars of importance by parameter, labelled with their value. */
export function paramImportanceSpec(importances: Readonly<Record<string, number>>, title = 'Hyperparameter importance (fANOVA)'): Spec {
  const rows = Object.entries(importances)
    .sort((a, b) => b[1] - a[1])
    .map(([param, importance]) => ({ param, importance, label: importance.toFixed(3) }));
  const order = rows.map((r) => r.param);
  const y = { field: 'param', type: 'nominal', sort: order, title: 'hyperparameter' };
  return {
    title,
    width: 420, height: Math.max(60, 26 * rows.length),
    data: { values: rows },
    layer: [
      { mark: { type: 'bar', color: '#1f77b4' },
        encoding: { y, x: { field: 'importance', type: 'quantitative', title: 'importance', scale: { domain: [0, Math.max(1e-12, ...rows.map((r) => r.importance)) * 1.15] } } } },
      { mark: { type: 'text', align: 'left', dx: 4 },
        encoding: { y, x: { field: 'importance', type: 'quantitative' }, text: { field: 'label' } } },
    ],
  } as Spec;
}
