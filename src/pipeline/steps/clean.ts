// Step 2 clean (docs/architecture.md#steps): download.parquet -> clean.parquet (one hourly grid, repaired, segments) + quality metrics.
// The rules live in src/data/clean.ts; this file reads, writes and records.
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { StepContext } from '../context.ts';
import { writeArtifact, readArtifact, startTimer, inputRef, stepDir, artifactPath, type Artifact } from '../artifact.ts';
import { readParquet, writeParquet, type Columns } from '../../data/parquet.ts';
import { tableFromColumns, tableToColumns } from '../../data/align.ts';
import { cleanMarket, REPAIR_KINDS } from '../../data/clean.ts';
import { UserError } from '../../util/errors.ts';

const count = z.number().int().min(0);
const repairCounts = z.object(Object.fromEntries(REPAIR_KINDS.map((k) => [k, count])) as Record<(typeof REPAIR_KINDS)[number], typeof count>).strict();

export const cleanStats = z.object({
  coins: z.array(z.string()),
  long_gap: z.enum(['drop', 'mark']),
  max_ffill_hours: z.number().int(),
  grid_rows: count,
  rows_out: count,
  first_hour: z.string(),
  last_hour: z.string(),
  trimmed_start_hours: count,
  trimmed_end_hours: count,
  removed_hours: count,
  marked_hours: count,
  coverage: z.record(z.string(), z.object({
    first_hour: z.string(), last_hour: z.string(), present_hours: count, coverage: z.number().min(0).max(1),
  }).strict()),
  repairs: z.record(z.string(), repairCounts),
  repair_totals: repairCounts,
  gaps: z.array(z.object({ start: z.string(), hours: count, action: z.enum(['ffill', 'drop', 'mark']), coins: z.array(z.string()) }).strict()),
  segments: z.array(z.object({ id: count, start: z.string(), end: z.string(), rows: count }).strict()),
}).strict();
export type CleanStats = z.infer<typeof cleanStats>;

export const DOWNLOAD_FILE = 'download.parquet';
export const CLEAN_FILE = 'clean.parquet';

/** Removes a step's artifact JSON before its files are replaced, so a crash midway never leaves an artifact that
 *  describes files it did not write. */
export function retractArtifact(artifactsDir: string, step: Parameters<typeof artifactPath>[1]): void {
  const p = artifactPath(artifactsDir, step);
  if (existsSync(p)) rmSync(p);
}

/** Runs step 2: reads step 1's wide table, cleans it, writes clean.parquet (+ `<COIN>_flags`, `segment`, `valid`). */
export async function runClean(ctx: StepContext): Promise<Artifact<CleanStats>> {
  const timer = startTimer();
  const { config, artifactsDir } = ctx;
  const download = readArtifact(artifactsDir, 'download', z.unknown());
  const inPath = join(stepDir(artifactsDir, 'download'), DOWNLOAD_FILE);
  if (!existsSync(inPath)) throw new UserError(`${inPath}: missing; rerun \`tokcast pipeline download\``);
  const coins = config.data.coins;
  const cols = await readParquet(inPath);
  const table = tableFromColumns(cols, coins, inPath);
  const c = config.clean;
  const res = cleanMarket(table, {
    maxFfillHours: c.max_ffill_hours, longGap: c.long_gap, outlierLogReturn: c.outlier_log_return,
    outlierRevertFraction: c.outlier_revert_fraction, minCoverage: c.min_coverage,
  }, inPath);
  if (res.quality.rows_out === 0) throw new UserError(`${inPath}: no hours left after cleaning`);

  const out: Columns = tableToColumns(res.table);
  res.table.coins.forEach((coin, i) => { out[`${coin}_flags`] = res.flags[i]!; });
  out.segment = res.segment;
  out.valid = res.valid;
  const q = res.quality;
  const stats: CleanStats = {
    coins, long_gap: c.long_gap, max_ffill_hours: c.max_ffill_hours,
    grid_rows: q.grid_rows, rows_out: q.rows_out, first_hour: q.first_hour, last_hour: q.last_hour,
    trimmed_start_hours: q.trimmed_start_hours, trimmed_end_hours: q.trimmed_end_hours,
    removed_hours: q.removed_hours, marked_hours: q.marked_hours,
    coverage: q.coins, repairs: q.repairs, repair_totals: q.repair_totals, gaps: q.gaps, segments: q.segments,
  };
  retractArtifact(artifactsDir, 'clean');
  await writeParquet(join(stepDir(artifactsDir, 'clean'), CLEAN_FILE), out);
  const artifact: Artifact<CleanStats> = {
    step: 'clean', version: 1, created_at: new Date().toISOString(), config_hash: ctx.configHash, seed: config.seed,
    inputs: [inputRef(artifactsDir, 'download', download)], timings: timer.finish(), files: [CLEAN_FILE], stats,
  };
  writeArtifact(artifactsDir, 'clean', cleanStats, artifact);
  const t = q.repair_totals;
  ctx.reporter.log(`clean: ${q.rows_out} hours ${q.first_hour} .. ${q.last_hour}, ${q.segments.length} segment(s); ` +
    `filled ${t.ffill_hours} h, ${c.long_gap === 'drop' ? 'dropped' : 'marked'} ${q.removed_hours + q.marked_hours} h, ${t.outlier_spike} spike(s)`);
  return artifact;
}
