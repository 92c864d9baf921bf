// The artifacts folder's lock: one holder at a time, the second refused naming the first; a dead holder's lock taken over.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { acquireLock, lockPath, readLock } from '../../src/pipeline/lock.ts';

const tmp = () => mkdtempSync(join(tmpdir(), 'tokcast-lock-'));

test('a second writer is refused while the first holds the lock, naming pid, host and command; release frees it', () => {
  const dir = tmp();
  const release = acquireLock(dir, 'tokcast pipeline run-all');
  const held = readLock(dir);
  assert.ok(held && held !== 'unreadable');
  assert.equal(held.pid, process.pid);
  assert.equal(held.host, hostname());
  assert.throws(() => acquireLock(dir, 'tokcast pipeline train'), (e: Error) => {
    assert.equal(e.name, 'UserError');
    assert.match(e.message, new RegExp(`in use by pid ${process.pid} on ${hostname()} \\(\`tokcast pipeline run-all\`, since `));
    assert.match(e.message, /another --artifacts-dir/);
    return true;
  });
  release();
  assert.ok(!existsSync(lockPath(dir)));
  release(); // idempotent
  const again = acquireLock(dir, 'tokcast pipeline train');
  again();
});

test('a lock left by a process that is gone is taken over with a notice', () => {
  const dir = tmp();
  const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  const pid = Number(dead.stdout);
  writeFileSync(lockPath(dir), JSON.stringify({ pid, host: hostname(), command: 'tokcast pipeline run-all', started_at: '2026-01-01T00:00:00.000Z' }));
  const notes: string[] = [];
  const release = acquireLock(dir, 'tokcast pipeline clean', (m) => notes.push(m));
  assert.equal(notes.length, 1);
  assert.match(notes[0]!, new RegExp(`pid ${pid} .*is no longer running`));
  assert.equal((JSON.parse(readFileSync(lockPath(dir), 'utf8')) as { pid: number }).pid, process.pid);
  release();
});

test('a lock of a live process on another host is not taken over; an unreadable lock file is refused naming it', () => {
  const dir = tmp();
  writeFileSync(lockPath(dir), JSON.stringify({ pid: 1, host: 'elsewhere', command: 'tokcast pipeline train', started_at: '2026-01-01T00:00:00.000Z' }));
  assert.throws(() => acquireLock(dir, 'x'), /in use by pid 1 on elsewhere/);
  writeFileSync(lockPath(dir), '{"pid":');
  assert.throws(() => acquireLock(dir, 'x'), /\.lock: .*cannot be read/);
});

test('tuning workers share the folder: shared marks coexist, exclude the exclusive lock both ways, and dead marks are cleared', () => {
  const dir = tmp();
  const other = { pid: process.ppid, host: hostname(), command: 'tokcast pipeline tune (worker 1)', started_at: '2026-01-01T00:00:00.000Z' };
  writeFileSync(join(dir, `.lock.shared.${other.pid}`), JSON.stringify(other)); // a live worker
  const mine = acquireLock(dir, 'tokcast pipeline tune (worker 2)', () => {}, 'shared');
  assert.throws(() => acquireLock(dir, 'tokcast pipeline train'), (e: Error) =>
    e.name === 'UserError' && e.message.includes(`pid ${other.pid}`) && e.message.includes(`pid ${process.pid}`) && /worker 2/.test(e.message));
  assert.ok(!existsSync(lockPath(dir)), 'a refused exclusive lock leaves no lock file');
  mine();
  rmSync(join(dir, `.lock.shared.${other.pid}`));
  const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  writeFileSync(join(dir, `.lock.shared.${dead.stdout}`), JSON.stringify({ ...other, pid: Number(dead.stdout) }));
  const notes: string[] = [];
  const ex = acquireLock(dir, 'tokcast pipeline train', (m) => notes.push(m));
  assert.match(notes.join('\n'), new RegExp(`removed the shared lock of pid ${dead.stdout}`));
  assert.throws(() => acquireLock(dir, 'tokcast pipeline tune', () => {}, 'shared'), new RegExp(`in use by pid ${process.pid} .*pipeline train`));
  assert.deepEqual(readdirSync(dir).filter((n) => n.startsWith('.lock.shared')), [], 'a refused worker leaves no mark');
  ex();
});
