// Built-in market parameters for the 10 default coins (the `synthetic` source and pretraining defaults), fitted
// with this folder's fitMarket to the real Binance hourly candles 2020-01-01..2022-12-31 (/work/shared/data/ohlcv-1h).
import type { CoinParams, MarketParams } from './params.ts';
import { repairCorrelation } from './linalg.ts';
import { absMeanUnitT } from './special.ts';

// obtained by `node --import tsx bench/market-fit.ts --print` (fitMarket on 2020-01-01T00Z..2023-01-01T00Z, all 10 coins,
// NaN for missing hours; SOL/AVAX/DOT from their listing); numbers rounded to 5 significant digits, correlations to 3 decimals.
// copula fitted on 19909 complete hours (all 10 coins trading); volume-shock correlation likewise.
const FITTED: CoinParams[] = [
  { coin: 'BTC', mu: 5.6651e-05, phi: -0.063375, omega: 5.2866e-08, alpha: 0.023022, gamma: 0.025984, beta: 0.95018, nu: 3.3208, volC: 1.2002, volA: 0.8228, volB: 0.29074, volSigma: 0.38154, startPrice: 7177.0 },
  { coin: 'ETH', mu: 0.00012667, phi: -0.05391, omega: 1.9266e-07, alpha: 0.030115, gamma: 0.021949, beta: 0.94611, nu: 3.6601, volC: 2.3826, volA: 0.74001, volB: 0.3519, volSigma: 0.41258, startPrice: 128.87 },
  { coin: 'BNB', mu: 0.0001354, phi: -0.052808, omega: 3.78e-07, alpha: 0.051237, gamma: 0.01818, beta: 0.92749, nu: 4.0424, volC: 1.1385, volA: 0.87597, volB: 0.28974, volSigma: 0.42888, startPrice: 13.698 },
  { coin: 'XRP', mu: 5.2894e-05, phi: -0.080561, omega: 8.3125e-07, alpha: 0.075858, gamma: 0.0056542, beta: 0.91351, nu: 3.6489, volC: 2.2801, volA: 0.84642, volB: 0.3214, volSigma: 0.41637, startPrice: 0.19248 },
  { coin: 'SOL', mu: -0.00012933, phi: -0.033172, omega: 8.8786e-07, alpha: 0.050081, gamma: 0.015592, beta: 0.93119, nu: 4.5163, volC: 2.3779, volA: 0.77287, volB: 0.361, volSigma: 0.47455, startPrice: 2.9515 },
  { coin: 'DOGE', mu: -1.8689e-05, phi: -0.12032, omega: 1.1201e-06, alpha: 0.088693, gamma: 0.0065481, beta: 0.90072, nu: 3.466, volC: 2.0064, volA: 0.86923, volB: 0.35072, volSigma: 0.62673, startPrice: 0.0020083 },
  { coin: 'ADA', mu: -8.8289e-06, phi: -0.071479, omega: 8.778e-07, alpha: 0.068787, gamma: 0.0071145, beta: 0.91851, nu: 4.2988, volC: 2.8742, volA: 0.80413, volB: 0.35532, volSigma: 0.45071, startPrice: 0.03278 },
  { coin: 'AVAX', mu: -7.5477e-05, phi: -0.058423, omega: 2.9959e-07, alpha: 0.039868, gamma: 0.012899, beta: 0.94619, nu: 4.6074, volC: 1.891, volA: 0.80828, volB: 0.35327, volSigma: 0.526, startPrice: 4.8811 },
  { coin: 'DOT', mu: -1.7167e-05, phi: -0.065205, omega: 2.5977e-07, alpha: 0.034963, gamma: 0.013514, beta: 0.95022, nu: 4.32, volC: 2.5834, volA: 0.77621, volB: 0.34539, volSigma: 0.45887, startPrice: 3.1 },
  { coin: 'LTC', mu: 9.3094e-05, phi: -0.076944, omega: 3.0431e-07, alpha: 0.025062, gamma: 0.024323, beta: 0.94839, nu: 3.5385, volC: 2.2125, volA: 0.75709, volB: 0.35118, volSigma: 0.47021, startPrice: 41.28 },
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
  [1.000, 0.701, 0.505, 0.519, 0.468, 0.455, 0.512, 0.382, 0.487, 0.532],
  [0.701, 1.000, 0.569, 0.543, 0.497, 0.457, 0.584, 0.397, 0.551, 0.576],
  [0.505, 0.569, 1.000, 0.473, 0.402, 0.427, 0.522, 0.352, 0.490, 0.476],
  [0.519, 0.543, 0.473, 1.000, 0.406, 0.431, 0.514, 0.331, 0.461, 0.498],
  [0.468, 0.497, 0.402, 0.406, 1.000, 0.369, 0.413, 0.383, 0.448, 0.389],
  [0.455, 0.457, 0.427, 0.431, 0.369, 1.000, 0.435, 0.321, 0.409, 0.400],
  [0.512, 0.584, 0.522, 0.514, 0.413, 0.435, 1.000, 0.364, 0.507, 0.513],
  [0.382, 0.397, 0.352, 0.331, 0.383, 0.321, 0.364, 1.000, 0.389, 0.314],
  [0.487, 0.551, 0.490, 0.461, 0.448, 0.409, 0.507, 0.389, 1.000, 0.462],
  [0.532, 0.576, 0.476, 0.498, 0.389, 0.400, 0.513, 0.314, 0.462, 1.000],
];

/** a typical alt coin (medians of the fitted alts, hourly std 1.4 %, median volume e^13.8 ≈ 1e6 base units) */
const GENERIC_STD = 0.014, GENERIC_LOGVOL = 13.8;
const GENERIC_CORR = 0.68, GENERIC_VOLUME_CORR = 0.46; // medians of the fitted off-diagonals

function genericCoin(coin: string): CoinParams {
  const alpha = 0.05, gamma = 0.013, beta = 0.93, phi = -0.065, nu = 4, volA = 0.8, volB = 0.35;
  return {
    coin, mu: 0, phi, omega: GENERIC_STD ** 2 * (1 - phi * phi) * (1 - alpha - gamma - beta), alpha, gamma, beta, nu,
    volC: GENERIC_LOGVOL * (1 - volA) - volB * absMeanUnitT(nu), volA, volB, volSigma: 0.47, startPrice: 1,
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
