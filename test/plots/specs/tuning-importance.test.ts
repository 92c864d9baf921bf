import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderSvg } from '../../../src/plots/render.ts';
import { paramImportanceSpec } from '../../../src/plots/specs/tuning-importance.ts';

test('importance bars are ordered largest first and labelled', async () => {
  const spec = paramImportanceSpec({ dropout: 0.1, lr: 0.7, n_layers: 0.2 }) as unknown as { data: { values: { param: string }[] } };
  assert.deepEqual(spec.data.values.map((r) => r.param), ['lr', 'n_layers', 'dropout']);
  const svg = await renderSvg(spec as never);
  for (const label of ['lr', 'n_layers', 'dropout', '0.700', 'Hyperparameter importance']) assert.ok(svg.includes(label), label);
  assert.ok(svg.indexOf('>lr<') < svg.indexOf('>dropout<'), 'lr is drawn above dropout');
});
