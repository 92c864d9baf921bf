// `tokcast tune show` as a real process: the end-of-tune summary for a study in a storage; errors are one line, exit 2.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/load.ts';
import { runTuning } from '../../src/pipeline/tuning/run.ts';

const tokcast = (args: string[]) => spawnSync(process.execPath, ['bin/tokcast.js', ...args], { encoding: 'utf8', timeout: 60000 });

test('tune show prints counts, the best trial and importances of a study; several studies need --study-name', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tokcast-tune-show-'));
  const db = join(dir, 'studies.db');
  const config = loadConfig(null);
  const objective = async (t: { number: number }, ctx: { params: Record<string, unknown> }) => (t.number === 2 ? Promise.reject(new Error('boom')) : (Math.log10(ctx.params.lr as number) + 3) ** 2);
  const a = await runTuning({ config, sequencesArtifact: '', outputDir: join(dir, 'a'), numTrials: 6, epochsPerTrial: 1, storage: db, objective, dataDigest: 'a' });
  const r = tokcast(['tune', 'show', '--artifacts-dir', dir]);
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.trim().split('\n');
  assert.equal(lines[0], `study "${a.studyName}": 6 trials (5 complete, 0 pruned, 1 failed)`);
  assert.match(lines[1], new RegExp(`^best: trial ${a.results.best_trial!.number} value ${Number(a.results.best_value).toFixed(4)} lr=`));
  assert.match(lines[2], /^importance: .*unreliable below 20/);
  await runTuning({ config, sequencesArtifact: '', outputDir: join(dir, 'b'), numTrials: 1, epochsPerTrial: 1, storage: db, objective, dataDigest: 'b' });
  const two = tokcast(['tune', 'show', '--storage', db]);
  assert.equal(two.status, 2);
  assert.equal(two.stdout, '');
  assert.match(two.stderr, /holds 2 studies .*name one/);
  assert.equal(tokcast(['tune', 'show', '--storage', db, '--study-name', a.studyName]).stdout, r.stdout);
  const missing = tokcast(['tune', 'show', '--storage', db, '--study-name', 'nope']);
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /no study "nope"/);
});

test('tune apply writes the best params of the last tune, or of a named study, into the config file', async () => {
  const { copyFileSync } = await import('node:fs');
  const { stepDir } = await import('../../src/pipeline/artifact.ts');
  const dir = mkdtempSync(join(tmpdir(), 'tokcast-tune-apply-'));
  const db = join(dir, 'studies.db');
  const config = loadConfig(null);
  const objective = async (_t: unknown, ctx: { params: Record<string, unknown> }) => (Math.log10(ctx.params.lr as number) + 3) ** 2 + (ctx.params.dropout as number);
  const a = await runTuning({ config, sequencesArtifact: '', outputDir: stepDir(dir, 'tune'), numTrials: 4, epochsPerTrial: 1, storage: db, objective, dataDigest: 'a' });
  const cfg = join(dir, 'config.yaml');
  copyFileSync('config.yaml', cfg);
  const r = tokcast(['tune', 'apply', '--config', cfg, '--artifacts-dir', dir]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^train\.lr: 0\.001 -> /m);
  const best = a.results.best_params as Record<string, unknown>;
  assert.equal(loadConfig(cfg).train.lr, best.lr);
  assert.equal(loadConfig(cfg).model.dropout, best.dropout);
  const b = await runTuning({ config, sequencesArtifact: '', outputDir: join(dir, 'b'), numTrials: 3, epochsPerTrial: 1, storage: db, objective, dataDigest: 'b' });
  assert.equal(tokcast(['tune', 'apply', '--config', cfg, '--artifacts-dir', dir, '--study-name', b.studyName]).status, 0);
  assert.equal(loadConfig(cfg).train.lr, (b.results.best_params as Record<string, unknown>).lr);
  const none = tokcast(['tune', 'apply', '--config', cfg, '--artifacts-dir', join(dir, 'empty')]);
  assert.equal(none.status, 2);
  assert.match(none.stderr, /tuning_results\.json: missing/);
});
