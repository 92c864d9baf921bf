import { test } from 'node:test';
import assert from 'node:assert/strict';
import { weeklyCoverage, coverageSpec } from '../../../src/plots/specs/coverage.ts';
import { renderSvg } from '../../../src/plots/render.ts';
import { allocCandles } from '../../../src/data/candles.ts';

const H = 3_600_000;

test('hours present per coin and week, the last partial week counted against its own length', async () => {
  const a = allocCandles('AAA', 200 - 3);
  let j = 0;
  for (let h = 0; h < 200; h++) if (h !== 5 && h !== 6 && h !== 170) a.openTime[j++] = h * H; // 2 missing in week 1, 1 in week 2
  const b = allocCandles('BBB', 10);
  for (let i = 0; i < 10; i++) b.openTime[i] = (190 + i) * H; // listed late
  const cells = weeklyCoverage([a, b], 0, 199 * H);
  assert.deepEqual(cells.map((c) => [c.coin, c.week / H, c.hours, c.of]), [['AAA', 0, 166, 168], ['AAA', 168, 31, 32], ['BBB', 0, 0, 168], ['BBB', 168, 10, 32]]);
  assert.equal(cells[1].share, 31 / 32);
  assert.equal(cells[1].week_end, 200 * H);
  assert.match(await renderSvg(coverageSpec([a, b], 0, 199 * H)), /BBB/);
});
