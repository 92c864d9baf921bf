// The artifacts folder's lock `<artifacts>/.lock` (pid, host, command, start time): one writing command at a time.
// Taken with an exclusive create; a lock left by a dead process on this host is taken over with a notice.
// Tuning workers sharing a study may share the folder: each holds a shared mark `.lock.shared.<pid>` instead, which
// excludes the exclusive lock (each side writes its own file before it looks at the other's, so one of two always sees it).
import { linkSync, openSync, readFileSync, readdirSync, renameSync, unlinkSync, writeSync, closeSync, fsyncSync, mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { UserError } from '../util/errors.ts';

export const LOCK_FILE = '.lock';

const lockSchema = z.object({ pid: z.number().int().positive(), host: z.string(), command: z.string(), started_at: z.string() }).strict();
export type LockInfo = z.infer<typeof lockSchema>;

export const lockPath = (artifactsDir: string) => join(artifactsDir, LOCK_FILE);
const SHARED_PREFIX = `${LOCK_FILE}.shared.`;
const sharedPath = (artifactsDir: string, pid: number) => join(artifactsDir, `${SHARED_PREFIX}${pid}`);

/** Live shared holders (tuning workers); marks of dead processes on this host are removed (with a notice). */
export function sharedHolders(artifactsDir: string, notice: (m: string) => void = () => {}, except = -1): LockInfo[] {
  const live: LockInfo[] = [];
  let names: string[] = [];
  try { names = readdirSync(artifactsDir); } catch { return live; }
  for (const name of names) {
    if (!name.startsWith(SHARED_PREFIX)) continue;
    const path = join(artifactsDir, name);
    let info: LockInfo;
    try { info = lockSchema.parse(JSON.parse(readFileSync(path, 'utf8'))); } catch { continue; }
    if (info.pid === except) continue;
    if (info.host === hostname() && !isAlive(info.pid)) {
      try { unlinkSync(path); notice(`removed the shared lock of pid ${info.pid} (\`${info.command}\`), which is no longer running`); } catch { /* gone */ }
      continue;
    }
    live.push(info);
  }
  return live;
}

const holderText = (h: LockInfo) => `pid ${h.pid} on ${h.host} (\`${h.command}\`, since ${h.started_at})`;

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
export function acquireLock(artifactsDir: string, command: string, notice: (m: string) => void = () => {}, mode: 'exclusive' | 'shared' = 'exclusive'): () => void {
  mkdirSync(artifactsDir, { recursive: true });
  const path = lockPath(artifactsDir);
  const info: LockInfo = { pid: process.pid, host: hostname(), command, started_at: new Date().toISOString() };
  if (mode === 'shared') return acquireShared(artifactsDir, info, notice);
  for (let attempt = 0; attempt < 5; attempt++) {
    if (tryCreate(path, info)) {
      const shared = sharedHolders(artifactsDir, notice);
      if (shared.length) {
        unlinkSync(path);
        throw new UserError(`${artifactsDir}: in use by ${shared.map(holderText).join(', ')}; wait for it to finish, or pass another --artifacts-dir`);
      }
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
    throw new UserError(`${artifactsDir}: in use by ${holderText(holder)}; wait for it to finish, or pass another --artifacts-dir`);
  }
  throw new UserError(`${path}: could not take the lock (other processes keep taking it); try again`);
}

/** A shared mark: refused while a live process holds the exclusive lock (a dead one's is taken over). */
function acquireShared(artifactsDir: string, info: LockInfo, notice: (m: string) => void): () => void {
  const mark = sharedPath(artifactsDir, info.pid);
  const fd = openSync(mark, 'w');
  try { writeSync(fd, JSON.stringify(info) + '\n'); fsyncSync(fd); } finally { closeSync(fd); }
  const release = () => { try { unlinkSync(mark); } catch { /* released already */ } };
  const holder = readLock(artifactsDir);
  if (holder === 'unreadable') {
    release();
    throw new UserError(`${lockPath(artifactsDir)}: the folder is locked by a lock file that cannot be read; if no tokcast runs on it, delete it`);
  }
  if (holder) {
    if (holder.host === info.host && !isAlive(holder.pid)) {
      if (takeOver(lockPath(artifactsDir), holder)) notice(`removed the lock of pid ${holder.pid} (\`${holder.command}\`), which is no longer running`);
    } else {
      release();
      throw new UserError(`${artifactsDir}: in use by ${holderText(holder)}; wait for it to finish, or pass another --artifacts-dir`);
    }
  }
  return release;
}
