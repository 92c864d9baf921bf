// Test helpers for the market model: hand-made parameter sets with known values (not fitted).
import type { CoinParams, MarketParams } from '../../src/market/params.ts';

export function coin(over: Partial<CoinParams> & { coin: string }): CoinParams {
  const alpha = over.alpha ?? 0.06, beta = over.beta ?? 0.9, gamma = over.gamma ?? 0, phi = over.phi ?? -0.06;
  const std = 0.01;
  return {
    mu: 1e-4, phi, omega: std * std * (1 - phi * phi) * (1 - alpha - beta - gamma), alpha, gamma, beta, nu: 5,
    volC: 2, volA: 0.8, volB: 0.4, volSigma: 0.4, volTheta: 0, startPrice: 100, ...over,
  };
}

export function market(coins: CoinParams[], corr: number[][], nuC: number, volumeCorr?: number[][]): MarketParams {
  const eye = coins.map((_, i) => coins.map((_, j) => (i === j ? 1 : 0)));
  return { version: 1, coins, copulaCorr: corr, copulaNu: nuC, volumeCorr: volumeCorr ?? eye, hlScale: 1 };
}
