import { test } from 'node:test';
import assert from 'node:assert/strict';
import { thinEquity, equitySpec } from '../../../src/plots/specs/backtest.ts';
import { renderSvg } from '../../../src/plots/render.ts';

test('equity points are thinned to every n-th hour, the last hour always kept exactly', async () => {
  const times = Array.from({ length: 10 }, (_, i) => i * 3_600_000);
  const pts = thinEquity({ model: { times, equity: times.map((_, i) => 1 + i / 100) }, hold: { times: times.slice(0, 3), equity: [1, 0.9, 0.8] } }, 4);
  const m = pts.filter((p) => p.method === 'model');
  assert.deepEqual(m.map((p) => p.equity), [1, 1.03, 1.06, 1.09]);
  assert.equal(m[3].time, new Date(9 * 3_600_000).toISOString());
  assert.deepEqual(pts.filter((p) => p.method === 'hold').map((p) => p.equity), [1, 0.9, 0.8]);
  assert.match(await renderSvg(equitySpec(pts)), /hold/);
});
