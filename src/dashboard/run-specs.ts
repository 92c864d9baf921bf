// Vega-Lite spec the run page needs that the pipeline does not draw: the learning rate per epoch.
import type { Spec } from '../plots/render.ts';

/** Learning rate by epoch (log scale when it spans more than a factor 10). */
export function learningRateSpec(history: readonly { epoch: number; lr: number }[], title = 'Learning rate'): Spec {
  const rows = history.filter((h) => Number.isFinite(h.lr) && h.lr > 0).map((h) => ({ epoch: h.epoch, lr: h.lr }));
  const lrs = rows.map((r) => r.lr);
  const log = lrs.length > 0 && Math.max(...lrs) / Math.min(...lrs) > 10;
  return {
    title, width: 300, height: 200,
    data: { values: rows },
    mark: { type: 'line', point: true, color: '#9467bd' },
    encoding: {
      x: { field: 'epoch', type: 'quantitative', axis: { tickMinStep: 1 } },
      y: { field: 'lr', type: 'quantitative', title: 'learning rate', scale: { type: log ? 'log' : 'linear', zero: false } },
    },
  } as Spec;
}
