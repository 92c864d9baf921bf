// The threshold strategy: the validation choice of the threshold (or no trading) and the paired interval of a Sharpe
// difference.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { thresholdGrid } from '../../src/backtest/signal.ts';
import { chooseThreshold, runThreshold, sharpeDifference } from '../../src/backtest/strategy.ts';
import { Rng } from '../../src/util/rng.ts';

// returns whose sign the score predicts only when |score| is large
function market(n: number, seed: number) {
  const rng = new Rng(seed), score = new Float64Array(n), returns = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    score[i] = rng.random() * 2 - 1;
    const strong = Math.abs(score[i]) > 0.8;
    returns[i] = (strong ? Math.sign(score[i]) * 0.004 : 0) + (rng.random() - 0.5) * 0.01;
  }
  return { score, returns };
}

test('the chosen threshold is the best of the grid on validation and trades only the strong signals', () => {
  const { score, returns } = market(4000, 1);
  const c = { costPerSide: 0.001, allowShort: true };
  const ch = chooseThreshold(score, { returns }, c);
  const sharpes = thresholdGrid(score).map((t) => runThreshold(score, t, { returns }, c).metrics.sharpe);
  assert.equal(ch.sharpe, Math.max(...sharpes));
  assert.ok(ch.threshold !== null && ch.threshold >= 0.5, `threshold ${ch.threshold}`);
  // a score that is always wrong: every threshold loses, so the strategy does not trade
  const wrong = chooseThreshold(score.map((s, i) => -Math.sign(returns[i]) * Math.abs(s)), { returns }, c);
  assert.equal(wrong.threshold, null);
  assert.equal(runThreshold(score, null, { returns }, c).metrics.exposure, 0);
});

test('Sharpe difference: zero interval for identical series, above zero for a clearly better one', () => {
  const { score, returns } = market(3000, 2);
  const c = { costPerSide: 0, allowShort: true };
  const good = runThreshold(score, 0.8, { returns }, c).pnl.net;
  const hold = runThreshold(new Float64Array(3000).fill(1), 0, { returns }, c).pnl.net;
  const opts = { samples: 200, confidence: 0.95, block: 24, seed: 3 };
  const same = sharpeDifference(good, good, opts);
  assert.deepEqual([same.estimate, same.low, same.high], [0, 0, 0]);
  const d = sharpeDifference(good, hold, opts);
  assert.ok(d.low > 0 && d.low <= d.estimate && d.estimate <= d.high, JSON.stringify(d));
});
