// Every baseline of the evaluation, fitted once on the training data (choices on validation) and then applied to any
// set of windows: persistence, majority, class-prior random, Markov, window majority, multinomial logistic regression
// on the window's one-hot tokens, and GARCH(1,1)-t mapped to the token bins.
import { classPrior, fitMarkov, persistence, majority, priorRandom, markov, windowMajority, type Forecast } from './baselines.ts';
import { fitLogisticBaseline, predictLogistic, type LogisticBaseline, type LogisticOptions, type TokenWindowSet } from './logistic.ts';
import { fitGarchBaseline, garchForecast, type GarchBaseline } from './garch-baseline.ts';

/** Window shape: T hours of C coins x K channels, V tokens; the target coin's price is channel 0 of coin targetCoin. */
export interface SuiteDims { T: number; C: number; K: number; V: number; targetCoin: number }

export interface FittedBaselines {
  dims: SuiteDims;
  horizon: number;
  prior: Float64Array;
  markov: Float64Array;
  logistic: LogisticBaseline | null;
  garch: GarchBaseline | null;
}

/** Baselines never chosen as "the best baseline": prior_random's expected accuracy never exceeds majority's. */
export const NOT_CANDIDATES = ['prior_random'];

export interface FitInputs {
  /** the target's price tokens over the training hours, in time order (prior and Markov chain) */
  trainTarget: Uint8Array;
  /** training and validation windows (logistic regression: fit and L2 choice); omit to skip it */
  train?: TokenWindowSet;
  val?: TokenWindowSet;
  /** the target's hourly log returns on the training hours (NaN elsewhere) and its price bin edges; omit to skip GARCH */
  trainReturns?: Float64Array;
  priceEdges?: Float64Array;
  logistic?: LogisticOptions;
}

export function fitBaselines(dims: SuiteDims, horizon: number, inp: FitInputs): FittedBaselines {
  const logistic = inp.train && inp.val && inp.train.N > 0 && inp.val.N > 0
    ? fitLogisticBaseline(inp.train, inp.val, dims, { horizon, ...inp.logistic }) : null;
  let garch: GarchBaseline | null = null;
  if (inp.trainReturns && inp.priceEdges) {
    let n = 0;
    for (const r of inp.trainReturns) if (Number.isFinite(r)) n++;
    if (n >= 200) garch = fitGarchBaseline(inp.trainReturns, inp.priceEdges);
  }
  return { dims, horizon, prior: classPrior(inp.trainTarget, dims.V), markov: fitMarkov(inp.trainTarget, dims.V), logistic, garch };
}

export interface ApplyWindows {
  /** (N, T, C, K) tokens */
  x: Uint8Array;
  N: number;
  /** for GARCH: the target's log returns over all rows and each window's first row (its last observed row is row + T - 1) */
  returns?: Float64Array;
  row?: ArrayLike<number>;
}

/** Forecasts (N, H) of every fitted baseline on the windows; seed drives prior_random. */
export function baselineForecasts(b: FittedBaselines, w: ApplyWindows, seed: number): Record<string, Forecast> {
  const { T, C, K, V, targetCoin } = b.dims, H = b.horizon, N = w.N, row = C * K, win = T * row;
  const targets = new Uint8Array(N * T), last = new Uint8Array(N);
  for (let i = 0; i < N; i++) {
    for (let t = 0; t < T; t++) targets[i * T + t] = w.x[i * win + t * row + targetCoin * K];
    last[i] = targets[i * T + T - 1];
  }
  const out: Record<string, Forecast> = {
    persistence: persistence(last, H),
    majority: majority(b.prior, N, H),
    prior_random: priorRandom(b.prior, N, H, seed),
    markov: markov(b.markov, last, H),
    window_majority: windowMajority(targets, N, T, V, H),
  };
  if (b.logistic) out.logistic = predictLogistic(b.logistic, w.x, N);
  if (b.garch && w.returns && w.row) {
    const lastRows = Int32Array.from({ length: N }, (_, i) => w.row![i] + T - 1);
    out.garch = garchForecast(b.garch, w.returns, lastRows, H);
  }
  return out;
}
