// Renders a Vega-Lite spec to SVG (vega's headless renderer) and the SVG to PNG (resvg, DejaVu fonts), atomically.
import { existsSync } from 'node:fs';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { Resvg } from '@resvg/resvg-js';
import { writeFileAtomic } from '../util/fs.ts';

export type Spec = TopLevelSpec;

const FONT_DIRS = ['/usr/share/fonts/truetype/dejavu', '/usr/share/fonts/truetype', '/usr/share/fonts'];
const FONT = 'DejaVu Sans';

/** Vega-Lite spec -> SVG text. Fonts default to DejaVu Sans so the PNG looks the same on every machine. */
export async function renderSvg(spec: Spec): Promise<string> {
  const withFont = {
    ...spec,
    config: {
      font: FONT,
      background: 'white',
      ...(spec as { config?: object }).config,
    },
  } as Spec;
  const vgSpec = compile(withFont).spec;
  const view = new vega.View(vega.parse(vgSpec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** SVG text -> PNG bytes at the given scale. */
export function svgToPng(svg: string, scale = 2): Uint8Array {
  const fontDirs = FONT_DIRS.filter((d) => existsSync(d));
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: scale },
    background: 'white',
    font: { loadSystemFonts: fontDirs.length === 0, fontDirs, defaultFontFamily: FONT },
  });
  return resvg.render().asPng();
}

/** Renders a Vega-Lite spec to a PNG file (atomic write); returns the path. */
export async function renderPng(spec: Spec, path: string, opts: { scale?: number; svgPath?: string } = {}): Promise<string> {
  const svg = await renderSvg(spec);
  if (opts.svgPath) writeFileAtomic(opts.svgPath, svg);
  writeFileAtomic(path, svgToPng(svg, opts.scale ?? 2));
  return path;
}
