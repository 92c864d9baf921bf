// Vega-Lite spec: every coin's close normalised to 1 at its first value, on a log scale (step 1's prices.png).
import type { Spec } from '../render.ts';
import type { CoinCandles } from '../../data/candles.ts';
import { HOUR_MS } from '../../util/calendar.ts';

/** One point per coin per `everyHours` (default: daily) keeps the chart light; the first close of each coin is 1. */
export function pricesSpec(candles: CoinCandles[], opts: { everyHours?: number; title?: string } = {}): Spec {
  const every = opts.everyHours ?? 24;
  const values: { t: number; coin: string; rel: number }[] = [];
  for (const c of candles) {
    if (c.close.length === 0) continue;
    const base = c.close[0];
    let lastT = -Infinity;
    for (let i = 0; i < c.close.length; i++) {
      const t = c.openTime[i];
      if (t - lastT < every * HOUR_MS && i !== c.close.length - 1) continue;
      lastT = t;
      const rel = c.close[i] / base;
      if (rel > 0 && Number.isFinite(rel)) values.push({ t, coin: c.coin, rel });
    }
  }
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: opts.title ?? 'Close, normalised to 1 at each coin\'s first hour (log scale)',
    width: 760, height: 360,
    data: { values },
    mark: { type: 'line', strokeWidth: 1 },
    encoding: {
      x: { field: 't', type: 'temporal', title: 'time (UTC)' },
      y: { field: 'rel', type: 'quantitative', scale: { type: 'log' }, title: 'close / first close' },
      color: { field: 'coin', type: 'nominal', sort: candles.map((c) => c.coin), title: 'coin' },
    },
  };
}
