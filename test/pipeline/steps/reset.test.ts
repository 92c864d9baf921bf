import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../../src/config/load.ts';
import { makeContext } from '../../../src/pipeline/context.ts';
import { runReset } from '../../../src/pipeline/steps/reset.ts';

test('reset clears step folders but keeps the study database unless all', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tokcast-reset-'));
  mkdirSync(join(dir, 'step_02_clean'));
  writeFileSync(join(dir, 'step_02_clean', 'clean.parquet'), 'x');
  writeFileSync(join(dir, 'studies.db'), 'db');
  const ctx = makeContext(loadConfig(null), undefined, dir);
  const a = await runReset(ctx);
  assert.deepEqual(a.stats.removed, ['step_02_clean']);
  assert.deepEqual(a.stats.kept, ['studies.db']);
  assert.ok(existsSync(join(dir, 'studies.db')));
  assert.ok(!existsSync(join(dir, 'step_02_clean')));
  assert.ok(existsSync(join(dir, 'step_00_reset', 'reset_artifact.json')));
  const b = await runReset(ctx, { all: true });
  assert.ok(b.stats.removed.includes('studies.db'));
  assert.ok(!existsSync(join(dir, 'studies.db')));
});
