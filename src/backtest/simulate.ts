// Hour-by-hour profit and loss of a position series on close-to-close returns, net of costs, and its metrics.
// Position p_i (+1 long, 0 flat, -1 short) is taken at the close before hour i and earns p_i * r_i over it.
// Every change of position pays `costPerSide` (fee + slippage, a fraction of the notional traded) on |p_i - p_{i-1}|;
// the position is closed (and pays) after the last hour and before every gap in the data (breaks[i] = true: hour i
// does not follow hour i-1), so no return is earned or lost on hours that are missing.

export interface PnL {
  /** net return of each hour: p_i * r_i - cost_i */
  net: Float64Array;
  /** cost of each hour, as a fraction of equity */
  cost: Float64Array;
  /** equity after each hour, starting from 1 */
  equity: Float64Array;
  /** notional traded at each hour (|change of position|, the closing trades included) */
  traded: Float64Array;
  /** number of trades: every change of position, and every close at a gap or at the end */
  trades: number;
}

export function simulate(positions: ArrayLike<number>, returns: ArrayLike<number>, costPerSide: number, breaks?: ArrayLike<boolean>): PnL {
  const n = positions.length;
  if (returns.length !== n) throw new Error(`simulate: ${n} positions but ${returns.length} returns`);
  const net = new Float64Array(n), cost = new Float64Array(n), equity = new Float64Array(n), traded = new Float64Array(n);
  let e = 1, trades = 0;
  for (let i = 0; i < n; i++) {
    const prev = i === 0 || breaks?.[i] ? 0 : positions[i - 1];
    const closesAfter = i === n - 1 || Boolean(breaks?.[i + 1]);
    if (positions[i] !== prev) trades++;
    if (closesAfter && positions[i] !== 0) trades++;
    traded[i] = Math.abs(positions[i] - prev) + (closesAfter ? Math.abs(positions[i]) : 0);
    cost[i] = costPerSide * traded[i];
    net[i] = positions[i] * returns[i] - cost[i];
    e *= 1 + net[i];
    equity[i] = e;
  }
  return { net, cost, equity, traded, trades };
}

export interface StrategyMetrics {
  hours: number;
  total_return: number;
  annualized_return: number;
  /** mean / standard deviation of hourly net returns x sqrt(periods per year); 0 when the returns do not vary */
  sharpe: number;
  /** mean / downside deviation (root mean square of the negative hourly returns) x sqrt(periods per year) */
  sortino: number;
  /** largest fall of equity from its running peak (the start, 1, counts as a peak), as a fraction */
  max_drawdown: number;
  /** mean notional traded per hour */
  turnover: number;
  /** position changes (closing trades included) */
  trades: number;
  /** share of hours in the market whose gross return was positive; null when never in the market */
  hit_rate: number | null;
  /** share of hours with a position */
  exposure: number;
  total_cost: number;
}

export const HOURS_PER_YEAR = 24 * 365;

/** Sharpe ratio of hourly returns at the given indices (all when idx is null), annualised. */
export function sharpeOf(net: ArrayLike<number>, periodsPerYear = HOURS_PER_YEAR, idx: ArrayLike<number> | null = null): number {
  const n = idx ? idx.length : net.length;
  if (n < 2) return 0;
  let s = 0;
  for (let k = 0; k < n; k++) s += net[idx ? idx[k] : k];
  const m = s / n;
  let v = 0;
  for (let k = 0; k < n; k++) { const d = net[idx ? idx[k] : k] - m; v += d * d; }
  const sd = Math.sqrt(v / (n - 1));
  return sd > 1e-15 ? (m / sd) * Math.sqrt(periodsPerYear) : 0;
}

export function metricsOf(pnl: PnL, positions: ArrayLike<number>, returns: ArrayLike<number>, periodsPerYear = HOURS_PER_YEAR): StrategyMetrics {
  const n = positions.length;
  const final = n ? pnl.equity[n - 1] : 1;
  let mean = 0, down = 0, peak = 1, mdd = 0, traded = 0, inMarket = 0, hits = 0, cost = 0;
  for (let i = 0; i < n; i++) {
    mean += pnl.net[i];
    if (pnl.net[i] < 0) down += pnl.net[i] * pnl.net[i];
    peak = Math.max(peak, pnl.equity[i]);
    mdd = Math.max(mdd, 1 - pnl.equity[i] / peak);
    traded += pnl.traded[i];
    cost += pnl.cost[i];
    if (positions[i] !== 0) { inMarket++; if (positions[i] * returns[i] > 0) hits++; }
  }
  mean = n ? mean / n : 0;
  const dd = n ? Math.sqrt(down / n) : 0;
  return {
    hours: n,
    total_return: final - 1,
    annualized_return: n && final > 0 ? final ** (periodsPerYear / n) - 1 : final > 0 ? 0 : -1,
    sharpe: sharpeOf(pnl.net, periodsPerYear),
    sortino: dd > 1e-15 ? (mean / dd) * Math.sqrt(periodsPerYear) : 0,
    max_drawdown: mdd,
    turnover: n ? traded / n : 0,
    trades: pnl.trades,
    hit_rate: inMarket ? hits / inMarket : null,
    exposure: n ? inMarket / n : 0,
    total_cost: cost,
  };
}
