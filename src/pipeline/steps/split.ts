// Step 3 split (docs/architecture.md#steps): clean.parquet's hours -> split.parquet (open_time, split code) + boundaries in the artifact.
// The rule lives in src/data/split.ts.
import { join } from 'node:path';
import { z } from 'zod';
import type { StepContext } from '../context.ts';
import type { Config } from '../../config/schema.ts';
import { writeArtifact, readArtifact, startTimer, inputRef, stepDir, type Artifact } from '../artifact.ts';
import { readParquet, writeParquet } from '../../data/parquet.ts';
import { splitRows, SPLIT_CODE, EMBARGO } from '../../data/split.ts';
import { cleanStats, CLEAN_FILE, retractArtifact } from './clean.ts';

const count = z.number().int().min(0);
const rangeSchema = z.object({
  name: z.enum(['train', 'val', 'test']), start_row: count, end_row: count, rows: count,
  start: z.string(), end: z.string(), start_ms: z.number(), end_ms: z.number(),
}).strict();

export const splitStats = z.object({
  mode: z.enum(['ratio', 'date']),
  rows: count,
  embargo_hours: count,
  embargo_rows: count,
  codes: z.object({ train: z.literal(SPLIT_CODE.train), val: z.literal(SPLIT_CODE.val), test: z.literal(SPLIT_CODE.test), embargo: z.literal(EMBARGO) }).strict(),
  splits: z.array(rangeSchema).min(2),
}).strict();
export type SplitStats = z.infer<typeof splitStats>;

export const SPLIT_FILE = 'split.parquet';

/** split.embargo_hours, or when null one window plus the evaluation horizon: no window or target straddles two splits. */
export function effectiveEmbargoHours(config: Config): number {
  return config.split.embargo_hours ?? config.sequences.window + config.evaluate.horizon;
}

/** Runs step 3: assigns every cleaned hour to train/val/test (or embargo) and records the boundaries. */
export async function runSplit(ctx: StepContext): Promise<Artifact<SplitStats>> {
  const timer = startTimer();
  const { config, artifactsDir } = ctx;
  const clean = readArtifact(artifactsDir, 'clean', cleanStats);
  const { open_time } = await readParquet(join(stepDir(artifactsDir, 'clean'), CLEAN_FILE), { columns: ['open_time'] });
  const openTime = open_time as Float64Array;
  const s = config.split;
  const embargoHours = effectiveEmbargoHours(config);
  const res = splitRows(openTime, {
    mode: s.mode, trainRatio: s.train_ratio, valRatio: s.val_ratio, trainEnd: s.train_end, valEnd: s.val_end, embargoHours,
  });
  const stats: SplitStats = {
    mode: s.mode, rows: openTime.length, embargo_hours: embargoHours, embargo_rows: res.embargoRows,
    codes: { train: SPLIT_CODE.train, val: SPLIT_CODE.val, test: SPLIT_CODE.test, embargo: EMBARGO },
    splits: res.ranges,
  };
  retractArtifact(artifactsDir, 'split');
  await writeParquet(join(stepDir(artifactsDir, 'split'), SPLIT_FILE), { open_time: openTime, split: res.split });
  const artifact: Artifact<SplitStats> = {
    step: 'split', version: 1, created_at: new Date().toISOString(), config_hash: ctx.configHash, seed: config.seed,
    inputs: [inputRef(artifactsDir, 'clean', clean)], timings: timer.finish(), files: [SPLIT_FILE], stats,
  };
  writeArtifact(artifactsDir, 'split', splitStats, artifact);
  ctx.reporter.log(`split: ${res.ranges.map((r) => `${r.name} ${r.rows} h (${r.start.slice(0, 13)} .. ${r.end.slice(0, 13)})`).join(', ')}` +
    (res.embargoRows ? `, ${res.embargoRows} embargo h` : ''));
  return artifact;
}
