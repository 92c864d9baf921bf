// Built-in market parameters for the 10 default coins (the `synthetic` source and pretraining defaults), fitted
// with this folder's fitMarket to the real Binance hourly candles 2020-01-01..2022-12-31 (the TOKCAST_REAL_DATA_DIR set).
import type { CoinParams, MarketParams } from './params.ts';
import { repairCorrelation } from './linalg.ts';
import { absMeanUnitT } from './special.ts';

// obtained by `node --import tsx bench/market-fit.ts --print` (fitMarket on 2020-01-01T00Z..2023-01-01T00Z, all 10 coins,
// with open times for the hour-of-day profiles, NaN for missing hours; SOL/AVAX/DOT from their listing); numbers rounded
// to 5 significant digits, correlations and hour profiles to 3 decimals. Refitted after the persistence cap (0.99) and
// the dof floor (5) of garch.ts, which every coin hits (unconstrained: persistence 0.995-0.9994, nu 3.4-4.8).
// copula fitted on 19909 complete hours (all 10 coins trading); volume-shock correlation likewise.
const FITTED: CoinParams[] = [
  {
    coin: 'BTC', mu: 5.4707e-05, phi: -0.048326, omega: 7.2957e-07, alpha: 0.088785, gamma: 0.0406, beta: 0.86062, nu: 5, volC: 0.42598, volA: 0.92328, volB: 0.25017, volSigma: 0.35133, volTheta: 0.37641, startPrice: 7177,
    hourVol: [1.216, 1.001, 0.900, 0.874, 0.785, 0.813, 0.844, 0.895, 0.995, 0.914, 0.982, 0.949, 1.120, 1.134, 1.237, 1.126, 1.117, 0.936, 0.958, 0.959, 1.049, 1.010, 0.962, 1.060],
    hourLogVolume: [0.095, -0.110, -0.171, -0.204, -0.214, -0.221, -0.131, -0.045, 0.070, 0.025, 0.054, 0.066, 0.225, 0.299, 0.352, 0.301, 0.310, 0.063, -0.016, -0.054, -0.067, -0.274, -0.204, -0.153],
  },
  {
    coin: 'ETH', mu: 1.2431e-04, phi: -0.041079, omega: 1.1187e-06, alpha: 0.071391, gamma: 0.027912, beta: 0.8907, nu: 5, volC: 1.151, volA: 0.86354, volB: 0.32003, volSigma: 0.38014, volTheta: 0.37727, startPrice: 128.87,
    hourVol: [1.242, 1.056, 0.864, 0.888, 0.766, 0.813, 0.840, 0.897, 1.003, 0.887, 0.971, 0.944, 1.081, 1.121, 1.215, 1.122, 1.183, 0.932, 0.950, 0.942, 1.036, 0.999, 0.994, 1.070],
    hourLogVolume: [0.171, -0.056, -0.136, -0.178, -0.177, -0.207, -0.135, -0.063, 0.072, 0.001, 0.022, 0.039, 0.215, 0.278, 0.350, 0.285, 0.358, 0.035, -0.049, -0.086, -0.100, -0.329, -0.207, -0.103],
  },
  {
    coin: 'BNB', mu: 1.2992e-04, phi: -0.045486, omega: 1.3355e-06, alpha: 0.090971, gamma: 0.028225, beta: 0.8708, nu: 5, volC: 0.45334, volA: 0.94134, volB: 0.25293, volSigma: 0.39757, volTheta: 0.38092, startPrice: 13.698,
    hourVol: [1.318, 1.042, 0.940, 0.927, 0.860, 0.911, 0.930, 0.969, 1.071, 1.002, 1.081, 0.966, 1.100, 1.116, 1.205, 1.054, 1.074, 0.886, 0.878, 0.852, 0.866, 0.917, 0.886, 0.991],
    hourLogVolume: [0.256, 0.078, -0.008, -0.067, -0.100, -0.111, -0.075, -0.013, 0.109, -0.009, -0.018, -0.024, 0.108, 0.224, 0.269, 0.221, 0.235, -0.013, -0.103, -0.188, -0.201, -0.310, -0.208, -0.054],
  },
  {
    coin: 'XRP', mu: 4.0191e-05, phi: -0.068241, omega: 1.7542e-06, alpha: 0.12364, gamma: 0.0062182, beta: 0.86014, nu: 5, volC: 0.8417, volA: 0.93641, volB: 0.27123, volSigma: 0.37883, volTheta: 0.4743, startPrice: 0.19248,
    hourVol: [1.265, 1.098, 0.893, 0.918, 0.859, 0.935, 0.884, 0.937, 1.015, 0.936, 0.980, 0.984, 1.023, 1.075, 1.144, 1.012, 1.120, 0.899, 0.913, 0.904, 1.053, 1.035, 0.990, 1.020],
    hourLogVolume: [0.210, -0.013, -0.084, -0.123, -0.153, -0.121, -0.055, -0.035, 0.086, 0.034, 0.036, 0.047, 0.184, 0.208, 0.232, 0.183, 0.270, -0.012, -0.086, -0.132, -0.119, -0.286, -0.187, -0.082],
  },
  {
    coin: 'SOL', mu: -1.3194e-04, phi: -0.030214, omega: 3.2395e-06, alpha: 0.078536, gamma: 0.018659, beta: 0.89281, nu: 5, volC: 0.96837, volA: 0.89667, volB: 0.31998, volSigma: 0.44168, volTheta: 0.41841, startPrice: 2.9515,
    hourVol: [1.240, 1.065, 0.960, 0.926, 0.803, 0.918, 0.909, 0.937, 0.998, 0.935, 0.976, 0.938, 1.049, 1.125, 1.238, 1.134, 1.104, 1.005, 0.926, 0.925, 0.957, 0.937, 0.922, 0.941],
    hourLogVolume: [0.156, -0.083, -0.138, -0.172, -0.210, -0.211, -0.124, -0.069, 0.039, -0.010, -0.003, 0.019, 0.180, 0.264, 0.350, 0.304, 0.301, 0.087, 0.029, -0.056, -0.075, -0.267, -0.173, -0.141],
  },
  {
    coin: 'DOGE', mu: -2.2985e-05, phi: -0.11137, omega: 2.6812e-06, alpha: 0.17122, gamma: 0.013769, beta: 0.80501, nu: 5, volC: 0.44214, volA: 0.96255, volB: 0.28031, volSigma: 0.56264, volTheta: 0.58566, startPrice: 0.0020083,
    hourVol: [1.211, 1.048, 0.961, 1.007, 0.972, 0.904, 0.899, 0.895, 0.995, 0.954, 1.016, 0.951, 1.090, 1.109, 1.139, 1.044, 1.039, 0.921, 0.963, 0.899, 0.919, 0.983, 1.000, 1.004],
    hourLogVolume: [0.095, -0.141, -0.188, -0.225, -0.197, -0.195, -0.114, -0.036, 0.069, 0.008, 0.071, 0.070, 0.204, 0.293, 0.333, 0.235, 0.293, 0.067, -0.010, -0.087, -0.073, -0.122, -0.166, -0.185],
  },
  {
    coin: 'ADA', mu: -1.2596e-05, phi: -0.065255, omega: 1.8755e-06, alpha: 0.085462, gamma: 0.01703, beta: 0.88751, nu: 5, volC: 1.1297, volA: 0.91519, volB: 0.30917, volSigma: 0.4142, volTheta: 0.45113, startPrice: 0.03278,
    hourVol: [1.220, 1.093, 0.958, 0.928, 0.873, 0.915, 0.936, 0.939, 1.003, 0.929, 0.989, 0.964, 1.122, 1.119, 1.149, 1.044, 1.070, 0.923, 0.909, 0.910, 0.964, 0.981, 0.960, 1.011],
    hourLogVolume: [0.214, -0.038, -0.134, -0.200, -0.190, -0.178, -0.126, -0.070, 0.051, -0.004, 0.003, 0.053, 0.208, 0.248, 0.272, 0.203, 0.271, 0.018, -0.034, -0.087, -0.049, -0.209, -0.137, -0.084],
  },
  {
    coin: 'AVAX', mu: -8.8027e-05, phi: -0.054476, omega: 3.3423e-06, alpha: 0.080828, gamma: 0.019851, beta: 0.88932, nu: 5, volC: 0.5495, volA: 0.93181, volB: 0.29512, volSigma: 0.47992, volTheta: 0.49774, startPrice: 4.8811,
    hourVol: [1.289, 1.092, 0.931, 0.935, 0.882, 0.894, 0.921, 0.956, 1.062, 0.911, 0.973, 0.938, 1.101, 1.084, 1.152, 1.107, 1.096, 0.949, 0.889, 0.934, 0.953, 0.942, 0.936, 0.949],
    hourLogVolume: [0.179, -0.055, -0.184, -0.256, -0.257, -0.220, -0.125, -0.047, 0.078, 0.025, 0.003, 0.016, 0.169, 0.234, 0.320, 0.274, 0.284, 0.063, 0.034, -0.009, -0.000, -0.201, -0.150, -0.173],
  },
  {
    coin: 'DOT', mu: -1.6514e-05, phi: -0.059113, omega: 2.2654e-06, alpha: 0.076032, gamma: 0.018724, beta: 0.89524, nu: 5, volC: 1.0434, volA: 0.89984, volB: 0.30945, volSigma: 0.41875, volTheta: 0.45, startPrice: 3.1,
    hourVol: [1.259, 1.041, 0.974, 0.944, 0.799, 0.851, 0.884, 0.923, 1.006, 0.971, 0.967, 0.920, 1.148, 1.086, 1.192, 1.064, 1.166, 0.959, 0.901, 0.899, 0.933, 0.945, 0.977, 1.047],
    hourLogVolume: [0.210, -0.007, -0.085, -0.138, -0.171, -0.206, -0.120, -0.048, 0.079, 0.031, 0.037, 0.039, 0.209, 0.275, 0.340, 0.273, 0.330, 0.021, -0.061, -0.143, -0.159, -0.369, -0.218, -0.120],
  },
  {
    coin: 'LTC', mu: 9.3796e-05, phi: -0.065335, omega: 1.4767e-06, alpha: 0.064567, gamma: 0.036941, beta: 0.88849, nu: 5, volC: 0.8065, volA: 0.89951, volB: 0.29176, volSigma: 0.43117, volTheta: 0.45339, startPrice: 41.28,
    hourVol: [1.328, 1.056, 0.973, 0.933, 0.848, 0.850, 0.870, 0.876, 1.014, 0.935, 0.964, 0.947, 1.131, 1.170, 1.217, 1.114, 1.127, 0.931, 0.868, 0.866, 0.904, 0.921, 0.916, 1.047],
    hourLogVolume: [0.222, -0.017, -0.095, -0.149, -0.191, -0.196, -0.110, -0.078, 0.067, 0.018, 0.034, 0.060, 0.228, 0.266, 0.314, 0.251, 0.362, 0.048, -0.065, -0.132, -0.134, -0.357, -0.249, -0.097],
  },
];

const COPULA_CORR = [
  [1.000, 0.858, 0.745, 0.698, 0.656, 0.674, 0.716, 0.654, 0.726, 0.780],
  [0.858, 1.000, 0.766, 0.708, 0.696, 0.681, 0.744, 0.688, 0.753, 0.793],
  [0.745, 0.766, 1.000, 0.659, 0.640, 0.634, 0.704, 0.647, 0.708, 0.714],
  [0.698, 0.708, 0.659, 1.000, 0.596, 0.619, 0.682, 0.598, 0.657, 0.692],
  [0.656, 0.696, 0.640, 0.596, 1.000, 0.578, 0.647, 0.639, 0.657, 0.633],
  [0.674, 0.681, 0.634, 0.619, 0.578, 1.000, 0.633, 0.582, 0.629, 0.640],
  [0.716, 0.744, 0.704, 0.682, 0.647, 0.633, 1.000, 0.648, 0.702, 0.713],
  [0.654, 0.688, 0.647, 0.598, 0.639, 0.582, 0.648, 1.000, 0.653, 0.630],
  [0.726, 0.753, 0.708, 0.657, 0.657, 0.629, 0.702, 0.653, 1.000, 0.708],
  [0.780, 0.793, 0.714, 0.692, 0.633, 0.640, 0.713, 0.630, 0.708, 1.000],
];

// intrahour range: with sigma × 1 the simulated median ln(high/low) matches the real 2020-2022 medians of all 10 coins
// within -5 .. +6 % (100 000 simulated hours; with the earlier uncapped fit it took sigma × 0.88)
const HL_SCALE = 1;

const COPULA_NU = 6.95;

const VOLUME_CORR = [
  [1.000, 0.702, 0.516, 0.517, 0.461, 0.446, 0.520, 0.399, 0.500, 0.539],
  [0.702, 1.000, 0.554, 0.526, 0.474, 0.433, 0.565, 0.387, 0.530, 0.559],
  [0.516, 0.554, 1.000, 0.454, 0.392, 0.407, 0.500, 0.353, 0.473, 0.464],
  [0.517, 0.526, 0.454, 1.000, 0.392, 0.410, 0.505, 0.336, 0.448, 0.482],
  [0.461, 0.474, 0.392, 0.392, 1.000, 0.351, 0.409, 0.371, 0.431, 0.372],
  [0.446, 0.433, 0.407, 0.410, 0.351, 1.000, 0.423, 0.318, 0.394, 0.379],
  [0.520, 0.565, 0.500, 0.505, 0.409, 0.423, 1.000, 0.365, 0.496, 0.496],
  [0.399, 0.387, 0.353, 0.336, 0.371, 0.318, 0.365, 1.000, 0.378, 0.322],
  [0.500, 0.530, 0.473, 0.448, 0.431, 0.394, 0.496, 0.378, 1.000, 0.451],
  [0.539, 0.559, 0.464, 0.482, 0.372, 0.379, 0.496, 0.322, 0.451, 1.000],
];

/** a typical alt coin (about the medians of the fitted alts, hourly std 1.4 %, median volume e^13.8 ≈ 1e6 base units) */
const GENERIC_STD = 0.014, GENERIC_LOGVOL = 13.8;
const GENERIC_CORR = 0.68, GENERIC_VOLUME_CORR = 0.46; // medians of the fitted off-diagonals

// hour-of-day profile of a generic coin: the average of the fitted ones
function meanProfile(get: (f: CoinParams) => number[]): number[] {
  return Array.from({ length: 24 }, (_, h) => FITTED.reduce((s, f) => s + get(f)[h], 0) / FITTED.length);
}

function genericCoin(coin: string): CoinParams {
  const alpha = 0.083, gamma = 0.019, beta = 0.888, phi = -0.057, nu = 5, volA = 0.92, volB = 0.29; // medians of the fitted coins (persistence 0.99)
  return {
    coin, mu: 0, phi, omega: GENERIC_STD ** 2 * (1 - phi * phi) * (1 - alpha - gamma - beta), alpha, gamma, beta, nu,
    volC: GENERIC_LOGVOL * (1 - volA) - volB * absMeanUnitT(nu), volA, volB, volSigma: 0.42, volTheta: 0.45, startPrice: 1,
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
    hlScale: HL_SCALE,
    note: 'tokcast defaults: fitMarket on Binance 1h candles 2020-2022',
  };
}

/** The coins with fitted defaults, in the default order. */
export const DEFAULT_MARKET_COINS: readonly string[] = FITTED.map((f) => f.coin);
