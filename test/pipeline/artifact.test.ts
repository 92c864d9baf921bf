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

test('an artifact records the size and sha256 of its files; a changed, truncated or missing file is refused naming it', async () => {
  const { createHash } = await import('node:crypto');
  const { mkdirSync, truncateSync, rmSync } = await import('node:fs');
  const { stepDir } = await import('../../src/pipeline/artifact.ts');
  const dir = mkdtempSync(join(tmpdir(), 'tokcast-art-'));
  mkdirSync(stepDir(dir, 'clean'), { recursive: true });
  const file = join(stepDir(dir, 'clean'), 'x.parquet');
  writeFileSync(file, 'twelve bytes');
  writeArtifact(dir, 'clean', stats, make(5));
  const a = readArtifact(dir, 'clean', stats);
  assert.deepEqual(a.hashes, { 'x.parquet': { bytes: 12, sha256: createHash('sha256').update('twelve bytes').digest('hex') } });
  writeFileSync(file, 'twelve BYTES');
  assert.throws(() => readArtifact(dir, 'clean', stats), (e: Error) => {
    assert.equal(e.name, 'UserError');
    assert.equal(e.message, `${file}: changed since clean ran (12 bytes, clean wrote 12; sha256 differs); run \`tokcast pipeline clean\` again, or \`tokcast pipeline reset\``);
    return true;
  });
  truncateSync(file, 5);
  assert.throws(() => readArtifact(dir, 'clean', stats), /x\.parquet: changed since clean ran \(5 bytes, clean wrote 12\)/);
  rmSync(file);
  assert.throws(() => readArtifact(dir, 'clean', stats), /x\.parquet: missing \(written by clean\)/);
});

test('a hand-edited artifact (still schema-valid) is refused: its checksum no longer matches', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tokcast-art-'));
  writeArtifact(dir, 'clean', stats, { ...make(3), files: [] });
  const p = artifactPath(dir, 'clean');
  writeFileSync(p, readFileSync(p, 'utf8').replace('"rows": 3', '"rows": 4'));
  assert.throws(() => readArtifact(dir, 'clean', stats), (e: Error) => e.name === 'UserError' && e.message.startsWith(`${p}: edited since clean wrote it`));
  // an artifact of an older version (no checksum, no hashes) is still read
  const old = JSON.parse(readFileSync(p, 'utf8'));
  delete old.checksum; delete old.hashes;
  writeFileSync(p, JSON.stringify(old));
  assert.equal(readArtifact(dir, 'clean', stats).stats.rows, 4);
});

test('steps refuse changed inputs: an edited edges.json (inference, sequences), a truncated sequences file (train)', async () => {
  const { tinyPipeline } = await import('./steps/tiny-pipeline.ts');
  const { runSequences } = await import('../../src/pipeline/steps/sequences.ts');
  const { runTrain } = await import('../../src/pipeline/steps/train.ts');
  const { loadLatestWindow } = await import('../../src/pipeline/fresh-data.ts');
  const { stepDir } = await import('../../src/pipeline/artifact.ts');
  const { truncateSync, statSync } = await import('node:fs');
  const ctx = await tinyPipeline();
  const edges = join(stepDir(ctx.artifactsDir, 'tokenize'), 'edges.json');
  const text = readFileSync(edges, 'utf8');
  const e = JSON.parse(text);
  e.per_coin.XRP.price.edges[0] *= 1.5;
  writeFileSync(edges, JSON.stringify(e, null, 2) + '\n');
  const changed = new RegExp(`${edges.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: changed since tokenize ran .*run \`tokcast pipeline tokenize\` again, or \`tokcast pipeline reset\``);
  await assert.rejects(runSequences(ctx), changed);
  await assert.rejects(loadLatestWindow(ctx), changed);
  writeFileSync(edges, text);
  const seq = join(stepDir(ctx.artifactsDir, 'sequences'), 'sequences_train.safetensors');
  truncateSync(seq, statSync(seq).size - 100);
  await assert.rejects(runTrain(ctx), /sequences_train\.safetensors: changed since sequences ran/);
});
