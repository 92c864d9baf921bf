// Leftovers of an interrupted run, cleared when the next writing command starts (under the folder's lock): temp files
// and folders (`*.tmp`), lock files moved aside (`*.stale`), and checkpoint swaps a crash cut short (finished or undone).
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { recoverCheckpointDir } from '../checkpoint/swap.ts';

const LEFTOVER = /\.(tmp|old|stale)$/;

/** Sweeps `artifactsDir` (recursively); returns one line per thing done. */
export function sweepLeftovers(artifactsDir: string): string[] {
  const done: string[] = [];
  if (!existsSync(artifactsDir)) return done;
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (!existsSync(path)) continue; // handled with its sibling
      const isDir = statSync(path).isDirectory();
      if (LEFTOVER.test(name)) {
        const base = path.replace(LEFTOVER, '');
        if (isDir && /checkpoint/.test(name)) {
          const what = recoverCheckpointDir(base);
          if (what) done.push(what);
        } else {
          rmSync(path, { recursive: true, force: true });
          done.push(`removed ${path}`);
        }
      } else if (isDir) walk(path);
    }
  };
  walk(artifactsDir);
  return done;
}
