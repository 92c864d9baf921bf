// Replacing a checkpoint folder as one unit: the new one is written beside it (`<dir>.tmp`, manifest last), then swapped
// in by renames; `recoverCheckpointDir` finishes or undoes a swap a crash interrupted, so a reader finds the old folder
// or the new one, never a mix and never none.
import { existsSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { MANIFEST_FILE } from './manifest.ts';

const complete = (d: string) => existsSync(join(d, MANIFEST_FILE));

/** Writes a checkpoint folder with `write(tmpDir)` and swaps it in for `dir`. */
export function replaceCheckpointDir(dir: string, write: (tmpDir: string) => void): void {
  const tmp = `${dir}.tmp`, old = `${dir}.old`;
  recoverCheckpointDir(dir);
  rmSync(tmp, { recursive: true, force: true });
  write(tmp);
  if (!complete(tmp)) throw new Error(`internal: ${tmp} has no ${MANIFEST_FILE} after writing`);
  if (existsSync(dir)) renameSync(dir, old);
  renameSync(tmp, dir);
  rmSync(old, { recursive: true, force: true });
}

/**
 * After a crash: with `dir` in place, leftovers are removed; without it, the complete new folder (`.tmp`) or else the
 * previous one (`.old`) becomes `dir`. Returns what it did, or null when there was nothing to do.
 */
export function recoverCheckpointDir(dir: string): string | null {
  const tmp = `${dir}.tmp`, old = `${dir}.old`;
  const hadTmp = existsSync(tmp), hadOld = existsSync(old);
  if (!hadTmp && !hadOld) return null;
  if (existsSync(dir) && complete(dir)) {
    rmSync(tmp, { recursive: true, force: true });
    rmSync(old, { recursive: true, force: true });
    return `removed an unfinished ${hadTmp ? `${dir}.tmp` : `${dir}.old`}`;
  }
  rmSync(dir, { recursive: true, force: true });
  let what: string;
  if (hadTmp && complete(tmp)) { renameSync(tmp, dir); what = `completed the interrupted save of ${dir}`; }
  else if (hadOld && complete(old)) { renameSync(old, dir); what = `restored the previous ${dir}`; }
  else what = `removed an unfinished ${dir}`;
  rmSync(tmp, { recursive: true, force: true });
  rmSync(old, { recursive: true, force: true });
  return what;
}
