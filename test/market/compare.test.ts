import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareMarkets } from '../../src/market/compare.ts';
import { MarketStream } from '../../src/market/simulate.ts';
import { defaultMarketParams } from '../../src/market/defaults.ts';
import { applyBins } from '../../src/tokenize/bins.ts';

function series(seed: number, hours: number) {
  const p = defaultMarketParams(['BTC', 'ETH']);
  const s = new MarketStream(p, seed), ret = new Float64Array(hours * 2), dlv = new Float64Array(hours * 2);
  s.fill(hours, ret, dlv);
  const col = (a: Float64Array, c: number) => Float64Array.from({ length: hours }, (_, h) => a[h * 2 + c]);
  const returns = [col(ret, 0), col(ret, 1)], volumeChanges = [col(dlv, 0), col(dlv, 1)];
  const e = Float64Array.from([-0.002, 0.002]);
  return { returns, volumeChanges, priceTokens: returns.map((r) => applyBins(r, e)), volumeTokens: volumeChanges.map((v) => applyBins(v, Float64Array.from([-0.1, 0.1]))) };
}

test('compareMarkets: a market against itself has zero distances; JSON-serialisable; two seeds are close', () => {
  const a = series(1, 5000), b = series(2, 20_000);
  const same = compareMarkets(['BTC', 'ETH'], a, a, { V: 3 });
  assert.equal(same.correlation.frobenius, 0);
  assert.equal(same.correlation.rankFrobenius, 0);
  assert.equal(same.perCoin[0].priceTokens!.tv, 0);
  assert.equal(same.perCoin[1].volumeTokens!.transitionTv, 0);
  assert.equal(same.perCoin[0].real.acf.length, 24);
  const cmp = compareMarkets(['BTC', 'ETH'], a, b, { V: 3, maxLag: 6 });
  assert.equal(cmp.perCoin[0].synthetic.absAcf.length, 6);
  assert.ok(cmp.correlation.rankFrobenius < 0.15, `${cmp.correlation.rankFrobenius}`);
  assert.ok(cmp.perCoin[0].priceTokens!.tv < 0.1);
  assert.ok(cmp.correlation.real[0][1] > 0.5);
  assert.deepEqual(JSON.parse(JSON.stringify(cmp)).coins, ['BTC', 'ETH']);
  const noTok = compareMarkets(['BTC', 'ETH'], { returns: a.returns, volumeChanges: a.volumeChanges }, b);
  assert.equal(noTok.perCoin[0].priceTokens, undefined);
  assert.throws(() => compareMarkets(['BTC'], a, b), /one series per coin/);
});
