// Step 6a pretrain on a tiny synthetic pipeline: artifact and files, CLI options, step 6 fine-tunes from the weights
// (pretrained.used), --no-pretrained ignores them, and the run-all plan has the step in the right place.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tinyPipeline, tinyConfig } from './tiny-pipeline.ts';
import { validateConfig } from '../../../src/config/load.ts';
import { makeContext, type StepContext } from '../../../src/pipeline/context.ts';
import { readArtifact, stepDir } from '../../../src/pipeline/artifact.ts';
import { runPretrainStep, pretrainStats } from '../../../src/pipeline/steps/pretrain.ts';
import { runTrain, PRETRAINED_FILE } from '../../../src/pipeline/steps/train.ts';
import { loadStep, runAllPlan } from '../../../src/pipeline/steps/index.ts';

let ctx: StepContext;
const logs: string[] = [];
before(async () => {
  ctx = await tinyPipeline({ pretrain: { num_samples: 800, epochs: 3 } });
  ctx.reporter = { log: (m) => logs.push(m), progress: () => ({ tick: () => {}, done: () => {} }) };
});

test('pretrain writes weights, history, stats, plot and a valid artifact; CLI options override the config', async () => {
  const a = await runPretrainStep(ctx, { numSamples: 600, epochs: 2 });
  const dir = stepDir(ctx.artifactsDir, 'pretrain');
  for (const f of a.files) assert.ok(existsSync(join(dir, f)), f);
  assert.ok(a.files.includes(PRETRAINED_FILE) && a.files.includes('synthetic_samples.png') && a.files.includes('synthetic_data_stats.json'));
  const read = readArtifact(ctx.artifactsDir, 'pretrain', pretrainStats);
  assert.deepEqual(read.stats, a.stats);
  assert.equal(a.stats.num_samples, 600);
  assert.equal(a.stats.epochs, 2);
  assert.equal(a.stats.seed, ctx.config.seed, 'pretrain.seed null -> the global seed');
  assert.equal(a.stats.val_source, 'real');
  assert.ok(a.stats.best_val_acc > 0 && a.stats.best_val_acc < 1);
  assert.deepEqual(a.inputs.map((i) => i.step), ['clean', 'split', 'tokenize', 'sequences']);
  const hist = JSON.parse(readFileSync(join(dir, 'pretraining_history.json'), 'utf8'));
  assert.equal(hist.length, 2);
  assert.ok(logs.some((l) => l.includes('synthetic vs real')));
  // config defaults when the CLI gives nothing; run-all (chained) pins the architecture for tuning
  const b = await runPretrainStep(ctx, { chained: true });
  assert.equal(b.stats.num_samples, 800);
  assert.equal(b.stats.rounds, 3);
  const ss = ctx.config.tune.search_space;
  assert.deepEqual([ss.embed_dim, ss.n_heads, ss.d_ff, ss.n_layers], [[4], [2], [16], { low: 1, high: 1 }]);
  assert.deepEqual(validateConfig(ctx.config).tune.search_space, ss, 'still a valid config');
  assert.deepEqual(ss.lr, tinyConfig().tune.search_space.lr, 'the rest is searched as before');
});

test('step 6 fine-tunes from the pretrained weights, and ignores them when told', async () => {
  // the artifact of the test above is in place
  const t = await runTrain(ctx);
  assert.equal(t.stats.pretrained.used, true);
  assert.ok(t.inputs.some((i) => i.step === 'pretrain'));
  const scratch = await runTrain(ctx, { pretrained: false });
  assert.equal(scratch.stats.pretrained.used, false);
  assert.notDeepEqual(scratch.stats.history[0]!.train_loss, t.stats.history[0]!.train_loss, 'a different start');
  const off = await runTrain(makeContext({ ...ctx.config, train: { ...ctx.config.train, use_pretrained: false } }, undefined, ctx.artifactsDir));
  assert.equal(off.stats.pretrained.used, false);
});

test('the registry loads the step; run-all --with-pretraining puts it after sequences and before tune/train', async () => {
  assert.equal(await loadStep('pretrain'), runPretrainStep);
  assert.deepEqual(runAllPlan({ withPretraining: true, withTuning: true }).slice(5, 9), ['sequences', 'pretrain', 'tune', 'train']);
});
