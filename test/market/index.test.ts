import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as market from '../../src/market/index.ts';

test('the market index re-exports the public API', () => {
  for (const name of ['fitMarket', 'simulateMarket', 'MarketStream', 'defaultMarketParams', 'compareMarkets'] as const) assert.equal(typeof market[name], 'function');
  assert.equal(typeof market.marketStats.frobeniusDiff, 'function');
  const sim = market.simulateMarket(market.defaultMarketParams(['BTC']), { hours: 3, seed: 1 });
  assert.equal(sim.close[0].length, 3);
});
