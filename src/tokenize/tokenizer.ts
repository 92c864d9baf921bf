// Fits the per-coin, per-channel tokenizer on the training rows only and applies it to every row (docs/model.md#tokenization).
import { fitBins, applyBins, INVALID_TOKEN } from './bins.ts';
import { logReturns, logVolumeChanges, volumeFloor } from './returns.ts';
import { SPLIT_CODE } from '../data/split.ts';
import { UserError } from '../util/errors.ts';

export interface TokenizerInput {
  coins: string[];
  close: Float64Array[];  // [coin][row]
  volume: Float64Array[]; // [coin][row]
  segment: Int32Array;
  split: Uint8Array;      // SPLIT_CODE per row (EMBARGO rows are never fitted on)
}

export interface CoinTokenizer { priceEdges: Float64Array; volumeEdges: Float64Array; volumeFloor: number }

export interface Tokenized {
  fitted: Record<string, CoinTokenizer>;
  price: Uint8Array[];
  volume: Uint8Array[];
  priceChange: Float64Array[];
  volumeChange: Float64Array[];
}

/** Fits edges (V bins) and volume floors on rows whose split is train, then tokenizes all rows. */
export function fitAndTokenize(inp: TokenizerInput, V: number): Tokenized {
  if (V > INVALID_TOKEN) throw new UserError(`config tokenize.num_bins: ${V} bins do not fit in a byte next to the invalid token ${INVALID_TOKEN}; use at most ${INVALID_TOKEN}`);
  const n = inp.segment.length;
  const train = new Uint8Array(n);
  for (let i = 0; i < n; i++) train[i] = inp.split[i] === SPLIT_CODE.train ? 1 : 0;
  const trainOnly = (x: Float64Array) => {
    const o = new Float64Array(n);
    for (let i = 0; i < n; i++) o[i] = train[i] ? x[i]! : NaN;
    return o;
  };
  const out: Tokenized = { fitted: {}, price: [], volume: [], priceChange: [], volumeChange: [] };
  inp.coins.forEach((coin, c) => {
    const r = logReturns(inp.close[c]!, inp.segment);
    const floor = volumeFloor(inp.volume[c]!, train);
    const dv = logVolumeChanges(inp.volume[c]!, inp.segment, floor);
    let priceEdges: Float64Array, volumeEdges: Float64Array;
    try {
      priceEdges = fitBins(trainOnly(r), V);
      volumeEdges = fitBins(trainOnly(dv), V);
    } catch (e) {
      throw new UserError(`tokenize: coin ${coin}: cannot fit bin edges on the training split (${(e as Error).message}); the training split needs at least two consecutive hours`);
    }
    out.fitted[coin] = { priceEdges, volumeEdges, volumeFloor: floor };
    out.price.push(applyBins(r, priceEdges));
    out.volume.push(applyBins(dv, volumeEdges));
    out.priceChange.push(r);
    out.volumeChange.push(dv);
  });
  return out;
}

/**
 * Tokenizes new rows with an already fitted tokenizer (edges.json of step 4; e.g. inference or simulated paths):
 * the same channel definitions, the stored edges and volume floors; coins in `coins` order.
 */
export function applyTokenizer(fitted: Record<string, CoinTokenizer>, coins: string[], close: Float64Array[], volume: Float64Array[],
  segment: Int32Array): { price: Uint8Array[]; volume: Uint8Array[] } {
  const price: Uint8Array[] = [], vol: Uint8Array[] = [];
  coins.forEach((coin, c) => {
    const f = fitted[coin];
    if (!f) throw new UserError(`tokenize: no fitted edges for coin ${coin} (have ${Object.keys(fitted).join(', ')}); rerun \`tokcast pipeline tokenize\``);
    price.push(applyBins(logReturns(close[c]!, segment), f.priceEdges));
    vol.push(applyBins(logVolumeChanges(volume[c]!, segment, f.volumeFloor), f.volumeEdges));
  });
  return { price, volume: vol };
}

/** Token counts (length V) and invalid count of `tokens` over the rows where split === code. */
export function tokenCounts(tokens: Uint8Array, split: Uint8Array, code: number, V: number): { counts: number[]; invalid: number } {
  const counts = new Array<number>(V).fill(0);
  let invalid = 0;
  for (let i = 0; i < tokens.length; i++) {
    if (split[i] !== code) continue;
    const t = tokens[i]!;
    if (t === INVALID_TOKEN) invalid++; else counts[t]!++;
  }
  return { counts, invalid };
}
