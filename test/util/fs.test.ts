import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs, { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readJson, writeFileAtomic } from '../../src/util/fs.ts';
import { UserError } from '../../src/util/errors.ts';

test('a write that hits a full disk leaves the old file whole and no temp file behind', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tokcast-fs-'));
  const path = join(dir, 'edges.json');
  writeFileSync(path, '{"old": true}\n');
  const real = fs.writeSync;
  let calls = 0;
  fs.writeSync = ((...args: Parameters<typeof fs.writeSync>) => {
    if (++calls > 1) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', syscall: 'write' });
    return (real as (...a: unknown[]) => number)(args[0], args[1], args[2], 3); // a short first write, then the disk is full
  }) as typeof fs.writeSync;
  syncBuiltinESMExports();
  try {
    assert.throws(() => writeFileAtomic(path, '{"new": "a longer value than the old one"}\n'), { code: 'ENOSPC' });
  } finally {
    fs.writeSync = real;
    syncBuiltinESMExports();
  }
  assert.ok(calls >= 2, 'the write was attempted');
  assert.equal(readFileSync(path, 'utf8'), '{"old": true}\n');
  assert.deepEqual(readdirSync(dir), ['edges.json']);
});

test('readJson: a malformed or missing file is a UserError naming the file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tokcast-fs-'));
  const bad = join(dir, 'manifest.json');
  writeFileSync(bad, '{"epoch": 3,');
  assert.throws(() => readJson(bad), (e: Error) => e instanceof UserError && e.message.startsWith(`${bad}: not valid JSON`));
  assert.throws(() => readJson(join(dir, 'nope.json')), (e: Error) => e instanceof UserError && /nope\.json: cannot read \(ENOENT\)/.test(e.message));
  writeFileSync(bad, '{"epoch": 3}');
  assert.deepEqual(readJson(bad), { epoch: 3 });
});
