// The artifacts folder's lock `<artifacts>/.lock` (pid, host, command, start time): one writing command at a time.
// Taken with an exclusive create; a lock left by a dead process on this host is taken over with a notice.
import { linkSync, openSync, readFileSync, renameSync, unlinkSync, writeSync, closeSync, fsyncSync, mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { UserError } from '../util/errors.ts';

export const LOCK_FILE = '.lock';

const lockSchema = z.object({ pid: z.number().int().positive(), host: z.string(), command: z.string(), started_at: z.string() }).strict();
export type LockInfo = z.infer<typeof lockSchema>;

export const lockPath = (artifactsDir: string) => join(artifactsDir, LOCK_FILE);

/** The current holder, or null when the folder is not locked (an unreadable lock file reads as held by nobody known). */
export function readLock(artifactsDir: string): LockInfo | 'unreadable' | null {
  let text: string;
  try {
    text = readFileSync(lockPath(artifactsDir), 'utf8');
  } catch {
    return null;
  }
  try {
    return lockSchema.parse(JSON.parse(text));
  } catch {
    return 'unreadable';
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function tryCreate(path: string, info: LockInfo): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
  try {
    writeSync(fd, JSON.stringify(info) + '\n');
    fsyncSync(fd);
  } catch (e) {
    // a full disk: leave no empty lock behind (it would lock the folder for good)
    closeSync(fd);
    try { unlinkSync(path); } catch { /* already gone */ }
    throw e;
  }
  closeSync(fd);
  return true;
}

/** Moves a dead holder's lock aside; false when the file changed meanwhile (another process took over first). */
function takeOver(path: string, dead: LockInfo): boolean {
  const aside = `${path}.${process.pid}.stale`;
  try {
    renameSync(path, aside);
  } catch {
    return false; // gone already: retry the create
  }
  const moved = (() => { try { return JSON.parse(readFileSync(aside, 'utf8')) as LockInfo; } catch { return null; } })();
  if (moved && moved.pid === dead.pid && moved.started_at === dead.started_at) {
    unlinkSync(aside);
    return true;
  }
  try { linkSync(aside, path); } catch { /* someone locked again: theirs wins */ }
  unlinkSync(aside);
  return false;
}

/**
 * Locks the folder for `command`; returns the release function (idempotent). A live holder: UserError naming it.
 * A holder that is not running on this host: taken over, `notice` says so.
 */
export function acquireLock(artifactsDir: string, command: string, notice: (m: string) => void = () => {}): () => void {
  mkdirSync(artifactsDir, { recursive: true });
  const path = lockPath(artifactsDir);
  const info: LockInfo = { pid: process.pid, host: hostname(), command, started_at: new Date().toISOString() };
  for (let attempt = 0; attempt < 5; attempt++) {
    if (tryCreate(path, info)) {
      let held = true;
      return () => {
        if (!held) return;
        held = false;
        const now = readLock(artifactsDir);
        if (now && now !== 'unreadable' && now.pid === info.pid && now.started_at === info.started_at) unlinkSync(path);
      };
    }
    const holder = readLock(artifactsDir);
    if (holder === null) continue;
    if (holder === 'unreadable') throw new UserError(`${path}: the folder is locked by a lock file that cannot be read; if no tokcast runs on it, delete ${path}`);
    if (holder.host === info.host && !isAlive(holder.pid)) {
      if (takeOver(path, holder)) notice(`taking over the lock of ${path}: pid ${holder.pid} (\`${holder.command}\`, since ${holder.started_at}) is no longer running`);
      continue;
    }
    throw new UserError(`${artifactsDir}: in use by pid ${holder.pid} on ${holder.host} (\`${holder.command}\`, since ${holder.started_at}); ` +
      `wait for it to finish, or pass another --artifacts-dir`);
  }
  throw new UserError(`${path}: could not take the lock (other processes keep taking it); try again`);
}
