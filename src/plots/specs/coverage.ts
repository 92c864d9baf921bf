// Vega-Lite spec: data coverage per coin over time as a heatmap of weekly cells (share of the week's grid hours present).
import type { Spec } from '../render.ts';
import type { CoinCandles } from '../../data/candles.ts';
import { HOUR_MS } from '../../util/calendar.ts';

const WEEK = 7 * 24 * HOUR_MS;

export interface CoverageCell { week: number; week_end: number; coin: string; hours: number; of: number; share: number }

/** Hours present per coin per week (weeks from the grid's first hour); `of` is the grid hours in that week. */
export function weeklyCoverage(candles: CoinCandles[], gridStart: number, gridEnd: number): CoverageCell[] {
  const weeks = Math.floor((gridEnd - gridStart) / WEEK) + 1;
  const of = Array.from({ length: weeks }, (_, w) => Math.min(WEEK, gridEnd + HOUR_MS - (gridStart + w * WEEK)) / HOUR_MS);
  const cells: CoverageCell[] = [];
  for (const c of candles) {
    const n = new Array<number>(weeks).fill(0);
    for (const t of c.openTime) if (t >= gridStart && t <= gridEnd) n[Math.floor((t - gridStart) / WEEK)]++;
    for (let w = 0; w < weeks; w++) cells.push({ week: gridStart + w * WEEK, week_end: gridStart + w * WEEK + of[w] * HOUR_MS, coin: c.coin, hours: n[w], of: of[w], share: n[w] / of[w] });
  }
  return cells;
}

/** Heatmap: x = week, y = coin, colour = share of hours present (grey none, orange some missing, blue all). */
export function coverageSpec(candles: CoinCandles[], gridStart: number, gridEnd: number, opts: { title?: string } = {}): Spec {
  const values = weeklyCoverage(candles, gridStart, gridEnd);
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: opts.title ?? 'Hours present per coin and week',
    width: 760, height: Math.max(60, 22 * candles.length),
    data: { values },
    mark: { type: 'rect' },
    encoding: {
      x: { field: 'week', type: 'temporal', title: 'week (UTC)' },
      x2: { field: 'week_end' },
      y: { field: 'coin', type: 'nominal', sort: candles.map((c) => c.coin), title: null },
      // grey = no data, orange = some hours missing (even one), blue = complete
      color: { field: 'share', type: 'quantitative', scale: { domain: [0, 0.995, 1], range: ['#eeeeee', '#f28e2b', '#2c7bb6'] }, title: 'share of hours' },
      tooltip: [{ field: 'coin' }, { field: 'week', type: 'temporal' }, { field: 'hours' }, { field: 'of' }],
    },
  };
}
