// Step 0 reset: clears the artifacts folder (run.json included: the next download starts a new run) and deletes the run's
// tuning study (named by step 6a's artifact); study databases (studies.db*) and their other studies survive unless --all.
import { existsSync, readdirSync, rmSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { StepContext } from '../context.ts';
import { writeArtifact, startTimer, artifactPath, type Artifact } from '../artifact.ts';
import { readJson } from '../../util/fs.ts';
import { openStorage, redact } from '../../tune/storage/url.ts';
import { NotFoundError, type Storage } from '../../tune/storage/storage.ts';
import { LOCK_FILE } from '../lock.ts';

export const resetStats = z.object({
  removed: z.array(z.string()),
  kept: z.array(z.string()),
  /** the run's tuning study (named by step 6a's artifact), deleted from its storage */
  studies_removed: z.array(z.string()).default([]),
}).strict();
export type ResetStats = z.infer<typeof resetStats>;

const isStudyFile = (name: string) => /^studies\.db(-wal|-shm|-journal)?$/.test(name) || name.endsWith('.db') || name.endsWith('.db-wal') || name.endsWith('.db-shm');

const tuneRecord = z.object({ stats: z.object({ study_name: z.string(), storage: z.string() }).passthrough() }).passthrough();

/**
 * Deletes the run's tuning study (named in step 6a's artifact) from its storage, so a later tune starts afresh; other
 * studies in the same database stay. Returns `name in storage` when deleted; a storage that cannot be opened is reported.
 */
async function removeRunStudy(ctx: StepContext): Promise<string[]> {
  const path = artifactPath(ctx.artifactsDir, 'tune');
  if (!existsSync(path)) return [];
  const rec = tuneRecord.safeParse(readJson(path));
  if (!rec.success) return [];
  const { study_name: name, storage: url } = rec.data.stats;
  let storage: Storage;
  try {
    storage = await openStorage(url);
  } catch (e) {
    ctx.reporter.log(`reset: study "${name}" kept: cannot open ${redact(url)}: ${(e as Error).message}`);
    return [];
  }
  try {
    await storage.deleteStudy(await storage.getStudyIdFromName(name));
    return [`${name} in ${redact(url)}`];
  } catch (e) {
    if (!(e instanceof NotFoundError)) throw e;
    return [];
  } finally {
    await storage.close();
  }
}

/** Removes every entry of the artifacts folder except study databases (all of them with `all`), and the run's study. */
export async function runReset(ctx: StepContext, opts: { all?: boolean } = {}): Promise<Artifact<ResetStats>> {
  const timer = startTimer();
  const dir = ctx.artifactsDir;
  const removed: string[] = [], kept: string[] = [];
  const studiesRemoved = await removeRunStudy(ctx);
  if (existsSync(dir)) {
    for (const name of readdirSync(dir).sort()) {
      if (name.startsWith(LOCK_FILE)) continue; // the lock of the command running this reset
      if (!opts.all && isStudyFile(name)) { kept.push(name); continue; }
      rmSync(join(dir, name), { recursive: true, force: true });
      removed.push(name);
    }
  }
  mkdirSync(dir, { recursive: true });
  const artifact: Artifact<ResetStats> = {
    step: 'reset', version: 1, created_at: new Date().toISOString(), config_hash: ctx.configHash, seed: ctx.config.seed,
    inputs: [], timings: timer.finish(), files: [], stats: { removed, kept, studies_removed: studiesRemoved },
  };
  writeArtifact(dir, 'reset', resetStats, artifact);
  ctx.reporter.log(`reset: removed ${removed.length} entr${removed.length === 1 ? 'y' : 'ies'}${kept.length ? `, kept ${kept.join(', ')}` : ''}` +
    `${studiesRemoved.length ? `; deleted study ${studiesRemoved.join(', ')}` : ''}`);
  return artifact;
}
