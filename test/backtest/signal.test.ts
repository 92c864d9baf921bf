// Signals: up/down bins from the edges, P(up) - P(down), positions by the threshold rule, the threshold grid.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { directionOfBins, upMinusDown, positionsFromScore, thresholdGrid } from '../../src/backtest/signal.ts';

test('bins above zero are up, below are down, the one across zero is flat', () => {
  assert.deepEqual(directionOfBins([[null, -0.003], [-0.003, 0.003], [0.003, null]]), { up: [2], down: [0] });
  assert.deepEqual(directionOfBins([[null, -0.01], [-0.01, 0], [0, 0.01], [0.01, null]]), { up: [2, 3], down: [0, 1] });
  const s = upMinusDown([0.2, 0.3, 0.5, 0.6, 0.3, 0.1], 3, { up: [2], down: [0] });
  assert.ok(Math.abs(s[0] - 0.3) < 1e-12 && Math.abs(s[1] + 0.5) < 1e-12);
});

test('long above the threshold, short below its negative, flat between; no shorts when shorting is off', () => {
  assert.deepEqual([...positionsFromScore([0.3, 0.1, -0.1, -0.3, 0.2], 0.15, true)], [1, 0, 0, -1, 1]);
  assert.deepEqual([...positionsFromScore([0.3, -0.3], 0.15, false)], [1, 0]);
  const g = thresholdGrid([0.1, -0.4, 0.2, 0.05]);
  assert.equal(g[0], 0);
  assert.ok(g.every((t, i) => i === 0 || t > g[i - 1]));
});
