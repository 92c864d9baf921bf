// Leftovers of a killed run are swept at the next start: temp files and folders go, an interrupted checkpoint swap is
// finished, and real files stay.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sweepLeftovers } from '../../src/pipeline/sweep.ts';

test('temp files and folders are removed, a checkpoint swap cut short is completed, other files are kept', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tokcast-sweep-'));
  const clean = join(dir, 'step_02_clean'), train = join(dir, 'step_06_train');
  mkdirSync(clean, { recursive: true });
  writeFileSync(join(clean, 'clean.parquet'), 'real');
  writeFileSync(join(clean, '.clean.parquet.123.0.tmp'), 'half');
  mkdirSync(join(train, 'checkpoint_best.tmp'), { recursive: true });
  writeFileSync(join(train, 'checkpoint_best.tmp', 'checkpoint.json'), 'new');
  mkdirSync(join(train, 'checkpoint_best.old'), { recursive: true });
  writeFileSync(join(train, 'checkpoint_best.old', 'checkpoint.json'), 'old');
  mkdirSync(join(train, 'checkpoint_last.tmp'), { recursive: true }); // never completed, with a complete last beside it
  mkdirSync(join(train, 'checkpoint_last'), { recursive: true });
  writeFileSync(join(train, 'checkpoint_last', 'checkpoint.json'), 'last');
  writeFileSync(join(dir, '.lock.999.stale'), '{}');
  const done = sweepLeftovers(dir);
  assert.equal(done.length, 4, done.join('\n'));
  assert.deepEqual(readdirSync(clean), ['clean.parquet']);
  assert.deepEqual(readdirSync(train).sort(), ['checkpoint_best', 'checkpoint_last']);
  assert.equal(readFileSync(join(train, 'checkpoint_best', 'checkpoint.json'), 'utf8'), 'new');
  assert.equal(readFileSync(join(train, 'checkpoint_last', 'checkpoint.json'), 'utf8'), 'last');
  assert.ok(!existsSync(join(dir, '.lock.999.stale')));
  assert.deepEqual(sweepLeftovers(dir), [], 'a second sweep finds nothing');
});
