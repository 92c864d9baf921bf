// Benchmark: seconds to fit the market model (fitMarket) to the real dataset (TOKCAST_REAL_DATA_DIR), 10 coins, 2020-2022.
// `node --import tsx bench/market-fit.ts [--print]` runs it alone (--print also prints the fitted params JSON).
import { fitMarket } from '../src/market/fit.ts';
import { loadReal, DEFAULT_COINS } from '../test/market/real-csv.ts';
import type { MarketParams } from '../src/market/params.ts';
import { measure, round, realDataDir } from './util.ts';

export interface MarketFitFigures {
  name: 'market-fit';
  runs: number;
  warmup: number;
  /** median seconds of one fit, with min and max */
  fit_s: number;
  min_fit_s: number;
  max_fit_s: number;
  load_s: number;
  coins: number;
  hours: number;
  params?: MarketParams;
}

/** Loads 2020-2022 of the 10 default coins and times fitMarket on it: one warm-up fit, then the median of 5. */
export async function benchMarketFit(opts: { keepParams?: boolean } = {}): Promise<MarketFitFigures> {
  const t0 = performance.now();
  const d = loadReal(realDataDir('market-fit'), DEFAULT_COINS, '2020-01-01T00:00:00Z', '2023-01-01T00:00:00Z');
  const t1 = performance.now();
  let params = fitMarket(d);
  const t = await measure(() => { params = fitMarket(d); }, { warmup: 0, runs: opts.keepParams ? 1 : 5 });
  return {
    name: 'market-fit', runs: t.runs, warmup: 1, fit_s: round(t.median_ms / 1000), min_fit_s: round(t.min_ms / 1000), max_fit_s: round(t.max_ms / 1000),
    load_s: round((t1 - t0) / 1000), coins: d.coins.length, hours: d.openTime.length,
    ...(opts.keepParams ? { params } : {}),
  };
}

export const figureNames = ['market-fit'];

if (import.meta.url === `file://${process.argv[1]}`) {
  const print = process.argv.includes('--print');
  const f = await benchMarketFit({ keepParams: print });
  console.log(JSON.stringify(print ? f.params : f, null, print ? 0 : 2));
}
