// The backtest of several forecasters side by side: each one's threshold chosen on the validation hours, every
// strategy run on the evaluation hours, buy-and-hold beside them, and the model's Sharpe against the alternative that
// did best on validation, with a paired block-bootstrap interval.
import { chooseThreshold, runPositions, runThreshold, sharpeDifference, type CostModel, type Market, type StrategyRun } from './strategy.ts';
import type { StrategyMetrics } from './simulate.ts';
import type { Interval } from '../evaluate/bootstrap.ts';
import { optimalBlockLength } from '../evaluate/block-length.ts';

export const BUY_AND_HOLD = 'buy_and_hold';

export interface MethodBacktest {
  /** null: no threshold made money on validation, so the strategy stays flat; buy-and-hold has none */
  threshold: number | null;
  validation: StrategyMetrics;
  test: StrategyMetrics;
}

export interface BacktestComparison {
  best_alternative: string;
  /** Sharpe(model) - Sharpe(best alternative) on the evaluation hours */
  sharpe_difference: Interval;
  /** block length (hours) of the paired bootstrap: as given, or chosen from the hourly net-return differences */
  block: number;
  model_better: boolean;
  model_worse: boolean;
}

export interface BacktestReport {
  methods: Record<string, MethodBacktest>;
  comparison: BacktestComparison | null;
  /** the evaluation hours' runs (positions, net returns, equity) by method */
  runs: Record<string, StrategyRun>;
}

/**
 * scores[method] = P(up) - P(down) on the validation and the evaluation hours. The alternatives are every method but
 * `modelName`, and buy-and-hold; the best is the one with the highest validation Sharpe.
 */
export function buildBacktest(scores: Record<string, { validation: ArrayLike<number>; test: ArrayLike<number> }>, validation: Market, test: Market,
  cost: CostModel, opts: { samples: number; confidence: number; block: number | 'auto'; seed: number; modelName?: string }): BacktestReport {
  const modelName = opts.modelName ?? 'model';
  const methods: Record<string, MethodBacktest> = {}, runs: Record<string, StrategyRun> = {};
  const valSharpe: Record<string, number> = {};
  for (const [name, s] of Object.entries(scores)) {
    const choice = chooseThreshold(s.validation, validation, cost);
    const val = runThreshold(s.validation, choice.threshold, validation, cost);
    const run = runThreshold(s.test, choice.threshold, test, cost);
    methods[name] = { threshold: choice.threshold, validation: val.metrics, test: run.metrics };
    runs[name] = run;
    valSharpe[name] = val.metrics.sharpe;
  }
  const hold = (m: Market) => runPositions(new Int8Array(m.returns.length).fill(1), m, cost);
  const holdVal = hold(validation), holdTest = hold(test);
  methods[BUY_AND_HOLD] = { threshold: null, validation: holdVal.metrics, test: holdTest.metrics };
  runs[BUY_AND_HOLD] = holdTest;
  valSharpe[BUY_AND_HOLD] = holdVal.metrics.sharpe;

  let comparison: BacktestComparison | null = null;
  if (runs[modelName]) {
    const alternatives = Object.keys(methods).filter((k) => k !== modelName);
    const best = alternatives.reduce((a, b) => (valSharpe[b] > valSharpe[a] ? b : a));
    const a = runs[modelName].pnl.net, b = runs[best].pnl.net;
    // 'auto': Politis-White on the hourly differences of the two net return series (the dependence the pairs carry)
    const block = opts.block === 'auto' ? Math.max(1, Math.round(optimalBlockLength(Float64Array.from(a, (x, i) => x - b[i])).circular)) : opts.block;
    const d = sharpeDifference(a, b, { ...opts, block });
    comparison = { best_alternative: best, sharpe_difference: d, block, model_better: d.low > 0, model_worse: d.high < 0 };
  }
  return { methods, comparison, runs };
}
