import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pricesSpec } from '../../../src/plots/specs/prices.ts';
import { renderSvg } from '../../../src/plots/render.ts';
import { allocCandles } from '../../../src/data/candles.ts';

test('closes are normalised to 1 at each coin\'s first value, one point a day plus the last hour, log y scale', async () => {
  const a = allocCandles('AAA', 72), b = allocCandles('BBB', 30);
  for (let i = 0; i < 72; i++) { a.openTime[i] = i * 3_600_000; a.close[i] = 10 * (1 + i / 10); }
  for (let i = 0; i < 30; i++) { b.openTime[i] = (42 + i) * 3_600_000; b.close[i] = 0.5; }
  const spec = pricesSpec([a, b]) as unknown as { data: { values: { t: number; coin: string; rel: number }[] }; encoding: { y: { scale: { type: string } } } };
  const va = spec.data.values.filter((v) => v.coin === 'AAA');
  assert.deepEqual(va.map((v) => v.t / 3_600_000), [0, 24, 48, 71]);
  assert.deepEqual(va.map((v) => v.rel), [1, 1 + 24 / 10, 1 + 48 / 10, 1 + 71 / 10]);
  assert.ok(spec.data.values.filter((v) => v.coin === 'BBB').every((v) => v.rel === 1));
  assert.equal(spec.encoding.y.scale.type, 'log');
  assert.match(await renderSvg(pricesSpec([a, b])), /AAA/);
});
