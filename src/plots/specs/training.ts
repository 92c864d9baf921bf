// Vega-Lite specs for training: loss and accuracy per epoch (train vs validation).
import type { Spec } from '../render.ts';

export interface CurvePoint { epoch: number; train_loss: number; val_loss: number; val_acc: number; train_acc: number }

/** Two panels: loss (train, validation) and accuracy (train, validation) by epoch. */
export function trainingCurvesSpec(history: CurvePoint[], title = 'Training'): Spec {
  const rows = history.flatMap((h) => [
    { epoch: h.epoch, metric: 'loss', split: 'train', value: h.train_loss },
    { epoch: h.epoch, metric: 'loss', split: 'validation', value: h.val_loss },
    { epoch: h.epoch, metric: 'accuracy', split: 'train', value: h.train_acc },
    { epoch: h.epoch, metric: 'accuracy', split: 'validation', value: h.val_acc },
  ]).filter((r) => Number.isFinite(r.value));
  return {
    title,
    data: { values: rows },
    facet: { column: { field: 'metric', type: 'nominal', title: null, sort: ['loss', 'accuracy'] } },
    spec: {
      width: 300, height: 200,
      mark: { type: 'line', point: true },
      encoding: {
        x: { field: 'epoch', type: 'quantitative', axis: { tickMinStep: 1 } },
        y: { field: 'value', type: 'quantitative', scale: { zero: false }, title: null },
        color: { field: 'split', type: 'nominal' },
      },
    },
    resolve: { scale: { y: 'independent' } },
  } as Spec;
}
