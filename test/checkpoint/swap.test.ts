// Checkpoint folders replaced as a unit: after a crash at any point of the swap, recovery leaves exactly the old or the
// new folder, complete.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { recoverCheckpointDir, replaceCheckpointDir } from '../../src/checkpoint/swap.ts';
import { MANIFEST_FILE } from '../../src/checkpoint/manifest.ts';

const write = (d: string, tag: string, complete = true) => {
  mkdirSync(d, { recursive: true });
  writeFileSync(join(d, 'model.safetensors'), tag);
  if (complete) writeFileSync(join(d, MANIFEST_FILE), tag);
};
const tagOf = (d: string) => readFileSync(join(d, 'model.safetensors'), 'utf8');
const clean = (d: string) => !existsSync(`${d}.tmp`) && !existsSync(`${d}.old`);

test('replace swaps in the new folder and leaves no temp folders', () => {
  const d = join(mkdtempSync(join(tmpdir(), 'tokcast-swap-')), 'checkpoint_best');
  replaceCheckpointDir(d, (t) => write(t, 'one'));
  replaceCheckpointDir(d, (t) => write(t, 'two'));
  assert.equal(tagOf(d), 'two');
  assert.ok(clean(d));
  assert.throws(() => replaceCheckpointDir(d, (t) => write(t, 'three', false)), /no checkpoint\.json/);
  assert.equal(tagOf(d), 'two', 'an incomplete new folder never replaces the old one');
});

test('recovery after a crash at each point of the swap', () => {
  const base = mkdtempSync(join(tmpdir(), 'tokcast-swap-'));
  const at = (name: string) => join(base, name, 'checkpoint_best');
  // 1. crashed while writing the new one: the old one stays
  let d = at('a'); write(d, 'old'); write(`${d}.tmp`, 'new', false);
  assert.match(recoverCheckpointDir(d)!, /removed/); assert.equal(tagOf(d), 'old'); assert.ok(clean(d));
  // 2. crashed after moving the old one aside, before the new one moved in: the complete new one is used
  d = at('b'); write(`${d}.old`, 'old'); write(`${d}.tmp`, 'new');
  assert.match(recoverCheckpointDir(d)!, /completed/); assert.equal(tagOf(d), 'new'); assert.ok(clean(d));
  // 3. the new one in place, the old one not yet removed
  d = at('c'); write(`${d}.old`, 'old'); write(`${d}.tmp`, 'new'); renameSync(`${d}.tmp`, d);
  recoverCheckpointDir(d); assert.equal(tagOf(d), 'new'); assert.ok(clean(d));
  // 4. the old one aside and the new one incomplete: the old one comes back
  d = at('d'); write(`${d}.old`, 'old'); write(`${d}.tmp`, 'new', false);
  assert.match(recoverCheckpointDir(d)!, /restored/); assert.equal(tagOf(d), 'old'); assert.ok(clean(d));
  // nothing to do
  assert.equal(recoverCheckpointDir(d), null);
});

test('a process SIGKILLed while writing the new folder, or just before swapping it in, leaves a folder recovery makes whole', async () => {
  const { spawnSync } = await import('node:child_process');
  const swap = new URL('../../src/checkpoint/swap.ts', import.meta.url).href;
  const fsUrl = new URL('../../src/util/fs.ts', import.meta.url).href;
  for (const point of ['before-manifest', 'after-manifest'] as const) {
    const d = join(mkdtempSync(join(tmpdir(), 'tokcast-kill-')), 'checkpoint_best');
    write(d, 'old');
    const code = `import { replaceCheckpointDir } from ${JSON.stringify(swap)}; import { writeFileAtomic } from ${JSON.stringify(fsUrl)};
      replaceCheckpointDir(${JSON.stringify(d)}, (t) => {
        writeFileAtomic(t + '/model.safetensors', 'new');
        if (${JSON.stringify(point)} === 'after-manifest') writeFileAtomic(t + '/checkpoint.json', 'new');
        process.kill(process.pid, 'SIGKILL');
      });`;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { encoding: 'utf8' });
    assert.equal(r.signal, 'SIGKILL', r.stderr);
    assert.ok(existsSync(`${d}.tmp`), 'the kill left the temp folder');
    recoverCheckpointDir(d);
    assert.equal(tagOf(d), 'old', `${point}: the previous checkpoint is still there and whole`);
    assert.ok(existsSync(join(d, MANIFEST_FILE)));
    assert.ok(clean(d));
  }
});
