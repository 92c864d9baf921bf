// Vega-Lite spec for the backtest: the equity curve of every strategy over the evaluated hours.
import type { Spec } from '../render.ts';

export interface EquityPoint { method: string; time: string; equity: number }

/** Every n-th point of each series (and its last), so a long series stays a light chart; the last point is exact. */
export function thinEquity(series: Record<string, { times: ArrayLike<number>; equity: ArrayLike<number> }>, maxPoints = 1500): EquityPoint[] {
  const out: EquityPoint[] = [];
  for (const [method, s] of Object.entries(series)) {
    const n = s.equity.length, step = Math.max(1, Math.ceil(n / maxPoints));
    for (let i = 0; i < n; i++) if (i % step === 0 || i === n - 1) out.push({ method, time: new Date(s.times[i]).toISOString(), equity: s.equity[i] });
  }
  return out;
}

/** One line per strategy: equity (start = 1) by time, net of costs. */
export function equitySpec(points: EquityPoint[], title = 'Equity net of costs'): Spec {
  return {
    title, width: 560, height: 280,
    data: { values: points },
    mark: { type: 'line', strokeWidth: 1.5 },
    encoding: {
      x: { field: 'time', type: 'temporal', title: null },
      y: { field: 'equity', type: 'quantitative', scale: { zero: false }, title: 'equity (start = 1)' },
      color: { field: 'method', type: 'nominal' },
    },
  } as Spec;
}
