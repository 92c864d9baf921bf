import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderPng, renderSvg } from '../../src/plots/render.ts';

const spec = {
  $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
  width: 200, height: 100, title: 'demo chart',
  data: { values: [{ x: 1, y: 2 }, { x: 2, y: 5 }, { x: 3, y: 3 }] },
  mark: 'line' as const,
  encoding: { x: { field: 'x', type: 'quantitative' as const }, y: { field: 'y', type: 'quantitative' as const } },
};

test('a vega-lite spec renders to SVG with its title and to a PNG of the right size', async () => {
  const svg = await renderSvg(spec);
  assert.match(svg, /<svg/);
  assert.match(svg, /demo chart/);
  const dir = mkdtempSync(join(tmpdir(), 'tokcast-plot-'));
  const p = await renderPng(spec, join(dir, 'a.png'), { scale: 1 });
  const png = readFileSync(p);
  assert.equal(png.subarray(1, 4).toString('ascii'), 'PNG');
  const w = png.readUInt32BE(16), h = png.readUInt32BE(20);
  assert.ok(w > 200 && w < 400 && h > 100 && h < 250, `png ${w}x${h}`);
});
