// Step 4 tokenize (docs/model.md#tokenization): clean.parquet + split.parquet -> tokens.parquet, edges.json, the token
// distribution report (artifact) and token_distribution.png. Edges are fitted on the training split only.
import { join } from 'node:path';
import { z } from 'zod';
import type { StepContext } from '../context.ts';
import { writeArtifact, readArtifact, startTimer, inputRef, stepDir, type Artifact } from '../artifact.ts';
import { readParquet, writeParquet, type Columns } from '../../data/parquet.ts';
import { wideColumn } from '../../data/candles.ts';
import { SPLIT_CODE, EMBARGO, SPLIT_NAMES } from '../../data/split.ts';
import { fitAndTokenize, tokenCounts, type Tokenized } from '../../tokenize/tokenizer.ts';
import { channelEntry, writeEdgesFile, TOKEN_RULE, TIE_RULE, type EdgesFile } from '../../tokenize/edges-file.ts';
import { VOLUME_FLOOR_FRACTION } from '../../tokenize/returns.ts';
import { tokenDistributionSpec, type TokenShare } from '../../plots/specs/tokens.ts';
import { renderPng } from '../../plots/render.ts';
import { UserError } from '../../util/errors.ts';
import { cleanStats, CLEAN_FILE, retractArtifact } from './clean.ts';
import { splitStats, SPLIT_FILE } from './split.ts';

const count = z.number().int().min(0);
export const tokenizeStats = z.object({
  num_bins: z.number().int(),
  coins: z.array(z.string()),
  rows: count,
  volume_floors: z.record(z.string(), z.number().positive()),
  distribution: z.array(z.object({
    coin: z.string(), channel: z.enum(['price', 'volume']), split: z.enum(['train', 'val', 'test']),
    counts: z.array(count), invalid: count, shares: z.array(z.number()),
  }).strict()),
  /** max over coins/channels of (largest - smallest) training bin count */
  train_max_spread: count,
  plot: z.string().nullable(),
}).strict();
export type TokenizeStats = z.infer<typeof tokenizeStats>;

export const TOKENS_FILE = 'tokens.parquet';
export const EDGES_FILE = 'edges.json';
export const TOKEN_PLOT = 'token_distribution.png';

function edgesFileOf(coins: string[], V: number, tok: Tokenized): EdgesFile {
  return {
    version: 1, num_bins: V, coins, channels: ['price', 'volume'], token_rule: TOKEN_RULE, tie_rule: TIE_RULE,
    price_definition: 'log(close_t / close_{t-1}), hour t-1 in the same segment',
    volume_definition: `log((v_t + f) / (v_{t-1} + f)), f = ${VOLUME_FLOOR_FRACTION} x median positive training volume of the coin`,
    per_coin: Object.fromEntries(coins.map((coin) => {
      const f = tok.fitted[coin]!;
      return [coin, { price: channelEntry(f.priceEdges), volume: { ...channelEntry(f.volumeEdges), floor: f.volumeFloor } }];
    })),
  };
}

// token counts per coin, channel and split; spread = largest (max - min) training bin count
function distributionOf(coins: string[], V: number, tok: Tokenized, splitCol: Uint8Array, present: string[]) {
  const distribution: TokenizeStats['distribution'] = [];
  let spread = 0;
  coins.forEach((coin, c) => {
    for (const channel of ['price', 'volume'] as const) {
      const tokens = channel === 'price' ? tok.price[c]! : tok.volume[c]!;
      for (const name of SPLIT_NAMES) {
        if (!present.includes(name)) continue;
        const { counts, invalid } = tokenCounts(tokens, splitCol, SPLIT_CODE[name], V);
        const total = counts.reduce((a, b) => a + b, 0);
        distribution.push({ coin, channel, split: name, counts, invalid, shares: counts.map((k) => (total ? k / total : 0)) });
        if (name === 'train') spread = Math.max(spread, Math.max(...counts) - Math.min(...counts));
      }
    }
  });
  return { distribution, spread };
}

/** Runs step 4 (`opts.plot: false` skips the PNG). */
export async function runTokenize(ctx: StepContext, opts: { plot?: boolean } = {}): Promise<Artifact<TokenizeStats>> {
  const timer = startTimer();
  const { config, artifactsDir } = ctx;
  const clean = readArtifact(artifactsDir, 'clean', cleanStats);
  const split = readArtifact(artifactsDir, 'split', splitStats);
  const coins = config.data.coins;
  const cleanPath = join(stepDir(artifactsDir, 'clean'), CLEAN_FILE);
  const want = ['open_time', 'segment', ...coins.flatMap((c) => [wideColumn(c, 'close'), wideColumn(c, 'volume')])];
  const cols = await readParquet(cleanPath, { columns: want });
  const splitPath = join(stepDir(artifactsDir, 'split'), SPLIT_FILE);
  const sp = await readParquet(splitPath, { columns: ['open_time', 'split'] });
  const openTime = cols.open_time as Float64Array;
  const splitCol = sp.split as Uint8Array;
  const spTime = sp.open_time as Float64Array;
  if (spTime.length !== openTime.length || spTime.some((t, i) => t !== openTime[i])) {
    throw new UserError(`${splitPath}: its hours do not match ${cleanPath}; rerun \`tokcast pipeline split\``);
  }
  const V = config.tokenize.num_bins;
  const tok = fitAndTokenize({
    coins, segment: cols.segment as Int32Array, split: splitCol,
    close: coins.map((c) => cols[wideColumn(c, 'close')] as Float64Array),
    volume: coins.map((c) => cols[wideColumn(c, 'volume')] as Float64Array),
  }, V);

  const out: Columns = { open_time: openTime, split: splitCol, segment: cols.segment! };
  coins.forEach((coin, c) => { out[`${coin}_price`] = tok.price[c]!; out[`${coin}_volume`] = tok.volume[c]!; });
  const edgesFile = edgesFileOf(coins, V, tok);
  const { distribution, spread } = distributionOf(coins, V, tok, splitCol, split.stats.splits.map((r) => r.name));

  const dir = stepDir(artifactsDir, 'tokenize');
  retractArtifact(artifactsDir, 'tokenize');
  await writeParquet(join(dir, TOKENS_FILE), out);
  writeEdgesFile(join(dir, EDGES_FILE), edgesFile);
  const files = [TOKENS_FILE, EDGES_FILE];
  let plot: string | null = null;
  if (opts.plot !== false) {
    const rows: TokenShare[] = distribution.flatMap((d) => d.shares.map((share, token) => ({ coin: d.coin, channel: d.channel, split: d.split, token, share })));
    await renderPng(tokenDistributionSpec(rows, V, coins, `Token distribution (V = ${V}; edges fitted on train)`), join(dir, TOKEN_PLOT));
    plot = TOKEN_PLOT;
    files.push(TOKEN_PLOT);
  }
  const stats: TokenizeStats = {
    num_bins: V, coins, rows: openTime.length,
    volume_floors: Object.fromEntries(coins.map((coin) => [coin, tok.fitted[coin]!.volumeFloor])),
    distribution, train_max_spread: spread, plot,
  };
  const artifact: Artifact<TokenizeStats> = {
    step: 'tokenize', version: 1, created_at: new Date().toISOString(), config_hash: ctx.configHash, seed: config.seed,
    inputs: [inputRef(artifactsDir, 'clean', clean), inputRef(artifactsDir, 'split', split)], timings: timer.finish(), files, stats,
  };
  writeArtifact(artifactsDir, 'tokenize', tokenizeStats, artifact);
  const embargo = splitCol.reduce((a, s) => a + (s === EMBARGO ? 1 : 0), 0);
  ctx.reporter.log(`tokenize: ${coins.length} coins x 2 channels, V = ${V}, ${openTime.length} hours` +
    `${embargo ? ` (${embargo} embargo)` : ''}; largest train bin spread ${spread}`);
  return artifact;
}
