import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderSvg } from '../../../src/plots/render.ts';
import { intermediateValuesSpec } from '../../../src/plots/specs/tuning-intermediate.ts';

test('learning curves: one line per trial, a cross at each pruned trial\'s last report', async () => {
  const spec = intermediateValuesSpec([
    { number: 0, state: 'COMPLETE', intermediate: [[0, 1.2], [1, 1.0], [2, 0.9]] },
    { number: 1, state: 'PRUNED', intermediate: [[1, 1.4], [0, 1.5], [2, NaN]] },
    { number: 2, state: 'FAIL', intermediate: [] },
  ]) as unknown as { layer: { data: { values: Record<string, number | string>[] } }[] };
  assert.equal(spec.layer[0].data.values.length, 5, 'NaN reports are left out');
  assert.deepEqual(spec.layer[1].data.values, [{ trial: 1, step: 1, value: 1.4 }]);
  const svg = await renderSvg(spec as never);
  for (const label of ['PRUNED', 'COMPLETE', 'epoch', 'validation loss']) assert.ok(svg.includes(label), label);
});
