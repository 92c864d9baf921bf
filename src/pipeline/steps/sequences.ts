// Step 5 sequences (docs/model.md#tokenization): tokens.parquet -> sequences_{train,val,test}.safetensors with x (N,T,C,K) U8,
// y (N,) U8, t0 (N,) F64 ms, row (N,) I32 and future (N,H) U8; windows never cross a split or a segment.
import { join } from 'node:path';
import { z } from 'zod';
import type { StepContext } from '../context.ts';
import { writeArtifact, readArtifact, startTimer, inputRef, stepDir, type Artifact } from '../artifact.ts';
import { readParquet } from '../../data/parquet.ts';
import { SPLIT_CODE } from '../../data/split.ts';
import { writeSafetensors } from '../../checkpoint/safetensors.ts';
import { windowStarts, buildWindows, K, type TokenTable, type Windows } from '../../tokenize/windows.ts';
import { UserError } from '../../util/errors.ts';
import { retractArtifact } from './clean.ts';
import { splitStats } from './split.ts';
import { tokenizeStats, TOKENS_FILE } from './tokenize.ts';

const count = z.number().int().min(0);
export const sequencesStats = z.object({
  coins: z.array(z.string()),
  target_coin: z.string(),
  target_index: count,
  V: z.number().int(), T: z.number().int(), C: z.number().int(), K: z.literal(K), H: z.number().int(), stride: z.number().int(),
  splits: z.array(z.object({
    split: z.enum(['train', 'val', 'test']),
    file: z.string(),
    N: count,
    x_shape: z.array(count), y_shape: z.array(count), future_shape: z.array(count),
    y_counts: z.array(count), y_shares: z.array(z.number()),
    first_t0: z.string().nullable(), last_t0: z.string().nullable(),
  }).strict()),
}).strict();
export type SequencesStats = z.infer<typeof sequencesStats>;

export const sequencesFile = (split: string) => `sequences_${split}.safetensors`;

/** Reads tokens.parquet into a TokenTable with coins in the given order. */
export async function readTokenTable(path: string, coins: string[]): Promise<TokenTable> {
  const cols = await readParquet(path, { columns: ['open_time', 'split', 'segment', ...coins.flatMap((c) => [`${c}_price`, `${c}_volume`])] });
  return {
    openTime: cols.open_time as Float64Array, split: cols.split as Uint8Array, segment: cols.segment as Int32Array,
    price: coins.map((c) => cols[`${c}_price`] as Uint8Array), volume: coins.map((c) => cols[`${c}_volume`] as Uint8Array),
  };
}

/** Runs step 5. */
export async function runSequences(ctx: StepContext): Promise<Artifact<SequencesStats>> {
  const timer = startTimer();
  const { config, artifactsDir } = ctx;
  const split = readArtifact(artifactsDir, 'split', splitStats);
  const tokenize = readArtifact(artifactsDir, 'tokenize', tokenizeStats);
  const coins = config.data.coins;
  if (coins.join(',') !== tokenize.stats.coins.join(',')) {
    throw new UserError(`config data.coins (${coins.join(', ')}) differ from the tokenized coins (${tokenize.stats.coins.join(', ')}); rerun \`tokcast pipeline tokenize\``);
  }
  const target = coins.indexOf(config.data.target_coin);
  if (target < 0) throw new UserError(`config data.target_coin: ${config.data.target_coin} is not one of data.coins (${coins.join(', ')})`);
  const T = config.sequences.window, stride = config.sequences.stride, H = config.evaluate.horizon, V = tokenize.stats.num_bins;
  const tt = await readTokenTable(join(stepDir(artifactsDir, 'tokenize'), TOKENS_FILE), coins);

  const built: Array<{ name: 'train' | 'val' | 'test'; w: Windows }> = [];
  for (const range of split.stats.splits) {
    const { starts, runEnd } = windowStarts(tt, SPLIT_CODE[range.name], T, stride);
    if (starts.length === 0 && range.name !== 'test') {
      throw new UserError(`sequences: the ${range.name} split (${range.rows} hours) has no window of ${T} hours plus a target hour inside one segment; lower sequences.window or enlarge the split`);
    }
    built.push({ name: range.name, w: buildWindows(tt, starts, runEnd, T, target, H) });
  }

  const dir = stepDir(artifactsDir, 'sequences');
  retractArtifact(artifactsDir, 'sequences');
  const splits: SequencesStats['splits'] = [];
  for (const { name, w } of built) {
    const file = sequencesFile(name);
    const C = coins.length;
    writeSafetensors(join(dir, file), {
      x: { dtype: 'U8', shape: [w.N, T, C, K], data: w.x },
      y: { dtype: 'U8', shape: [w.N], data: w.y },
      t0: { dtype: 'F64', shape: [w.N], data: w.t0 },
      row: { dtype: 'I32', shape: [w.N], data: w.row },
      future: { dtype: 'U8', shape: [w.N, H], data: w.future },
    }, {
      coins: JSON.stringify(coins), target_coin: config.data.target_coin, target_index: String(target),
      V: String(V), T: String(T), C: String(C), K: String(K), H: String(H), stride: String(stride), split: name,
      channels: JSON.stringify(['price', 'volume']), config_hash: ctx.configHash,
    });
    const yCounts = new Array<number>(V).fill(0);
    for (const v of w.y) yCounts[v]!++;
    splits.push({
      split: name, file, N: w.N, x_shape: [w.N, T, C, K], y_shape: [w.N], future_shape: [w.N, H],
      y_counts: yCounts, y_shares: yCounts.map((k) => (w.N ? k / w.N : 0)),
      first_t0: w.N ? new Date(w.t0[0]!).toISOString() : null, last_t0: w.N ? new Date(w.t0[w.N - 1]!).toISOString() : null,
    });
  }
  const stats: SequencesStats = { coins, target_coin: config.data.target_coin, target_index: target, V, T, C: coins.length, K, H, stride, splits };
  const artifact: Artifact<SequencesStats> = {
    step: 'sequences', version: 1, created_at: new Date().toISOString(), config_hash: ctx.configHash, seed: config.seed,
    inputs: [inputRef(artifactsDir, 'split', split), inputRef(artifactsDir, 'tokenize', tokenize)], timings: timer.finish(),
    files: splits.map((s) => s.file), stats,
  };
  writeArtifact(artifactsDir, 'sequences', sequencesStats, artifact);
  ctx.reporter.log(`sequences: ${splits.map((s) => `${s.split} ${s.N}`).join(', ')} windows of T = ${T} (C = ${coins.length}, K = ${K}), target ${config.data.target_coin}`);
  return artifact;
}
