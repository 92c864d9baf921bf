import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderSvg } from '../../src/plots/render.ts';
import { trainingCurvesSpec } from '../../src/plots/specs/training.ts';
import { accuracyByHourSpec, confusionSpec } from '../../src/plots/specs/evaluation.ts';
import { buildReport } from '../../src/evaluate/report.ts';

test('training curves and evaluation charts render with their labels', async () => {
  const svg = await renderSvg(trainingCurvesSpec([
    { epoch: 1, train_loss: 1.1, val_loss: 1.09, train_acc: 0.35, val_acc: 0.36 },
    { epoch: 2, train_loss: 1.0, val_loss: 1.05, train_acc: 0.4, val_acc: 0.38 },
  ]));
  assert.match(svg, /validation/);
  const truth = Uint8Array.from([0, 1, 2, 1, 0, 2, 1, 1]);
  const r = buildReport({ model: { pred: truth, probs: null }, persistence: { pred: new Uint8Array(8), probs: null } }, truth, 4, 2, 3,
    { samples: 20, confidence: 0.9, block: 1, seed: 1 });
  assert.match(await renderSvg(accuracyByHourSpec(r)), /persistence/);
  assert.match(await renderSvg(confusionSpec(r.methods.model.confusion)), /hour_1/);
});
