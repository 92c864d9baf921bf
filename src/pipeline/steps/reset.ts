// Step 0 reset: clears the artifacts folder (run.json included: the next download starts a new run); tuning studies
// (studies.db*) survive unless asked.
import { existsSync, readdirSync, rmSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { StepContext } from '../context.ts';
import { writeArtifact, startTimer, type Artifact } from '../artifact.ts';
import { LOCK_FILE } from '../lock.ts';

export const resetStats = z.object({
  removed: z.array(z.string()),
  kept: z.array(z.string()),
}).strict();
export type ResetStats = z.infer<typeof resetStats>;

const isStudyFile = (name: string) => /^studies\.db(-wal|-shm|-journal)?$/.test(name) || name.endsWith('.db') || name.endsWith('.db-wal') || name.endsWith('.db-shm');

/** Removes every entry of the artifacts folder except study databases (all of them with `all`). */
export async function runReset(ctx: StepContext, opts: { all?: boolean } = {}): Promise<Artifact<ResetStats>> {
  const timer = startTimer();
  const dir = ctx.artifactsDir;
  const removed: string[] = [], kept: string[] = [];
  if (existsSync(dir)) {
    for (const name of readdirSync(dir).sort()) {
      if (name === LOCK_FILE) continue; // the lock of the command running this reset
      if (!opts.all && isStudyFile(name)) { kept.push(name); continue; }
      rmSync(join(dir, name), { recursive: true, force: true });
      removed.push(name);
    }
  }
  mkdirSync(dir, { recursive: true });
  const artifact: Artifact<ResetStats> = {
    step: 'reset', version: 1, created_at: new Date().toISOString(), config_hash: ctx.configHash, seed: ctx.config.seed,
    inputs: [], timings: timer.finish(), files: [], stats: { removed, kept },
  };
  writeArtifact(dir, 'reset', resetStats, artifact);
  ctx.reporter.log(`reset: removed ${removed.length} entr${removed.length === 1 ? 'y' : 'ies'}${kept.length ? `, kept ${kept.join(', ')}` : ''}`);
  return artifact;
}
