// A threshold strategy end to end: its threshold chosen on validation (the one with the best net Sharpe there, or no
// trading at all when none beats zero), then run on the evaluation hours; and the paired bootstrap interval of the
// difference between two strategies' Sharpe ratios on the same hours.
import { positionsFromScore, thresholdGrid } from './signal.ts';
import { simulate, metricsOf, sharpeOf, HOURS_PER_YEAR, type PnL, type StrategyMetrics } from './simulate.ts';
import { bootstrapStat, type Interval } from '../evaluate/bootstrap.ts';

export interface Market {
  /** close-to-close simple return of each hour */
  returns: ArrayLike<number>;
  /** breaks[i]: hour i does not follow hour i-1 (a gap) */
  breaks?: ArrayLike<boolean>;
}

export interface CostModel { costPerSide: number; allowShort: boolean; periodsPerYear?: number }

export interface StrategyRun { positions: Int8Array; pnl: PnL; metrics: StrategyMetrics }

/** Runs fixed positions on a market. */
export function runPositions(positions: Int8Array, m: Market, c: CostModel): StrategyRun {
  const pnl = simulate(positions, m.returns, c.costPerSide, m.breaks);
  return { positions, pnl, metrics: metricsOf(pnl, positions, m.returns, c.periodsPerYear ?? HOURS_PER_YEAR) };
}

/** Runs the threshold rule (threshold null: never trade). */
export function runThreshold(score: ArrayLike<number>, threshold: number | null, m: Market, c: CostModel): StrategyRun {
  const positions = threshold === null ? new Int8Array(score.length) : positionsFromScore(score, threshold, c.allowShort);
  return runPositions(positions, m, c);
}

export interface ThresholdChoice { threshold: number | null; sharpe: number; tried: number }

/** The threshold of the grid with the best net Sharpe on these (validation) hours; null when none is above 0. */
export function chooseThreshold(score: ArrayLike<number>, m: Market, c: CostModel): ThresholdChoice {
  const grid = thresholdGrid(score);
  let best: ThresholdChoice = { threshold: null, sharpe: 0, tried: grid.length };
  for (const t of grid) {
    const s = runThreshold(score, t, m, c).metrics.sharpe;
    if (s > best.sharpe) best = { threshold: t, sharpe: s, tried: grid.length };
  }
  return best;
}

/** Sharpe(a) - Sharpe(b) on the same hours, with a paired moving-block bootstrap percentile interval. */
export function sharpeDifference(netA: Float64Array, netB: Float64Array,
  opts: { samples: number; confidence: number; block: number; seed: number; periodsPerYear?: number }): Interval {
  if (netA.length !== netB.length) throw new Error(`sharpeDifference: ${netA.length} vs ${netB.length} hours`);
  const ppy = opts.periodsPerYear ?? HOURS_PER_YEAR;
  return bootstrapStat((idx) => sharpeOf(netA, ppy, idx) - sharpeOf(netB, ppy, idx), netA.length, opts);
}
