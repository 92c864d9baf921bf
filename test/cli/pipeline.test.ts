import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const tokcast = (args: string[]) => spawnSync(process.execPath, ['bin/tokcast.js', ...args], { encoding: 'utf8' });

test('a bad config fails before any work, naming the key, with exit code 2', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tokcast-cli-'));
  const cfg = join(dir, 'bad.yaml');
  writeFileSync(cfg, 'model:\n  n_heads: 0\n');
  const r = tokcast(['pipeline', 'reset', '--config', cfg, '--artifacts-dir', join(dir, 'art')]);
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /model\.n_heads/);
  assert.ok(!existsSync(join(dir, 'art')), 'nothing written');
});

test('flags override config keys (target coin must be among coins)', () => {
  const r = tokcast(['pipeline', 'reset', '--coins', 'BTC,ETH', '--target-coin', 'SOL', '--artifacts-dir', join(tmpdir(), 'x-tokcast')]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /data\.target_coin.*SOL/);
});

test('reset through the CLI writes its artifact', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tokcast-cli-'));
  const r = tokcast(['pipeline', 'reset', '--artifacts-dir', dir, '--quiet']);
  assert.equal(r.status, 0, r.stderr);
  assert.ok(existsSync(join(dir, 'step_00_reset', 'reset_artifact.json')));
});


/** Starts `pipeline tune` on a tiny pipeline (3 trials x 500 epochs, no early stopping) and resolves once trial 0
 *  has reported an epoch; fails with the child's stderr if it ends first. */
async function tuneUntilTraining(studyName: string, tune: Record<string, unknown>) {
  const { spawn } = await import('node:child_process');
  const { tinyPipeline } = await import('../pipeline/steps/tiny-pipeline.ts');
  const { openStorage } = await import('../../src/tune/storage/url.ts');
  const ctx = await tinyPipeline({
    // no early stopping: trial 0 must still be training when the test looks
    train: { epochs: 2, batch_size: 64, threads: 1, early_stopping: { patience: 100000, min_delta: 0 } },
    tune: { n_startup_trials: 2, ...tune, search_space: { batch_size: [64], embed_dim: [4], n_layers: { low: 1, high: 1 }, n_heads: [2], d_ff: [16], lr: { low: 1e-4, high: 1e-2, log: true } } },
  });
  const cfg = join(ctx.artifactsDir, 'config.json');
  writeFileSync(cfg, JSON.stringify(ctx.config));
  const child = spawn(process.execPath, ['bin/tokcast.js', 'pipeline', 'tune', '--config', cfg, '--artifacts-dir', ctx.artifactsDir,
    '--num-trials', '3', '--epochs-per-trial', '500', '--study-name', studyName, '--quiet'], { stdio: ['ignore', 'ignore', 'pipe'] });
  const run = { ctx, child, db: join(ctx.artifactsDir, 'studies.db'), stderr: '', exit: undefined as unknown as Promise<number | null>, killer: setTimeout(() => child.kill('SIGKILL'), 120000) };
  child.stderr!.on('data', (d: Buffer) => { run.stderr += d.toString(); });
  let exited: number | null | undefined;
  run.exit = new Promise<number | null>((r) => child.on('exit', (code) => { exited = code; r(code); }));
  for (;;) {
    await new Promise((r) => setTimeout(r, 200));
    if (exited !== undefined) clearTimeout(run.killer);
    assert.equal(exited, undefined, `pipeline tune ended before its first epoch: ${run.stderr}`);
    if (!existsSync(run.db)) continue;
    const st = await openStorage(run.db);
    try {
      const t = (await st.getAllTrials(await st.getStudyIdFromName(studyName)))[0];
      if (t && t.state === 'RUNNING' && t.intermediateValues.size > 0) return run;
    } catch { /* study not created yet */ } finally { await st.close(); }
  }
}

test('Ctrl-C during pipeline tune: the running trial ends FAIL, the outputs are written, exit 130', async () => {
  const { openStorage } = await import('../../src/tune/storage/url.ts');
  const run = await tuneUntilTraining('sigint', {});
  const { ctx, db } = run;
  try {
    run.child.kill('SIGINT');
    assert.equal(await run.exit, 130, run.stderr);
  } finally {
    clearTimeout(run.killer);
  }
  assert.match(run.stderr, /interrupted.*trial 0 marked FAIL/);
  const s = await openStorage(db);
  const trials = await s.getAllTrials(await s.getStudyIdFromName('sigint'));
  await s.close();
  assert.deepEqual(trials.map((t) => t.state), ['FAIL']);
  assert.match(String(trials[0].systemAttrs.fail_reason), /^interrupted/);
  const results = JSON.parse(readFileSync(join(ctx.artifactsDir, 'step_06a_tune', 'tuning_results.json'), 'utf8'));
  assert.equal(results.timing.stopped_by, 'interrupted');
});

test('kill -9 during pipeline tune: the next tune fails the silent trial after the heartbeat grace and still finishes --num-trials', async () => {
  const { openStorage } = await import('../../src/tune/storage/url.ts');
  const { sequencesDigest } = await import('../../src/pipeline/steps/tune.ts');
  const { runTuning } = await import('../../src/pipeline/tuning/run.ts');
  const { ctx, child, db, exit, killer } = await tuneUntilTraining('killed', { heartbeat_interval: 0.3 });
  try {
    child.kill('SIGKILL');
    await exit;
  } finally {
    clearTimeout(killer);
  }
  await new Promise((r) => setTimeout(r, 800)); // past the grace period (2 x 0.3 s)
  // the next worker on that study (same data and objective; a cheap stand-in for training so the test stays short)
  const r = await runTuning({ config: ctx.config, sequencesArtifact: '', outputDir: join(ctx.artifactsDir, 'rerun'), storage: db, studyName: 'killed',
    dataDigest: sequencesDigest(ctx.artifactsDir), metric: 'val_nll_min', epochsPerTrial: 500, numTrials: 2, objective: async () => 1 });
  assert.deepEqual(r.results.settings.stale_trials_failed, [0]);
  const s = await openStorage(db);
  const trials = await s.getAllTrials(await s.getStudyIdFromName('killed'));
  await s.close();
  assert.deepEqual(trials.map((t) => [t.number, t.state]), [[0, 'FAIL'], [1, 'COMPLETE'], [2, 'COMPLETE']], 'the zombie does not count toward --num-trials');
});
