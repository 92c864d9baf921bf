// Benchmark: seconds to fit the market model (fitMarket) to the real dataset (TOKCAST_REAL_DATA_DIR), 10 coins, 2020-2022.
// `node --import tsx bench/market-fit.ts [--print]` runs it alone (--print also prints the fitted params JSON).
import { fitMarket } from '../src/market/fit.ts';
import { loadReal, DEFAULT_COINS } from '../test/market/real-csv.ts';
import type { MarketParams } from '../src/market/params.ts';
import { realDataDir } from './util.ts';

export interface MarketFitFigures {
  name: 'market-fit';
  fit_s: number;
  load_s: number;
  coins: number;
  hours: number;
  params?: MarketParams;
}

/** Loads 2020-2022 of the 10 default coins and times fitMarket on it. */
export async function benchMarketFit(opts: { keepParams?: boolean } = {}): Promise<MarketFitFigures> {
  const t0 = performance.now();
  const d = loadReal(realDataDir('market-fit'), DEFAULT_COINS, '2020-01-01T00:00:00Z', '2023-01-01T00:00:00Z');
  const t1 = performance.now();
  const params = fitMarket(d);
  const t2 = performance.now();
  return {
    name: 'market-fit', fit_s: (t2 - t1) / 1000, load_s: (t1 - t0) / 1000, coins: d.coins.length, hours: d.openTime.length,
    ...(opts.keepParams ? { params } : {}),
  };
}

export const figureNames = ['market-fit'];

if (import.meta.url === `file://${process.argv[1]}`) {
  const print = process.argv.includes('--print');
  const f = await benchMarketFit({ keepParams: print });
  console.log(JSON.stringify(print ? f.params : f, null, print ? 0 : 2));
}
