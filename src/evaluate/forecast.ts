// Autoregressive H-hour forecasts (step 7, docs/architecture.md#steps): predict hour 1, feed the predicted token back as the target
// coin's price token, slide the window, repeat. Tokens of the new hour that are not forecast (every other coin's
// channels and the target's volume) are unknown at forecast time, so they follow `policy`:
// 'persist' repeats each channel's last observed token, 'mode' uses each channel's most frequent training token.
// Using the true future tokens instead would leak the other coins' future into the forecast.

/** Returns class probabilities (B, O) of the last position for a batch x of shape (B, T, C, K). */
export type PredictFn = (x: Uint8Array, B: number) => Promise<Float32Array | Float64Array>;

export interface ForecastDims { T: number; C: number; K: number; O: number; targetCoin: number }

export interface ModelForecast { pred: Uint8Array; probs: Float64Array }

/** Forecasts H hours for N windows x (N, T, C, K); returns pred (N, H) and probs (N, H, O). */
export async function forecastAutoregressive(predict: PredictFn, x: Uint8Array, N: number, dims: ForecastDims, H: number,
  opts: { policy: 'persist' | 'mode'; modeTokens?: Uint8Array /* (C, K) */; batchSize?: number }): Promise<ModelForecast> {
  const { T, C, K, O, targetCoin } = dims;
  const row = C * K, win = T * row;
  if (x.length !== N * win) throw new Error(`forecast: x has ${x.length} tokens, expected N*T*C*K = ${N * win}`);
  if (opts.policy === 'mode' && (!opts.modeTokens || opts.modeTokens.length !== row)) throw new Error('forecast: policy mode needs modeTokens of length C*K');
  const pred = new Uint8Array(N * H), probs = new Float64Array(N * H * O);
  const bs = opts.batchSize ?? 1024;
  for (let b0 = 0; b0 < N; b0 += bs) {
    const B = Math.min(bs, N - b0);
    const buf = x.slice(b0 * win, (b0 + B) * win);
    for (let h = 0; h < H; h++) {
      const p = await predict(buf, B);
      for (let i = 0; i < B; i++) {
        let best = 0;
        for (let o = 0; o < O; o++) {
          const v = p[i * O + o];
          probs[((b0 + i) * H + h) * O + o] = v;
          if (v > p[i * O + best]) best = o;
        }
        pred[(b0 + i) * H + h] = best;
        if (h + 1 < H) slide(buf, i * win, T, row, opts.policy, opts.modeTokens, targetCoin * K, best);
      }
    }
  }
  return { pred, probs };
}

/** Shifts one window left by an hour and writes the new last hour. */
function slide(buf: Uint8Array, off: number, T: number, row: number, policy: 'persist' | 'mode', mode: Uint8Array | undefined, targetCol: number, token: number): void {
  buf.copyWithin(off, off + row, off + T * row);
  const last = off + (T - 1) * row;
  if (policy === 'mode') buf.set(mode!, last); // 'persist': the copy left the previous hour's tokens in place
  buf[last + targetCol] = token;
}
