import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tinyPipeline } from './tiny-pipeline.ts';
import { runTuneStep } from '../../../src/pipeline/steps/tune.ts';
import { stepDir } from '../../../src/pipeline/artifact.ts';

test('tune trains real trials, writes its outputs, and in run-all hands the best params to training', async () => {
  const ctx = await tinyPipeline({
    tune: {
      n_startup_trials: 2,
      search_space: {
        batch_size: [64], embed_dim: [4], n_layers: { low: 1, high: 1 }, n_heads: [2], d_ff: [16],
        lr: { low: 1e-4, high: 1e-2, log: true },
      },
    },
  });
  const a = await runTuneStep(ctx, { numTrials: 3, epochsPerTrial: 1, chained: true });
  const dir = stepDir(ctx.artifactsDir, 'tune');
  for (const f of ['tuning_results.json', 'trials_history.json', 'tuning_history.png', 'param_importance.png', 'intermediate_values.png'])
    assert.ok(existsSync(join(dir, f)), f);
  assert.equal(a.stats.counts.complete, 3);
  assert.ok(existsSync(join(ctx.artifactsDir, 'studies.db')), 'the study follows --artifacts-dir');
  const history = JSON.parse(readFileSync(join(dir, 'trials_history.json'), 'utf8'));
  const values = (Array.isArray(history) ? history : history.trials).map((t: { value: number }) => t.value);
  assert.ok(values.every((v: number) => v > 0.5 && v < 2), `validation NLL per trial ${values}`);
  assert.equal(ctx.config.train.lr, a.stats.best_params.lr, 'chained: the context now trains with the best lr');
  // a rerun continues the same study: numTrials counts this run's trials (Optuna's n_trials), maxTrials caps the total
  const b = await runTuneStep(ctx, { numTrials: 1, epochsPerTrial: 1 });
  assert.equal(b.stats.counts.complete, 4);
  const c = await runTuneStep(ctx, { numTrials: 5, maxTrials: 5, epochsPerTrial: 1 });
  assert.equal(c.stats.counts.complete, 5);
});

test('another data set gets its own study by default; forcing the first study\'s name on other data is refused', async () => {
  const { mkdtempSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const tune = { n_startup_trials: 1, search_space: { batch_size: [64], embed_dim: [4], n_layers: { low: 1, high: 1 }, n_heads: [2], d_ff: [16], lr: { low: 1e-4, high: 1e-2, log: true } } };
  const a = await tinyPipeline({ tune });
  const b = await tinyPipeline({ tune, data: { coins: ['BTC', 'ETH', 'SOL'], target_coin: 'SOL' } });
  const storage = join(mkdtempSync(join(tmpdir(), 'tokcast-fp-')), 'shared.db');
  const ra = await runTuneStep(a, { numTrials: 1, epochsPerTrial: 1, storage });
  const rb = await runTuneStep(b, { numTrials: 1, epochsPerTrial: 1, storage });
  assert.match(ra.stats.study_name, /^tokcast-[0-9a-f]{12}$/);
  assert.notEqual(rb.stats.study_name, ra.stats.study_name);
  assert.equal(rb.stats.counts.complete, 1, 'a fresh study, none of the other data set\'s trials');
  await assert.rejects(runTuneStep(b, { numTrials: 1, epochsPerTrial: 1, storage, studyName: ra.stats.study_name }), /was made for other data/);
});

test('with pretrained weights, tune keeps their architecture, says so first, and train then fine-tunes from them; run-all searches the same', async () => {
  const { mkdtempSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { makeContext } = await import('../../../src/pipeline/context.ts');
  const { silentReporter } = await import('../../../src/util/reporter.ts');
  const { runPretrainStep } = await import('../../../src/pipeline/steps/pretrain.ts');
  const { runTrain } = await import('../../../src/pipeline/steps/train.ts');
  const { openStorage } = await import('../../../src/tune/storage/url.ts');
  // an architecture search space that mostly does not fit the pretrained (embed 4, layers 1, ff 16) model
  const tune = { n_startup_trials: 1, search_space: { batch_size: [64], embed_dim: [4, 8], n_layers: { low: 1, high: 2 }, n_heads: [2], d_ff: [16, 32], lr: { low: 1e-4, high: 1e-2, log: true } } };
  const base = await tinyPipeline({ tune, pretrain: { num_samples: 400, epochs: 1 } });
  const lines: string[] = [];
  const ctx = makeContext(base.config, { ...silentReporter, log: (m: string) => { lines.push(m); } }, base.artifactsDir);
  const tmp = mkdtempSync(join(tmpdir(), 'tokcast-pre-'));
  // by hand: pretrain, tune (best params into the config), train
  await runPretrainStep(ctx);
  lines.length = 0;
  const manual = await runTuneStep(ctx, { numTrials: 2, epochsPerTrial: 1, storage: join(tmp, 'manual.db'), chained: true });
  assert.match(lines[0]!, /^tune: pretrained weights found .*architecture kept at embed_dim 4, n_layers 1, n_heads 2, d_ff 16 .*searching only lr, weight_decay, dropout, label_smoothing, batch_size, token_noise_prob/);
  const storage = await openStorage(join(tmp, 'manual.db'));
  const study = (await storage.getAllStudies()).find((s) => s.studyName === manual.stats.study_name)!;
  const trials = await storage.getAllTrials(study.studyId);
  await storage.close();
  assert.equal(trials.length, 2);
  for (const t of trials) {
    assert.deepEqual([t.params.embed_dim, t.params.n_layers, t.params.d_ff], [4, 1, 16], `trial ${t.number} keeps the architecture`);
    assert.equal(t.userAttrs.pretrained, true, `trial ${t.number} fine-tuned from the weights`);
  }
  const trained = await runTrain(ctx);
  assert.equal(trained.stats.pretrained.used, true, 'train after tune starts from the pretrained weights');
  // run-all --with-pretraining --with-tuning: the same study (same fingerprint, so the same search space) and the same trials
  const ctx2 = makeContext(base.config, silentReporter, base.artifactsDir);
  await runPretrainStep(ctx2, { chained: true });
  const chained = await runTuneStep(ctx2, { numTrials: 2, epochsPerTrial: 1, storage: join(tmp, 'run-all.db'), chained: true });
  assert.equal(chained.stats.study_name, manual.stats.study_name);
  assert.deepEqual(chained.stats.best_params, manual.stats.best_params);
  // train.use_pretrained: false searches the architecture again
  const off = makeContext({ ...base.config, train: { ...base.config.train, use_pretrained: false } }, silentReporter, base.artifactsDir);
  const free = await runTuneStep(off, { numTrials: 1, epochsPerTrial: 1, storage: join(tmp, 'off.db') });
  assert.notEqual(free.stats.study_name, manual.stats.study_name, 'another search space, another study');
});

test('--objectives val_loss,param_count: a two-objective study, its Pareto front in tuning_results.json, the summary and best-trials', async () => {
  const { mkdtempSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { makeContext } = await import('../../../src/pipeline/context.ts');
  const { silentReporter } = await import('../../../src/util/reporter.ts');
  const { runStudy } = await import('../../fixtures/study-cli.ts');
  const tune = { n_startup_trials: 1, search_space: { batch_size: [64], embed_dim: [4, 8], n_layers: { low: 1, high: 2 }, n_heads: [2], d_ff: [16, 32], lr: { low: 1e-4, high: 1e-2, log: true } } };
  const base = await tinyPipeline({ tune });
  const lines: string[] = [];
  const ctx = makeContext(base.config, { ...silentReporter, log: (m: string) => { lines.push(m); } }, base.artifactsDir);
  const storage = join(mkdtempSync(join(tmpdir(), 'tokcast-mo-')), 'mo.db');
  const single = await runTuneStep(ctx, { numTrials: 1, epochsPerTrial: 1, storage });
  const a = await runTuneStep(ctx, { numTrials: 4, epochsPerTrial: 1, storage, objectives: ['val_loss', 'param_count'] });
  assert.notEqual(a.stats.study_name, single.stats.study_name, 'another objective, another study');
  const r = JSON.parse(readFileSync(join(stepDir(ctx.artifactsDir, 'tune'), 'tuning_results.json'), 'utf8'));
  assert.deepEqual(r.objectives, ['val_loss', 'param_count']);
  const history = JSON.parse(readFileSync(join(stepDir(ctx.artifactsDir, 'tune'), 'trials_history.json'), 'utf8')).trials;
  const done = history.filter((t: { state: string }) => t.state === 'COMPLETE');
  assert.equal(done.length, 4);
  for (const t of done) {
    assert.equal(t.values.length, 2);
    assert.ok(t.values[0] > 0.5 && t.values[0] < 2, `val loss ${t.values[0]}`);
    assert.ok(Number.isInteger(t.values[1]) && t.values[1] > 0, `param count ${t.values[1]}`);
  }
  // a bigger architecture has more parameters
  const key = (t: { params: Record<string, number> }) => `${t.params.embed_dim}/${t.params.n_layers}/${t.params.d_ff}`;
  for (const x of done) for (const y of done) {
    if (x.params.embed_dim <= y.params.embed_dim && x.params.n_layers <= y.params.n_layers && x.params.d_ff <= y.params.d_ff && key(x) !== key(y))
      assert.ok(x.values[1] < y.values[1], `${key(x)} has fewer parameters than ${key(y)}`);
  }
  // the front: no complete trial is at least as good on both and better on one
  const dominated = (t: { values: number[] }) => done.some((o: { values: number[] }) => o.values[0] <= t.values[0] && o.values[1] <= t.values[1] && (o.values[0] < t.values[0] || o.values[1] < t.values[1]));
  const front = done.filter((t: { values: number[] }) => !dominated(t)).map((t: { number: number }) => t.number);
  assert.deepEqual(r.pareto_front.map((t: { number: number }) => t.number), front);
  assert.ok(lines.some((l) => l.startsWith(`tune: Pareto front (val_loss, param_count): ${front.length} trial`)), lines.join('\n'));
  assert.ok(lines.some((l) => /^tune: trial \d+ COMPLETE values \d\.\d{4}, \d+ /.test(l)), 'trial lines show both values');
  const best = await runStudy(['best-trials', '--storage', storage, '--study-name', a.stats.study_name, '-f', 'json'], { OPTUNA_STORAGE: undefined, TOKCAST_STORAGE: undefined });
  assert.equal(best.code, 0, best.err);
  assert.deepEqual(JSON.parse(best.out).map((t: { number: number }) => t.number), front);
  await assert.rejects(runTuneStep(ctx, { numTrials: 1, storage, objectives: ['param_count'] }), /--objectives: got "param_count"; expected val_loss/);
});
