// Built-in market parameters for the 10 default coins (the `synthetic` source and pretraining defaults), fitted
// with this folder's fitMarket to the real Binance hourly candles 2020-01-01..2022-12-31 (/work/shared/data/ohlcv-1h).
import type { CoinParams, MarketParams } from './params.ts';
import { repairCorrelation } from './linalg.ts';
import { absMeanUnitT } from './special.ts';

// obtained by `node --import tsx bench/market-fit.ts --print` (fitMarket on 2020-01-01T00Z..2023-01-01T00Z, all 10 coins,
// with open times for the hour-of-day profiles, NaN for missing hours; SOL/AVAX/DOT from their listing); numbers rounded
// to 5 significant digits, correlations and hour profiles to 3 decimals.
// copula fitted on 19909 complete hours (all 10 coins trading); volume-shock correlation likewise.
const FITTED: CoinParams[] = [
  {
    coin: 'BTC', mu: 5.5733e-05, phi: -0.06357, omega: 2.2379e-07, alpha: 0.023631, gamma: 0.026009, beta: 0.94954, nu: 3.382, volC: 0.5925, volA: 0.90331, volB: 0.24705, volSigma: 0.35831, volTheta: 0.318, startPrice: 7177.0,
    hourVol: [1.216, 1.001, 0.900, 0.874, 0.785, 0.813, 0.844, 0.895, 0.995, 0.914, 0.982, 0.949, 1.120, 1.134, 1.237, 1.126, 1.117, 0.936, 0.958, 0.959, 1.049, 1.010, 0.962, 1.060],
    hourLogVolume: [0.095, -0.110, -0.171, -0.204, -0.214, -0.221, -0.131, -0.045, 0.070, 0.025, 0.054, 0.066, 0.225, 0.299, 0.352, 0.301, 0.310, 0.063, -0.016, -0.054, -0.067, -0.274, -0.204, -0.153],
  },
  {
    coin: 'ETH', mu: 0.00012716, phi: -0.052735, omega: 4.5105e-07, alpha: 0.031542, gamma: 0.020991, beta: 0.94565, nu: 3.7809, volC: 1.3064, volA: 0.84892, volB: 0.31197, volSigma: 0.38627, volTheta: 0.3239, startPrice: 128.87,
    hourVol: [1.242, 1.056, 0.864, 0.888, 0.766, 0.813, 0.840, 0.897, 1.003, 0.887, 0.971, 0.944, 1.081, 1.121, 1.215, 1.122, 1.183, 0.932, 0.950, 0.942, 1.036, 0.999, 0.994, 1.070],
    hourLogVolume: [0.171, -0.056, -0.136, -0.178, -0.177, -0.207, -0.135, -0.063, 0.072, 0.001, 0.022, 0.039, 0.215, 0.278, 0.350, 0.285, 0.358, 0.035, -0.049, -0.086, -0.100, -0.329, -0.207, -0.103],
  },
  {
    coin: 'BNB', mu: 0.00013778, phi: -0.052408, omega: 6.555e-07, alpha: 0.051318, gamma: 0.019833, beta: 0.9257, nu: 4.1441, volC: 0.47152, volA: 0.94055, volB: 0.23997, volSigma: 0.40197, volTheta: 0.35705, startPrice: 13.698,
    hourVol: [1.318, 1.042, 0.940, 0.927, 0.860, 0.911, 0.930, 0.969, 1.071, 1.002, 1.081, 0.966, 1.100, 1.116, 1.205, 1.054, 1.074, 0.886, 0.878, 0.852, 0.866, 0.917, 0.886, 0.991],
    hourLogVolume: [0.256, 0.078, -0.008, -0.067, -0.100, -0.111, -0.075, -0.013, 0.109, -0.009, -0.018, -0.024, 0.108, 0.224, 0.269, 0.221, 0.235, -0.013, -0.103, -0.188, -0.201, -0.310, -0.208, -0.054],
  },
  {
    coin: 'XRP', mu: 5.3089e-05, phi: -0.079139, omega: 1.3482e-06, alpha: 0.078308, gamma: 0.0047801, beta: 0.91182, nu: 3.7107, volC: 0.91765, volA: 0.93216, volB: 0.26655, volSigma: 0.38376, volTheta: 0.43568, startPrice: 0.19248,
    hourVol: [1.265, 1.098, 0.893, 0.918, 0.859, 0.935, 0.884, 0.937, 1.015, 0.936, 0.980, 0.984, 1.023, 1.075, 1.144, 1.012, 1.120, 0.899, 0.913, 0.904, 1.053, 1.035, 0.990, 1.020],
    hourLogVolume: [0.210, -0.013, -0.084, -0.123, -0.153, -0.121, -0.055, -0.035, 0.086, 0.034, 0.036, 0.047, 0.184, 0.208, 0.232, 0.183, 0.270, -0.012, -0.086, -0.132, -0.119, -0.286, -0.187, -0.082],
  },
  {
    coin: 'SOL', mu: -0.00012545, phi: -0.033246, omega: 1.5137e-06, alpha: 0.052399, gamma: 0.013963, beta: 0.93042, nu: 4.6782, volC: 1.0152, volA: 0.89326, volB: 0.30653, volSigma: 0.44536, volTheta: 0.39637, startPrice: 2.9515,
    hourVol: [1.240, 1.065, 0.960, 0.926, 0.803, 0.918, 0.909, 0.937, 0.998, 0.935, 0.976, 0.938, 1.049, 1.125, 1.238, 1.134, 1.104, 1.005, 0.926, 0.925, 0.957, 0.937, 0.922, 0.941],
    hourLogVolume: [0.156, -0.083, -0.138, -0.172, -0.210, -0.211, -0.124, -0.069, 0.039, -0.010, -0.003, 0.019, 0.180, 0.264, 0.350, 0.304, 0.301, 0.087, 0.029, -0.056, -0.075, -0.267, -0.173, -0.141],
  },
  {
    coin: 'DOGE', mu: -1.7426e-05, phi: -0.12089, omega: 1.786e-06, alpha: 0.089563, gamma: 0.0074684, beta: 0.89891, nu: 3.4975, volC: 0.46972, volA: 0.96191, volB: 0.26486, volSigma: 0.57181, volTheta: 0.55181, startPrice: 0.0020083,
    hourVol: [1.211, 1.048, 0.961, 1.007, 0.972, 0.904, 0.899, 0.895, 0.995, 0.954, 1.016, 0.951, 1.090, 1.109, 1.139, 1.044, 1.039, 0.921, 0.963, 0.899, 0.919, 0.983, 1.000, 1.004],
    hourLogVolume: [0.095, -0.141, -0.188, -0.225, -0.197, -0.195, -0.114, -0.036, 0.069, 0.008, 0.071, 0.070, 0.204, 0.293, 0.333, 0.235, 0.293, 0.067, -0.010, -0.087, -0.073, -0.122, -0.166, -0.185],
  },
  {
    coin: 'ADA', mu: -9.5676e-06, phi: -0.070058, omega: 1.3821e-06, alpha: 0.070277, gamma: 0.0082704, beta: 0.9156, nu: 4.3887, volC: 1.1788, volA: 0.91242, volB: 0.3022, volSigma: 0.41703, volTheta: 0.43204, startPrice: 0.03278,
    hourVol: [1.220, 1.093, 0.958, 0.928, 0.873, 0.915, 0.936, 0.939, 1.003, 0.929, 0.989, 0.964, 1.122, 1.119, 1.149, 1.044, 1.070, 0.923, 0.909, 0.910, 0.964, 0.981, 0.960, 1.011],
    hourLogVolume: [0.214, -0.038, -0.134, -0.200, -0.190, -0.178, -0.126, -0.070, 0.051, -0.004, 0.003, 0.053, 0.208, 0.248, 0.272, 0.203, 0.271, 0.018, -0.034, -0.087, -0.049, -0.209, -0.137, -0.084],
  },
  {
    coin: 'AVAX', mu: -7.2536e-05, phi: -0.05747, omega: 8.1631e-07, alpha: 0.040802, gamma: 0.01284, beta: 0.9453, nu: 4.7635, volC: 0.56689, volA: 0.93134, volB: 0.27336, volSigma: 0.48598, volTheta: 0.47066, startPrice: 4.8811,
    hourVol: [1.289, 1.092, 0.931, 0.935, 0.882, 0.894, 0.921, 0.956, 1.062, 0.911, 0.973, 0.938, 1.101, 1.084, 1.152, 1.107, 1.096, 0.949, 0.889, 0.934, 0.953, 0.942, 0.936, 0.949],
    hourLogVolume: [0.179, -0.055, -0.184, -0.256, -0.257, -0.220, -0.125, -0.047, 0.078, 0.025, 0.003, 0.016, 0.169, 0.234, 0.320, 0.274, 0.284, 0.063, 0.034, -0.009, -0.000, -0.201, -0.150, -0.173],
  },
  {
    coin: 'DOT', mu: -1.2229e-05, phi: -0.064194, omega: 6.198e-07, alpha: 0.03625, gamma: 0.013599, beta: 0.94878, nu: 4.4934, volC: 1.0873, volA: 0.89754, volB: 0.28673, volSigma: 0.42652, volTheta: 0.40548, startPrice: 3.1,
    hourVol: [1.259, 1.041, 0.974, 0.944, 0.799, 0.851, 0.884, 0.923, 1.006, 0.971, 0.967, 0.920, 1.148, 1.086, 1.192, 1.064, 1.166, 0.959, 0.901, 0.899, 0.933, 0.945, 0.977, 1.047],
    hourLogVolume: [0.210, -0.007, -0.085, -0.138, -0.171, -0.206, -0.120, -0.048, 0.079, 0.031, 0.037, 0.039, 0.209, 0.275, 0.340, 0.273, 0.330, 0.021, -0.061, -0.143, -0.159, -0.369, -0.218, -0.120],
  },
  {
    coin: 'LTC', mu: 9.7449e-05, phi: -0.076993, omega: 6.4256e-07, alpha: 0.02628, gamma: 0.024724, beta: 0.94668, nu: 3.6456, volC: 0.92947, volA: 0.88827, volB: 0.2854, volSigma: 0.43806, volTheta: 0.40409, startPrice: 41.28,
    hourVol: [1.328, 1.056, 0.973, 0.933, 0.848, 0.850, 0.870, 0.876, 1.014, 0.935, 0.964, 0.947, 1.131, 1.170, 1.217, 1.114, 1.127, 0.931, 0.868, 0.866, 0.904, 0.921, 0.916, 1.047],
    hourLogVolume: [0.222, -0.017, -0.095, -0.149, -0.191, -0.196, -0.110, -0.078, 0.067, 0.018, 0.034, 0.060, 0.228, 0.266, 0.314, 0.251, 0.362, 0.048, -0.065, -0.132, -0.134, -0.357, -0.249, -0.097],
  },
];

const COPULA_CORR = [
  [1.000, 0.858, 0.743, 0.696, 0.659, 0.677, 0.715, 0.656, 0.725, 0.776],
  [0.858, 1.000, 0.765, 0.708, 0.699, 0.683, 0.744, 0.692, 0.753, 0.792],
  [0.743, 0.765, 1.000, 0.658, 0.643, 0.634, 0.703, 0.649, 0.707, 0.712],
  [0.696, 0.708, 0.658, 1.000, 0.598, 0.622, 0.681, 0.598, 0.656, 0.690],
  [0.659, 0.699, 0.643, 0.598, 1.000, 0.582, 0.649, 0.647, 0.660, 0.635],
  [0.677, 0.683, 0.634, 0.622, 0.582, 1.000, 0.636, 0.586, 0.632, 0.642],
  [0.715, 0.744, 0.703, 0.681, 0.649, 0.636, 1.000, 0.650, 0.703, 0.711],
  [0.656, 0.692, 0.649, 0.598, 0.647, 0.586, 0.650, 1.000, 0.659, 0.632],
  [0.725, 0.753, 0.707, 0.656, 0.660, 0.632, 0.703, 0.659, 1.000, 0.708],
  [0.776, 0.792, 0.712, 0.690, 0.635, 0.642, 0.711, 0.632, 0.708, 1.000],
];

// intrahour range: with sigma × 0.88 the simulated median ln(high/low) matches the real 2020-2022 medians of all 10 coins
// within ±5 % (sigma × 1 gave +10 %; compared on 100 000 simulated hours)
const HL_SCALE = 0.88;

const COPULA_NU = 7.026;

const VOLUME_CORR = [
  [1.000, 0.706, 0.520, 0.520, 0.464, 0.451, 0.525, 0.395, 0.501, 0.544],
  [0.706, 1.000, 0.558, 0.528, 0.481, 0.435, 0.569, 0.394, 0.536, 0.563],
  [0.520, 0.558, 1.000, 0.459, 0.400, 0.416, 0.505, 0.365, 0.482, 0.470],
  [0.520, 0.528, 0.459, 1.000, 0.396, 0.419, 0.509, 0.340, 0.453, 0.488],
  [0.464, 0.481, 0.400, 0.396, 1.000, 0.358, 0.414, 0.376, 0.437, 0.379],
  [0.451, 0.435, 0.416, 0.419, 0.358, 1.000, 0.430, 0.326, 0.401, 0.387],
  [0.525, 0.569, 0.505, 0.509, 0.414, 0.430, 1.000, 0.375, 0.501, 0.500],
  [0.395, 0.394, 0.365, 0.340, 0.376, 0.326, 0.375, 1.000, 0.388, 0.330],
  [0.501, 0.536, 0.482, 0.453, 0.437, 0.401, 0.501, 0.388, 1.000, 0.457],
  [0.544, 0.563, 0.470, 0.488, 0.379, 0.387, 0.500, 0.330, 0.457, 1.000],
];

/** a typical alt coin (about the medians of the fitted alts, hourly std 1.4 %, median volume e^13.8 ≈ 1e6 base units) */
const GENERIC_STD = 0.014, GENERIC_LOGVOL = 13.8;
const GENERIC_CORR = 0.68, GENERIC_VOLUME_CORR = 0.46; // medians of the fitted off-diagonals

// hour-of-day profile of a generic coin: the average of the fitted ones
function meanProfile(get: (f: CoinParams) => number[]): number[] {
  return Array.from({ length: 24 }, (_, h) => FITTED.reduce((s, f) => s + get(f)[h], 0) / FITTED.length);
}

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
    hlScale: HL_SCALE,
    note: 'tokcast defaults: fitMarket on Binance 1h candles 2020-2022',
  };
}

/** The coins with fitted defaults, in the default order. */
export const DEFAULT_MARKET_COINS: readonly string[] = FITTED.map((f) => f.coin);
