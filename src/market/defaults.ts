// Built-in market parameters for the 10 default coins (the `synthetic` source and pretraining defaults), fitted
// with this folder's fitMarket to the real Binance hourly candles 2020-01-01..2022-12-31 (/work/shared/data/ohlcv-1h).
import type { CoinParams, MarketParams } from './params.ts';
import { repairCorrelation } from './linalg.ts';
import { absMeanUnitT } from './special.ts';

// obtained by `node --import tsx bench/market-fit.ts --print` (fitMarket on 2020-01-01T00Z..2023-01-01T00Z, all 10 coins,
// NaN for missing hours; SOL/AVAX/DOT from their listing); numbers rounded to 5 significant digits, correlations to 3 decimals.
// copula fitted on 19909 complete hours (all 10 coins trading); volume-shock correlation likewise.
const FITTED: CoinParams[] = [
  { coin: 'BTC', mu: 5.6606e-05, phi: -0.063392, omega: 2.2635e-07, alpha: 0.023027, gamma: 0.025982, beta: 0.95018, nu: 3.3206, volC: 0.73525, volA: 0.88407, volB: 0.26207, volSigma: 0.3738, volTheta: 0.24934, startPrice: 7177.0 },
  { coin: 'ETH', mu: 0.00012663, phi: -0.053915, omega: 4.6373e-07, alpha: 0.030129, gamma: 0.021932, beta: 0.94611, nu: 3.6601, volC: 1.5342, volA: 0.82553, volB: 0.32674, volSigma: 0.40392, volTheta: 0.26141, startPrice: 128.87 },
  { coin: 'BNB', mu: 0.0001355, phi: -0.052784, omega: 6.4892e-07, alpha: 0.051249, gamma: 0.018165, beta: 0.92749, nu: 4.0425, volC: 0.59428, volA: 0.928, volB: 0.25984, volSigma: 0.41698, volTheta: 0.29735, startPrice: 13.698 },
  { coin: 'XRP', mu: 5.2801e-05, phi: -0.080557, omega: 1.3286e-06, alpha: 0.07586, gamma: 0.0056547, beta: 0.9135, nu: 3.6489, volC: 1.0862, volA: 0.92123, volB: 0.28161, volSigma: 0.39878, volTheta: 0.38301, startPrice: 0.19248 },
  { coin: 'SOL', mu: -0.0001292, phi: -0.033206, omega: 1.5218e-06, alpha: 0.050098, gamma: 0.015574, beta: 0.93119, nu: 4.5165, volC: 1.2019, volA: 0.87635, volB: 0.32206, volSigma: 0.45872, volTheta: 0.34187, startPrice: 2.9515 },
  { coin: 'DOGE', mu: -1.8604e-05, phi: -0.12032, omega: 1.7856e-06, alpha: 0.088698, gamma: 0.0065473, beta: 0.90072, nu: 3.466, volC: 0.56761, volA: 0.9557, volB: 0.2783, volSigma: 0.58261, volTheta: 0.50659, startPrice: 0.0020083 },
  { coin: 'ADA', mu: -8.7259e-06, phi: -0.071495, omega: 1.3429e-06, alpha: 0.06879, gamma: 0.0071186, beta: 0.9185, nu: 4.2991, volC: 1.3605, volA: 0.90054, volB: 0.31471, volSigma: 0.43104, volTheta: 0.38821, startPrice: 0.03278 },
  { coin: 'AVAX', mu: -7.5738e-05, phi: -0.058441, omega: 8.1868e-07, alpha: 0.039881, gamma: 0.012885, beta: 0.94619, nu: 4.6074, volC: 0.6992, volA: 0.91862, volB: 0.28891, volSigma: 0.50097, volTheta: 0.41728, startPrice: 4.8811 },
  { coin: 'DOT', mu: -1.7125e-05, phi: -0.065227, omega: 6.1726e-07, alpha: 0.034972, gamma: 0.0135, beta: 0.95023, nu: 4.3199, volC: 1.3553, volA: 0.87517, volB: 0.30979, volSigma: 0.44413, volTheta: 0.33162, startPrice: 3.1 },
  { coin: 'LTC', mu: 9.3098e-05, phi: -0.076957, omega: 6.3623e-07, alpha: 0.025071, gamma: 0.024305, beta: 0.9484, nu: 3.5384, volC: 1.1466, volA: 0.86534, volB: 0.30913, volSigma: 0.45519, volTheta: 0.33779, startPrice: 41.28 },
];

const COPULA_CORR = [
  [1.000, 0.860, 0.745, 0.698, 0.662, 0.679, 0.718, 0.659, 0.727, 0.779],
  [0.860, 1.000, 0.767, 0.711, 0.703, 0.685, 0.746, 0.695, 0.756, 0.795],
  [0.745, 0.767, 1.000, 0.659, 0.647, 0.637, 0.705, 0.652, 0.709, 0.715],
  [0.698, 0.711, 0.659, 1.000, 0.601, 0.624, 0.683, 0.601, 0.659, 0.693],
  [0.662, 0.703, 0.647, 0.601, 1.000, 0.585, 0.651, 0.650, 0.663, 0.639],
  [0.679, 0.685, 0.637, 0.624, 0.585, 1.000, 0.638, 0.588, 0.634, 0.646],
  [0.718, 0.746, 0.705, 0.683, 0.651, 0.638, 1.000, 0.652, 0.706, 0.713],
  [0.659, 0.695, 0.652, 0.601, 0.650, 0.588, 0.652, 1.000, 0.663, 0.635],
  [0.727, 0.756, 0.709, 0.659, 0.663, 0.634, 0.706, 0.663, 1.000, 0.711],
  [0.779, 0.795, 0.715, 0.693, 0.639, 0.646, 0.713, 0.635, 0.711, 1.000],
];

const COPULA_NU = 6.8497;

const VOLUME_CORR = [
  [1.000, 0.722, 0.541, 0.546, 0.492, 0.479, 0.546, 0.422, 0.525, 0.565],
  [0.722, 1.000, 0.586, 0.558, 0.511, 0.467, 0.593, 0.423, 0.568, 0.591],
  [0.541, 0.586, 1.000, 0.497, 0.429, 0.448, 0.536, 0.391, 0.515, 0.503],
  [0.546, 0.558, 0.497, 1.000, 0.428, 0.453, 0.538, 0.371, 0.488, 0.520],
  [0.492, 0.511, 0.429, 0.428, 1.000, 0.392, 0.443, 0.405, 0.467, 0.411],
  [0.479, 0.467, 0.448, 0.453, 0.392, 1.000, 0.461, 0.357, 0.433, 0.420],
  [0.546, 0.593, 0.536, 0.538, 0.443, 0.461, 1.000, 0.405, 0.529, 0.529],
  [0.422, 0.423, 0.391, 0.371, 0.405, 0.357, 0.405, 1.000, 0.416, 0.358],
  [0.525, 0.568, 0.515, 0.488, 0.467, 0.433, 0.529, 0.416, 1.000, 0.490],
  [0.565, 0.591, 0.503, 0.520, 0.411, 0.420, 0.529, 0.358, 0.490, 1.000],
];

/** a typical alt coin (about the medians of the fitted alts, hourly std 1.4 %, median volume e^13.8 ≈ 1e6 base units) */
const GENERIC_STD = 0.014, GENERIC_LOGVOL = 13.8;
const GENERIC_CORR = 0.68, GENERIC_VOLUME_CORR = 0.46; // medians of the fitted off-diagonals

function genericCoin(coin: string): CoinParams {
  const alpha = 0.05, gamma = 0.013, beta = 0.93, phi = -0.065, nu = 4, volA = 0.9, volB = 0.3;
  return {
    coin, mu: 0, phi, omega: GENERIC_STD ** 2 * (1 - phi * phi) * (1 - alpha - gamma - beta), alpha, gamma, beta, nu,
    volC: GENERIC_LOGVOL * (1 - volA) - volB * absMeanUnitT(nu), volA, volB, volSigma: 0.47, volTheta: 0.34, startPrice: 1,
  };
}

/** Default market parameters for any coin list: fitted values for the 10 default coins, a generic alt coin otherwise. */
export function defaultMarketParams(coins: string[]): MarketParams {
  const idx = coins.map((c) => FITTED.findIndex((f) => f.coin === c.toUpperCase()));
  const corrOf = (m: number[][], g: number) => coins.map((_, i) => coins.map((_, j) => {
    if (i === j) return 1;
    return idx[i] >= 0 && idx[j] >= 0 ? m[idx[i]][idx[j]] : g;
  }));
  return {
    version: 1,
    coins: coins.map((c, i) => (idx[i] >= 0 ? { ...FITTED[idx[i]], coin: c } : genericCoin(c))),
    copulaCorr: repairCorrelation(corrOf(COPULA_CORR, GENERIC_CORR)),
    copulaNu: COPULA_NU,
    volumeCorr: repairCorrelation(corrOf(VOLUME_CORR, GENERIC_VOLUME_CORR)),
    hlScale: 1,
    note: 'tokcast defaults: fitMarket on Binance 1h candles 2020-2022',
  };
}

/** The coins with fitted defaults, in the default order. */
export const DEFAULT_MARKET_COINS: readonly string[] = FITTED.map((f) => f.coin);
