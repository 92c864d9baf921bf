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

test('reset deletes the run\'s tuning study (named by the tune artifact) and keeps the database and its other studies', async () => {
  const { runTuning } = await import('../../../src/pipeline/tuning/run.ts');
  const { openStorage } = await import('../../../src/tune/storage/url.ts');
  const { writeArtifact } = await import('../../../src/pipeline/artifact.ts');
  const { tuneStats } = await import('../../../src/pipeline/steps/tune.ts');
  const dir = mkdtempSync(join(tmpdir(), 'tokcast-reset-'));
  const config = loadConfig(null);
  const db = join(dir, 'studies.db');
  const objective = async () => 1;
  const mine = await runTuning({ config, sequencesArtifact: '', outputDir: join(dir, 'x'), numTrials: 1, epochsPerTrial: 1, storage: db, objective, dataDigest: 'mine' });
  const other = await runTuning({ config, sequencesArtifact: '', outputDir: join(dir, 'y'), numTrials: 1, epochsPerTrial: 1, storage: db, objective, dataDigest: 'other' });
  writeArtifact(dir, 'tune', tuneStats, {
    step: 'tune', version: 1, created_at: new Date().toISOString(), config_hash: 'h', seed: 0, inputs: [],
    timings: { started_at: '', finished_at: '', seconds: 0 }, files: [],
    stats: { study_name: mine.studyName, storage: db, best_trial: 0, best_value: 1, best_params: {}, counts: {}, applied_to: null },
  });
  const r = await runReset(makeContext(config, undefined, dir));
  assert.deepEqual(r.stats.studies_removed, [`${mine.studyName} in ${db}`]);
  assert.deepEqual(r.stats.kept, ['studies.db']);
  const s = await openStorage(db);
  const names = (await s.getAllStudies()).map((x) => x.studyName);
  await s.close();
  assert.deepEqual(names, [other.studyName]);
  const again = await runReset(makeContext(config, undefined, dir));
  assert.deepEqual(again.stats.studies_removed, [], 'nothing left to delete');
});
