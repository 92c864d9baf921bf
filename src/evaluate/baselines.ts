// Baselines a sceptical user asks for, forecasting the target's price token H hours ahead on the same windows:
// persistence (last token repeats), majority class, class-prior random, a first-order Markov chain, and the
// window's own majority (the regime of the last T hours: a calm spell keeps predicting "steady").
import { Rng } from '../util/rng.ts';

export interface Forecast {
  /** (N, H) predicted tokens */
  pred: Uint8Array;
  /** (N, H, V) class probabilities, or null for point forecasts without a distribution */
  probs: Float64Array | null;
}

/** Class frequencies of valid tokens (< V) with add-one smoothing. */
export function classPrior(tokens: ArrayLike<number>, V: number): Float64Array {
  const p = new Float64Array(V).fill(1);
  let n = V;
  for (let i = 0; i < tokens.length; i++) if (tokens[i] < V) { p[tokens[i]]++; n++; }
  for (let j = 0; j < V; j++) p[j] /= n;
  return p;
}

/** Transition matrix P[a][b] = P(next = b | now = a) from consecutive valid tokens, add-one smoothed; (V*V) row-major. */
export function fitMarkov(tokens: ArrayLike<number>, V: number): Float64Array {
  const c = new Float64Array(V * V).fill(1);
  for (let i = 1; i < tokens.length; i++) {
    const a = tokens[i - 1], b = tokens[i];
    if (a < V && b < V) c[a * V + b]++;
  }
  for (let a = 0; a < V; a++) {
    let s = 0;
    for (let b = 0; b < V; b++) s += c[a * V + b];
    for (let b = 0; b < V; b++) c[a * V + b] /= s;
  }
  return c;
}

function fill(N: number, H: number, V: number, row: (i: number, h: number, out: Float64Array) => void): Forecast {
  const pred = new Uint8Array(N * H), probs = new Float64Array(N * H * V);
  const tmp = new Float64Array(V);
  for (let i = 0; i < N; i++) for (let h = 0; h < H; h++) {
    row(i, h, tmp);
    let best = 0;
    for (let j = 0; j < V; j++) { probs[(i * H + h) * V + j] = tmp[j]; if (tmp[j] > tmp[best]) best = j; }
    pred[i * H + h] = best;
  }
  return { pred, probs };
}

/** Every hour repeats the last observed token; no distribution. */
export function persistence(last: ArrayLike<number>, H: number): Forecast {
  const N = last.length, pred = new Uint8Array(N * H);
  for (let i = 0; i < N; i++) pred.fill(last[i], i * H, i * H + H);
  return { pred, probs: null };
}

/** Always the training split's most frequent class; its distribution is the training prior. */
export function majority(prior: Float64Array, N: number, H: number): Forecast {
  return fill(N, H, prior.length, (_i, _h, out) => out.set(prior));
}

/** Draws each token from the training prior (seeded); probabilities are the prior. */
export function priorRandom(prior: Float64Array, N: number, H: number, seed: number): Forecast {
  const V = prior.length, rng = new Rng(seed);
  const f = majority(prior, N, H);
  for (let i = 0; i < N * H; i++) {
    let u = rng.random(), j = 0;
    while (j < V - 1 && u >= prior[j]) { u -= prior[j]; j++; }
    f.pred[i] = j;
  }
  return f;
}

/** h-step Markov forecast: the distribution after h transitions from the last token; prediction = its argmax. */
export function markov(P: Float64Array, last: ArrayLike<number>, H: number): Forecast {
  const V = Math.round(Math.sqrt(P.length));
  // rows of P^h for every start token, h = 1..H
  const powers: Float64Array[] = [P.slice()];
  for (let h = 1; h < H; h++) {
    const prev = powers[h - 1], next = new Float64Array(V * V);
    for (let a = 0; a < V; a++) for (let k = 0; k < V; k++) {
      const p = prev[a * V + k];
      if (p) for (let b = 0; b < V; b++) next[a * V + b] += p * P[k * V + b];
    }
    powers.push(next);
  }
  return fill(last.length, H, V, (i, h, out) => out.set(powers[h].subarray(last[i] * V, last[i] * V + V)));
}

/**
 * The most frequent token among a window's own T target tokens (ties: the one seen last), for every hour;
 * probabilities are the window's add-one smoothed frequencies. Uses only the input, so it never peeks, but it
 * picks up regimes that the balanced training prior cannot (e.g. a calm year where "steady" dominates).
 */
export function windowMajority(targets: Uint8Array /* (N, T) */, N: number, T: number, V: number, H: number): Forecast {
  const counts = new Float64Array(V), last = new Int32Array(V);
  return fill(N, H, V, (i, h, out) => {
    if (h === 0) {
      counts.fill(1); last.fill(-1);
      for (let t = 0; t < T; t++) { const k = targets[i * T + t]; if (k < V) { counts[k]++; last[k] = t; } }
    }
    let best = 0;
    for (let j = 1; j < V; j++) if (counts[j] > counts[best] || (counts[j] === counts[best] && last[j] > last[best])) best = j;
    const z = counts.reduce((a, b) => a + b, 0);
    // put the tie-broken winner strictly on top so fill()'s argmax agrees
    for (let j = 0; j < V; j++) out[j] = counts[j] / z;
    out[best] += 1e-12;
  });
}
