// Several forecasters side by side: thresholds from validation only, buy-and-hold beside them, the best alternative
// chosen on validation, and the interval of the model's Sharpe against it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildBacktest, BUY_AND_HOLD } from '../../src/backtest/report.ts';
import { chooseThreshold, runThreshold } from '../../src/backtest/strategy.ts';
import { Rng } from '../../src/util/rng.ts';
import { optimalBlockLength } from '../../src/evaluate/block-length.ts';

function market(n: number, seed: number, edge: number) {
  const rng = new Rng(seed), informed = new Float64Array(n), noise = new Float64Array(n), returns = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    informed[i] = rng.random() * 2 - 1;
    noise[i] = rng.random() * 2 - 1;
    returns[i] = (Math.abs(informed[i]) > 0.7 ? Math.sign(informed[i]) * edge : 0) + (rng.random() - 0.5) * 0.01;
  }
  return { informed, noise, returns };
}

test('an informed model beats noise and buy-and-hold; thresholds come from validation alone', () => {
  const v = market(3000, 1, 0.004), t = market(3000, 2, 0.004);
  const cost = { costPerSide: 0.0005, allowShort: true };
  const opts = { samples: 200, confidence: 0.95, block: 24, seed: 5 };
  const r = buildBacktest({ model: { validation: v.informed, test: t.informed }, noise: { validation: v.noise, test: t.noise } },
    { returns: v.returns }, { returns: t.returns }, cost, opts);
  assert.deepEqual(Object.keys(r.methods).sort(), [BUY_AND_HOLD, 'model', 'noise']);
  assert.equal(r.methods.model.threshold, chooseThreshold(v.informed, { returns: v.returns }, cost).threshold);
  assert.deepEqual(r.methods.model.test, runThreshold(t.informed, r.methods.model.threshold, { returns: t.returns }, cost).metrics);
  assert.equal(r.methods[BUY_AND_HOLD].test.exposure, 1);
  assert.ok(r.comparison && r.comparison.model_better, JSON.stringify(r.comparison));
  // the best alternative is the one with the higher validation Sharpe
  const other = r.comparison!.best_alternative === 'noise' ? BUY_AND_HOLD : 'noise';
  assert.ok(r.methods[r.comparison!.best_alternative].validation.sharpe >= r.methods[other].validation.sharpe);
  // the same test hours with shuffled validation: the test split never chooses anything, so changing only the
  // test returns leaves every threshold as it was
  const t2 = market(3000, 3, 0.004);
  const r2 = buildBacktest({ model: { validation: v.informed, test: t2.informed }, noise: { validation: v.noise, test: t2.noise } },
    { returns: v.returns }, { returns: t2.returns }, cost, opts);
  assert.equal(r2.methods.model.threshold, r.methods.model.threshold);
  assert.equal(r2.methods.noise.threshold, r.methods.noise.threshold);
});

test('a model with no edge is not called better', () => {
  const v = market(2000, 4, 0), t = market(2000, 5, 0);
  const r = buildBacktest({ model: { validation: v.noise, test: t.noise } }, { returns: v.returns }, { returns: t.returns },
    { costPerSide: 0.001, allowShort: true }, { samples: 200, confidence: 0.95, block: 24, seed: 1 });
  assert.equal(r.comparison!.best_alternative, BUY_AND_HOLD);
  assert.equal(r.comparison!.model_better, false);
});

test("block 'auto': the Sharpe-difference interval uses the Politis-White length of the net-return differences", () => {
  const v = market(3000, 6, 0.004), t = market(3000, 7, 0.004);
  const cost = { costPerSide: 0.0005, allowShort: true };
  const scores = { model: { validation: v.informed, test: t.informed }, noise: { validation: v.noise, test: t.noise } };
  const fixed = buildBacktest(scores, { returns: v.returns }, { returns: t.returns }, cost, { samples: 200, confidence: 0.95, block: 24, seed: 5 });
  assert.equal(fixed.comparison!.block, 24);
  const auto = buildBacktest(scores, { returns: v.returns }, { returns: t.returns }, cost, { samples: 200, confidence: 0.95, block: 'auto', seed: 5 });
  const a = auto.runs.model.pnl.net, b = auto.runs[auto.comparison!.best_alternative].pnl.net;
  const expected = Math.max(1, Math.round(optimalBlockLength(Float64Array.from(a, (x, i) => x - b[i])).circular));
  assert.equal(auto.comparison!.block, expected);
  assert.ok(Number.isInteger(auto.comparison!.block) && auto.comparison!.block >= 1);
  // the same estimate, a different resampling: only the interval moves
  assert.equal(auto.comparison!.sharpe_difference.estimate, fixed.comparison!.sharpe_difference.estimate);
  // on independent hours the chosen block is short, far below a day
  assert.ok(auto.comparison!.block < 24, `block ${auto.comparison!.block}`);
});
