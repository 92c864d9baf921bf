import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { writeArtifact, readArtifact, artifactPath, startTimer } from '../../src/pipeline/artifact.ts';

const stats = z.object({ rows: z.number().int() }).strict();

function make(rows: unknown) {
  return { step: 'clean' as const, version: 1, created_at: new Date().toISOString(), config_hash: 'abc', seed: 1,
    inputs: [], timings: startTimer().finish(), files: ['x.parquet'], stats: { rows } as { rows: number } };
}

test('artifact round-trips and is validated on write and read', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tokcast-art-'));
  writeArtifact(dir, 'clean', stats, make(5));
  assert.equal(readArtifact(dir, 'clean', stats).stats.rows, 5);
  assert.throws(() => writeArtifact(dir, 'clean', stats, make(1.5)), /does not match its schema/);
  assert.equal(readArtifact(dir, 'clean', stats).stats.rows, 5, 'a rejected write leaves the old artifact intact');
});

test('a missing or corrupt artifact is refused with the command that makes it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tokcast-art-'));
  assert.throws(() => readArtifact(dir, 'split', stats), /run `tokcast pipeline split` first/);
  writeArtifact(dir, 'clean', stats, make(3));
  const p = artifactPath(dir, 'clean');
  writeFileSync(p, readFileSync(p, 'utf8').replace('"rows": 3', '"rows": "three"'));
  assert.throws(() => readArtifact(dir, 'clean', stats), /not a valid clean artifact.*stats.rows/);
});
