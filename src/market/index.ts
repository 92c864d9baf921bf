// The market model's public surface (re-exports only): fit, simulate, stream, defaults, statistics.
export type { CoinParams, MarketParams } from './params.ts';
export { fitMarket, calibrateScale, type MarketFitInput, type FitOptions } from './fit.ts';
export { simulateMarket, MarketStream, R_MAX, type SimulatedMarket, type SimulateOptions } from './simulate.ts';
export { defaultMarketParams, DEFAULT_MARKET_COINS } from './defaults.ts';
export { compareMarkets, type MarketSeries, type MarketComparison } from './compare.ts';
export * as marketStats from './stats.ts';
