// edges.json of step 4: per coin and channel the bin edges (fitted on the training split), the value range each token
// stands for, and the volume floor; read by sequences, pretraining (applyBins on simulated data) and inference.
import { z } from 'zod';
import { readJson, writeJsonAtomic } from '../util/fs.ts';
import { UserError } from '../util/errors.ts';
import { binRanges } from './bins.ts';
import { issuesLine } from '../util/zod-issues.ts';

const channelSchema = z.object({
  edges: z.array(z.number()),
  /** [low, high) per token; null = -inf / +inf */
  ranges: z.array(z.tuple([z.number().nullable(), z.number().nullable()])),
}).strict();

export const edgesFileSchema = z.object({
  version: z.literal(1),
  num_bins: z.number().int().min(2).max(255),
  coins: z.array(z.string()),
  channels: z.tuple([z.literal('price'), z.literal('volume')]),
  token_rule: z.string(),
  tie_rule: z.string(),
  price_definition: z.string(),
  volume_definition: z.string(),
  per_coin: z.record(z.string(), z.object({ price: channelSchema, volume: channelSchema.extend({ floor: z.number().positive() }) }).strict()),
}).strict();
export type EdgesFile = z.infer<typeof edgesFileSchema>;

export const TOKEN_RULE = 'token(v) = number of edges e with e <= v, so token i covers [edges[i-1], edges[i]); NaN (no previous hour) -> 255';
export const TIE_RULE = 'edges lie between consecutive distinct training values (midpoint, or the upper value if the midpoint rounds onto the lower); '
  + 'if the plain quantile cuts round(i*n/V) all fall between distinct values they are used, else the cuts minimise sum (count - n/V)^2 over bins '
  + '(a value heavier than n/V gets its own bin); with fewer distinct values than bins, the minimum itself and nextUp steps above the maximum fill in';

/** The JSON form of one channel's edges. */
export function channelEntry(edges: Float64Array): z.infer<typeof channelSchema> {
  const fin = (x: number) => (Number.isFinite(x) ? x : null);
  return { edges: [...edges], ranges: binRanges(edges).map(([a, b]) => [fin(a), fin(b)] as [number | null, number | null]) };
}

export function writeEdgesFile(path: string, file: EdgesFile): void {
  writeJsonAtomic(path, edgesFileSchema.parse(file));
}

/** Reads and validates edges.json; `edgesOf(file, coin, channel)` gives the Float64Array for applyBins. */
export function readEdgesFile(path: string): EdgesFile {
  const raw = readJson(path);
  const parsed = edgesFileSchema.safeParse(raw);
  if (!parsed.success) throw new UserError(`${path}: not a valid edges file (${issuesLine(parsed.error, raw, { limit: 1 })}); rerun \`tokcast pipeline tokenize\``);
  return parsed.data;
}

/** The fitted tokenizer of every coin in an edges file, ready for applyTokenizer. */
export function tokenizerOf(file: EdgesFile): Record<string, { priceEdges: Float64Array; volumeEdges: Float64Array; volumeFloor: number }> {
  return Object.fromEntries(file.coins.map((coin) => {
    const e = file.per_coin[coin]!;
    return [coin, { priceEdges: Float64Array.from(e.price.edges), volumeEdges: Float64Array.from(e.volume.edges), volumeFloor: e.volume.floor }];
  }));
}

export function edgesOf(file: EdgesFile, coin: string, channel: 'price' | 'volume'): Float64Array {
  const e = file.per_coin[coin];
  if (!e) throw new UserError(`edges file has no coin ${coin} (has ${file.coins.join(', ')})`);
  return Float64Array.from(e[channel].edges);
}
