import { test } from 'node:test';
import assert from 'node:assert/strict';
import { walkForwardSpec } from '../../../src/plots/specs/walk-forward.ts';
import { renderSvg } from '../../../src/plots/render.ts';

test('one panel per metric in the given order; missing values are left out, not drawn as zero', async () => {
  const rows = [
    { fold: 1, method: 'model', metric: 'sharpe', value: 1.5 }, { fold: 2, method: 'model', metric: 'sharpe', value: null },
    { fold: 1, method: 'model', metric: 'accuracy_h1', value: 0.4 }, { fold: 1, method: 'hold', metric: 'accuracy_h1', value: NaN },
  ];
  const spec = walkForwardSpec(rows) as unknown as { data: { values: typeof rows }; facet: { column: { sort: string[] } } };
  assert.deepEqual(spec.facet.column.sort, ['sharpe', 'accuracy_h1']);
  assert.deepEqual(spec.data.values.map((r) => r.value), [1.5, 0.4]);
  assert.match(await renderSvg(walkForwardSpec(rows)), /accuracy_h1/);
});
