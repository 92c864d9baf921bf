// Benchmark: the backtest's domain work for 5,000 validation and 5,000 test hours and six forecasters (threshold
// search on validation, the test runs, buy-and-hold, 1,000 paired bootstrap resamples of the Sharpe difference).
import { buildBacktest } from '../src/backtest/report.ts';
import { Rng } from '../src/util/rng.ts';
import { measure, round } from './util.ts';
import { loadavg } from 'node:os';

export const figureNames = ['backtest_5000'];

export async function benchBacktest(): Promise<Record<string, unknown>> {
  const n = 5000, rng = new Rng(1);
  const series = () => Float64Array.from({ length: n }, () => rng.random() * 2 - 1);
  const ret = () => Float64Array.from({ length: n }, () => (rng.random() - 0.5) * 0.02);
  const scores = Object.fromEntries(['model', 'persistence', 'majority', 'markov', 'window_majority', 'logistic'].map((k) => [k, { validation: series(), test: series() }]));
  const val = { returns: ret() }, test = { returns: ret() };
  const t = await measure(() => buildBacktest(scores, val, test, { costPerSide: 0.001, allowShort: true }, { samples: 1000, confidence: 0.95, block: 24, seed: 1 }), { warmup: 1, runs: 5 });
  return { name: 'backtest_5000', hours: n, methods: 6, bootstrap_samples: 1000, median_s: round(t.median_ms / 1000, 3), min_s: round(t.min_ms / 1000, 3), max_s: round(t.max_ms / 1000, 3), runs: t.runs, warmup: t.warmup, load_avg_1m: round(loadavg()[0], 2) };
}
