import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../../src/config/load.ts';
import { runTuning, searchSpaceFromConfig, TrialPruned, type TuningObjective } from '../../../src/pipeline/tuning/run.ts';
import { openStorage } from '../../../src/tune/storage/url.ts';
import { InterruptedError } from '../../../src/util/interrupt.ts';
import { UserError } from '../../../src/util/errors.ts';

const config = loadConfig(null);
const tmp = () => mkdtempSync(join(tmpdir(), 'tokcast-tune-'));

/** cheap stand-in for training: a quadratic in the params, approached per epoch like a learning curve */
function finalLoss(p: Record<string, unknown>): number {
  const lr = Math.log10(p.lr as number) + 3; // best at lr = 1e-3
  return 1 + 0.5 * lr * lr + 4 * ((p.dropout as number) - 0.2) ** 2 + 0.02 * Math.abs((p.n_layers as number) - 4) + ((p.embed_dim as number) === 64 ? 0 : 0.05);
}
const quadratic: TuningObjective = async (_trial, ctx) => {
  const target = finalLoss(ctx.params);
  let loss = NaN;
  for (let epoch = 0; epoch < ctx.epochs; epoch++) {
    loss = target + 1.5 / (epoch + 1);
    ctx.report(epoch, loss);
    if (await ctx.shouldPrune()) throw new TrialPruned();
  }
  return loss;
};

test('search space from the default config: docs/tuning.md ranges and types', () => {
  const s = searchSpaceFromConfig(config);
  assert.deepEqual(s.lr.toJSON(), { name: 'FloatDistribution', attributes: { low: 5e-6, high: 5e-3, log: true, step: null } });
  assert.equal(s.n_layers.toJSON().name, 'IntDistribution');
  assert.deepEqual(s.batch_size.toJSON().attributes, { choices: [128, 256, 512] }, 'around train.batch_size 256');
  assert.deepEqual(Object.keys(s), ['lr', 'weight_decay', 'dropout', 'label_smoothing', 'batch_size', 'embed_dim', 'n_layers', 'n_heads', 'd_ff', 'token_noise_prob']);
});

test('the architecture space scales with the base config: the demo model gets a small one; given entries are kept', () => {
  const choices = (c: typeof config, k: string) => (searchSpaceFromConfig(c)[k].toJSON().attributes as { choices: number[] }).choices;
  const range = (c: typeof config, k: string) => { const a = searchSpaceFromConfig(c)[k].toJSON().attributes as { low: number; high: number }; return [a.low, a.high]; };
  const demo = loadConfig('config.demo.yaml');
  assert.deepEqual([choices(demo, 'embed_dim'), choices(demo, 'd_ff'), range(demo, 'n_layers'), choices(demo, 'batch_size')],
    [[8, 16, 32], [64, 128, 256], [1, 3], [64, 128, 256]]);
  const big = loadConfig(null, { 'model.embed_dim': 64, 'model.d_ff': 1024, 'model.n_layers': 6 });
  assert.ok(Math.max(...choices(big, 'embed_dim')) > Math.max(...choices(demo, 'embed_dim')));
  assert.ok(Math.max(...choices(big, 'd_ff')) > Math.max(...choices(demo, 'd_ff')));
  assert.deepEqual(range(big, 'n_layers'), [5, 7]);
  const odd = loadConfig(null, { 'model.d_model': 96, 'model.n_heads': 4 });
  assert.deepEqual(choices(odd, 'n_heads'), [2, 4, 8], 'heads that divide d_model 96');
  assert.deepEqual(choices(loadConfig(null, { 'model.d_model': 100, 'model.n_heads': 4 }), 'n_heads'), [2, 4]);
  const given = loadConfig('config.demo.yaml', { 'tune.search_space.embed_dim': [32, 64, 128] });
  assert.deepEqual(choices(given, 'embed_dim'), [32, 64, 128], 'an explicit search_space entry is used as written');
});

test('a 30-trial run on a synthetic objective prunes, finds a good region and writes every output', async () => {
  const dir = tmp();
  const seen: number[] = [];
  const r = await runTuning({ config, sequencesArtifact: 'unused', outputDir: dir, numTrials: 30, epochsPerTrial: 8, storage: 'memory', objective: quadratic,
    onTrial: (p) => seen.push(p.finished) });
  for (const f of ['tuning_results.json', 'trials_history.json', 'tuning_history.png', 'param_importance.png', 'intermediate_values.png']) assert.ok(existsSync(join(dir, f)), f);
  const res = JSON.parse(readFileSync(join(dir, 'tuning_results.json'), 'utf8'));
  const hist = JSON.parse(readFileSync(join(dir, 'trials_history.json'), 'utf8'));
  assert.equal(hist.trials.length, 30);
  assert.equal(seen.at(-1), 30);
  assert.equal(res.n_trials.complete + res.n_trials.pruned + res.n_trials.failed, 30);
  assert.ok(res.n_trials.pruned > 0, 'median pruning stopped some trials');
  const complete = hist.trials.filter((t: { state: string }) => t.state === 'COMPLETE');
  const pruned = hist.trials.filter((t: { state: string }) => t.state === 'PRUNED');
  for (const t of complete) assert.equal(Object.keys(t.intermediate_values).length, 8);
  for (const t of pruned) {
    const n = Object.keys(t.intermediate_values).length;
    assert.ok(n > 3 && n < 8, `pruned after the 3 warm-up epochs (steps 0-2), got ${n} reports`);
    assert.equal(t.value, t.intermediate_values[String(n - 1)], 'a pruned trial keeps its last reported value');
  }
  const best = Math.min(...complete.map((t: { value: number }) => t.value));
  assert.equal(res.best_value, best);
  assert.deepEqual(res.best_params, complete.find((t: { value: number }) => t.value === best).params);
  assert.ok(Math.abs(finalLoss(res.best_params) + 1.5 / 8 - best) < 1e-12);
  assert.equal(r.results.best_value, best);
  assert.equal(Object.keys(res.param_importances)[0], 'lr', 'lr dominates the synthetic loss');
  assert.equal(res.settings.sampler.seed, 42);
  assert.equal(res.timing.stopped_by, 'num_trials');
});

test('the same seed gives the same trials; a study in SQLite resumes and numTrials counts this run only', async () => {
  const a = await runTuning({ config, sequencesArtifact: '', outputDir: tmp(), numTrials: 12, epochsPerTrial: 4, storage: 'memory', objective: quadratic });
  const b = await runTuning({ config, sequencesArtifact: '', outputDir: tmp(), numTrials: 12, epochsPerTrial: 4, storage: 'memory', objective: quadratic });
  assert.deepEqual(a.results.best_params, b.results.best_params);
  const db = join(tmp(), 'studies.db');
  const dir = tmp();
  await runTuning({ config, sequencesArtifact: '', outputDir: dir, numTrials: 6, epochsPerTrial: 4, storage: db, objective: quadratic });
  const again = await runTuning({ config, sequencesArtifact: '', outputDir: dir, numTrials: 3, epochsPerTrial: 4, storage: db, objective: quadratic });
  assert.equal(again.results.n_trials.total, 9);
  assert.equal(again.results.settings.resumed_with_trials, 6);
  const hist = JSON.parse(readFileSync(join(dir, 'trials_history.json'), 'utf8'));
  assert.deepEqual(hist.trials.map((t: { number: number }) => t.number), [0, 1, 2, 3, 4, 5, 6, 7, 8]);
});

test('objective errors: ordinary errors fail the trial and the run goes on; the default objective stops the run', async () => {
  let calls = 0;
  const flaky: TuningObjective = async (trial, ctx) => {
    calls++;
    if (trial.number % 3 === 1) throw new Error('NaN loss');
    return quadratic(trial, ctx);
  };
  const r = await runTuning({ config, sequencesArtifact: '', outputDir: tmp(), numTrials: 6, epochsPerTrial: 3, storage: 'memory', objective: flaky });
  assert.equal(calls, 6);
  assert.equal(r.results.n_trials.failed, 2);
  const dir = tmp();
  await assert.rejects(runTuning({ config, sequencesArtifact: '', outputDir: dir, numTrials: 5, epochsPerTrial: 3, storage: 'memory' }), /training not available/);
  const res = JSON.parse(readFileSync(join(dir, 'tuning_results.json'), 'utf8'));
  assert.deepEqual([res.n_trials.failed, res.n_trials.total, res.timing.stopped_by, res.best_trial], [1, 1, 'error', null]);
});

test('timeoutHours stops starting trials; nJobs runs trials concurrently', async () => {
  const slow: TuningObjective = async (trial, ctx) => {
    await new Promise((r) => setTimeout(r, 60));
    return quadratic(trial, ctx);
  };
  const r = await runTuning({ config, sequencesArtifact: '', outputDir: tmp(), numTrials: 50, epochsPerTrial: 2, timeoutHours: 0.3 / 3600, storage: 'memory', objective: slow });
  assert.ok(r.results.n_trials.total >= 1 && r.results.n_trials.total < 50, `${r.results.n_trials.total} trials`);
  assert.equal(r.results.timing.stopped_by, 'timeout');
  let running = 0, maxRunning = 0;
  const tracked: TuningObjective = async (trial, ctx) => {
    running++; maxRunning = Math.max(maxRunning, running);
    await new Promise((res) => setTimeout(res, 20));
    running--;
    return quadratic(trial, ctx);
  };
  const p = await runTuning({ config, sequencesArtifact: '', outputDir: tmp(), numTrials: 8, epochsPerTrial: 2, nJobs: 3, storage: 'memory', objective: tracked });
  assert.equal(p.results.n_trials.total, 8);
  assert.equal(maxRunning, 3);
});

test('a trial whose params make an invalid config fails alone', async () => {
  const odd = loadConfig(null, { 'model.d_model': 100, 'tune.search_space.n_heads': [4, 8] }); // 8 heads do not divide 100, 4 do
  const r = await runTuning({ config: odd, sequencesArtifact: '', outputDir: tmp(), numTrials: 10, epochsPerTrial: 2, storage: 'memory', objective: quadratic });
  const hist = r.results;
  assert.ok(hist.n_trials.failed > 0 && hist.n_trials.total === 10, JSON.stringify(hist.n_trials));
  assert.equal(r.results.best_params?.n_heads, 4);
});

test('maxTrials caps the study total (failed trials not counted); stale RUNNING trials of a dead worker fail first and do not count', async () => {
  const db = join(tmp(), 'studies.db');
  await runTuning({ config, sequencesArtifact: '', outputDir: tmp(), numTrials: 5, epochsPerTrial: 2, storage: db, objective: quadratic });
  const capped = await runTuning({ config, sequencesArtifact: '', outputDir: tmp(), numTrials: 10, maxTrials: 7, epochsPerTrial: 2, storage: db, objective: quadratic });
  assert.equal(capped.results.n_trials.total, 7);
  assert.equal(capped.results.timing.stopped_by, 'max_trials');
  // a dead worker's trial: RUNNING, heartbeat older than the grace period (2 x heartbeatInterval)
  const s = await openStorage(db);
  const studyId = await s.getStudyIdFromName(capped.studyName);
  const { trialId } = await s.createNewTrial(studyId);
  await s.recordHeartbeat(trialId);
  await s.close();
  await new Promise((r) => setTimeout(r, 300));
  const dir = tmp();
  const after = await runTuning({ config, sequencesArtifact: '', outputDir: dir, numTrials: 2, epochsPerTrial: 2, storage: db, objective: quadratic, heartbeatInterval: 0.1 });
  const hist = JSON.parse(readFileSync(join(dir, 'trials_history.json'), 'utf8'));
  assert.deepEqual(hist.trials.slice(7).map((t: { number: number; state: string }) => [t.number, t.state]), [[7, 'FAIL'], [8, 'COMPLETE'], [9, 'COMPLETE']]);
  assert.deepEqual(after.results.settings.stale_trials_failed, [7]);
  await assert.rejects(runTuning({ config, sequencesArtifact: '', outputDir: tmp(), numTrials: 1, maxTrials: 0, storage: 'memory', objective: quadratic }), /maxTrials/);
});

test('an interrupt (SIGINT) mid-trial fails that trial, keeps the finished ones, writes the outputs and rejects with InterruptedError', async () => {
  const dir = tmp();
  const controller = new AbortController();
  const hanging: TuningObjective = async (trial, ctx) => {
    if (trial.number < 2) return quadratic(trial, ctx);
    ctx.report(0, 5);
    controller.abort(); // what the CLI does on Ctrl-C
    return new Promise(() => {});
  };
  await assert.rejects(runTuning({ config, sequencesArtifact: '', outputDir: dir, numTrials: 6, epochsPerTrial: 2, storage: 'memory', objective: hanging, signal: controller.signal }),
    (e) => e instanceof InterruptedError && /trial 2 marked FAIL, 2 finished trials kept/.test(e.message));
  const res = JSON.parse(readFileSync(join(dir, 'tuning_results.json'), 'utf8'));
  assert.equal(res.timing.stopped_by, 'interrupted');
  assert.deepEqual([res.n_trials.complete, res.n_trials.failed, res.n_trials.total], [2, 1, 3]);
  const hist = JSON.parse(readFileSync(join(dir, 'trials_history.json'), 'utf8'));
  assert.equal(hist.trials[2].state, 'FAIL');
});

test('studies follow the data: another data set gets a fresh study by default; forcing the old name is refused', async () => {
  const db = join(tmp(), 'studies.db');
  const a = await runTuning({ config, sequencesArtifact: '', outputDir: tmp(), numTrials: 3, epochsPerTrial: 2, storage: db, objective: quadratic, dataDigest: 'a'.repeat(64) });
  assert.match(a.studyName, /^tokcast-[0-9a-f]{12}$/);
  const again = await runTuning({ config, sequencesArtifact: '', outputDir: tmp(), numTrials: 1, epochsPerTrial: 2, storage: db, objective: quadratic, dataDigest: 'a'.repeat(64) });
  assert.equal(again.studyName, a.studyName);
  assert.equal(again.results.n_trials.total, 4);
  const b = await runTuning({ config, sequencesArtifact: '', outputDir: tmp(), numTrials: 2, epochsPerTrial: 2, storage: db, objective: quadratic, dataDigest: 'b'.repeat(64) });
  assert.notEqual(b.studyName, a.studyName);
  assert.equal(b.results.n_trials.total, 2, 'none of the other data set\'s trials');
  await assert.rejects(runTuning({ config, sequencesArtifact: '', outputDir: tmp(), numTrials: 1, epochsPerTrial: 2, storage: db, objective: quadratic, dataDigest: 'b'.repeat(64), studyName: a.studyName }),
    (e) => e instanceof UserError && /made for other data/.test(e.message));
  const epochs = await runTuning({ config, sequencesArtifact: '', outputDir: tmp(), numTrials: 1, epochsPerTrial: 3, storage: db, objective: quadratic, dataDigest: 'a'.repeat(64) });
  assert.notEqual(epochs.studyName, a.studyName, 'another objective (epochs per trial) is another study');
});
