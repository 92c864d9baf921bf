import { test } from 'node:test';
import assert from 'node:assert/strict';
import { reliabilitySpec } from '../../../src/plots/specs/calibration.ts';
import { renderSvg } from '../../../src/plots/render.ts';

test('the reliability diagram has one panel per hour, one line per method, the diagonal, and skips empty bins', async () => {
  const bins = [
    { low: 0, high: 0.5, count: 10, confidence: 0.3, frequency: 0.25 },
    { low: 0.5, high: 1, count: 0, confidence: NaN, frequency: NaN },
  ];
  const spec = reliabilitySpec([{ method: 'model', hour: 1, bins }, { method: 'garch', hour: 4, bins }]) as unknown as { data: { values: Array<{ method: string; hour: string }> } };
  const rows = spec.data.values;
  assert.equal(rows.filter((r) => r.method === 'model').length, 1, 'the empty bin is left out');
  assert.equal(rows.filter((r) => r.method === 'perfect calibration').length, 4, 'two diagonal ends per panel');
  const svg = await renderSvg(spec as never);
  for (const s of ['hour 1', 'hour 4', 'garch', 'model']) assert.match(svg, new RegExp(s));
});
