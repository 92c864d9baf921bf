// The backtest's arithmetic against a hand computation: positions, a fee on every change and on the final close,
// equity, drawdown, turnover, trades, hit rate, exposure and the annualised ratios.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { simulate, metricsOf, sharpeOf, HOURS_PER_YEAR } from '../../src/backtest/simulate.ts';

const near = (a: number, b: number, tol = 1e-12) => assert.ok(Math.abs(a - b) <= tol, `${a} != ${b}`);

test('a five-hour series equals the hand computation', () => {
  const r = [0.01, -0.02, 0.03, 0.01, -0.01];
  const p = [1, 1, -1, 0, 1];
  const pnl = simulate(p, r, 0.001);
  // traded: enter 1; hold; long -> short 2; short -> flat 1; enter 1 + close at the end 1
  assert.deepEqual([...pnl.traded], [1, 0, 2, 1, 2]);
  [0.001, 0, 0.002, 0.001, 0.002].forEach((c, i) => near(pnl.cost[i], c));
  const net = [0.009, -0.02, -0.032, -0.001, -0.012];
  net.forEach((x, i) => near(pnl.net[i], x));
  const eq = [1.009, 1.009 * 0.98, 1.009 * 0.98 * 0.968, 1.009 * 0.98 * 0.968 * 0.999, 1.009 * 0.98 * 0.968 * 0.999 * 0.988];
  eq.forEach((x, i) => near(pnl.equity[i], x));
  assert.equal(pnl.trades, 5);

  const m = metricsOf(pnl, p, r);
  near(m.total_return, eq[4] - 1);
  near(m.annualized_return, eq[4] ** (HOURS_PER_YEAR / 5) - 1, 1e-9);
  near(m.max_drawdown, 1 - eq[4] / 1.009);
  near(m.turnover, 6 / 5);
  assert.equal(m.trades, 5);
  near(m.exposure, 4 / 5);
  near(m.hit_rate!, 1 / 4); // only hour 0 gained before costs
  near(m.total_cost, 0.006);
  const mean = net.reduce((a, b) => a + b) / 5;
  const sd = Math.sqrt(net.reduce((a, x) => a + (x - mean) ** 2, 0) / 4);
  near(m.sharpe, (mean / sd) * Math.sqrt(HOURS_PER_YEAR), 1e-9);
  const downside = Math.sqrt(net.filter((x) => x < 0).reduce((a, x) => a + x * x, 0) / 5);
  near(m.sortino, (mean / downside) * Math.sqrt(HOURS_PER_YEAR), 1e-9);
});

test('a gap closes the position before it and reopens after it, paying both sides', () => {
  const pnl = simulate([1, 1, 1], [0.01, 0.01, 0.01], 0.01, [false, true, false]);
  assert.deepEqual([...pnl.traded], [2, 1, 1]);
  assert.equal(pnl.trades, 4);
  near(pnl.net[0], 0.01 - 0.02);
  near(pnl.net[1], 0.01 - 0.01);
});

test('a strategy that never trades: zero return, zero Sharpe, no hit rate; buy-and-hold pays one round trip', () => {
  const r = [0.02, -0.01, 0.005];
  const flat = metricsOf(simulate([0, 0, 0], r, 0.001), [0, 0, 0], r);
  assert.equal(flat.total_return, 0);
  assert.equal(flat.sharpe, 0);
  assert.equal(flat.hit_rate, null);
  assert.equal(flat.exposure, 0);
  const hold = simulate([1, 1, 1], r, 0.001);
  near(hold.equity[2], (1.02 - 0.001) * 0.99 * (1.005 - 0.001));
  assert.equal(hold.trades, 2);
});

test('sharpeOf on chosen indices equals it on the gathered series', () => {
  const x = [0.01, -0.02, 0.005, 0.03, -0.01, 0.002];
  const idx = [5, 0, 0, 3, 2];
  near(sharpeOf(x, 100, idx), sharpeOf(idx.map((i) => x[i]), 100));
  assert.equal(sharpeOf([0.01, 0.01, 0.01]), 0);
});
