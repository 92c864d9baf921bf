import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync, cpSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { tinyPipeline, tinyConfig } from './tiny-pipeline.ts';
import { makeContext, type StepContext } from '../../../src/pipeline/context.ts';
import { runTrain, BEST_DIR, LAST_DIR } from '../../../src/pipeline/steps/train.ts';
import { runEvaluate, RESULTS_FILE } from '../../../src/pipeline/steps/evaluate.ts';
import { stepDir } from '../../../src/pipeline/artifact.ts';
import { availableProviders } from '../../../src/runtime/session.ts';

let ctx: StepContext;
before(async () => { ctx = await tinyPipeline(); });

test('train writes best and last checkpoints, history, curves and model.onnx; the same seed repeats exactly', async () => {
  const a = await runTrain(ctx);
  const dir = stepDir(ctx.artifactsDir, 'train');
  for (const f of [`${BEST_DIR}/checkpoint.json`, `${LAST_DIR}/checkpoint.json`, 'history.json', 'model.onnx', 'training_curves.png'])
    assert.ok(existsSync(join(dir, f)), f);
  assert.equal(a.stats.history.length, 2);
  assert.equal(a.stats.pretrained.used, false);
  assert.equal(a.stats.execution_provider_used, 'cpu');
  const first = a.stats.history.map((h) => h.val_loss);
  const b = await runTrain(ctx);
  assert.deepEqual(b.stats.history.map((h) => h.val_loss), first, 'reproducible from config and seed');
});

test('a CUDA request that cannot be met is refused, or with allow_cpu_fallback warns and records cpu', async () => {
  const cuda = { ...ctx.config, train: { ...ctx.config.train, epochs: 1, execution_provider: 'cuda' as const } };
  if (availableProviders().includes('cuda')) {
    assert.equal((await runTrain(makeContext(cuda, undefined, ctx.artifactsDir))).stats.execution_provider_used, 'cuda');
    return;
  }
  await assert.rejects(runTrain(makeContext(cuda, undefined, ctx.artifactsDir)), /execution provider "cuda" was requested but .*--allow-cpu-fallback/);
  const written: string[] = [];
  const write = process.stderr.write;
  process.stderr.write = ((chunk: string | Uint8Array) => { written.push(String(chunk)); return true; }) as typeof process.stderr.write;
  let a;
  try {
    a = await runTrain(makeContext({ ...cuda, train: { ...cuda.train, allow_cpu_fallback: true } }, undefined, ctx.artifactsDir));
  } finally {
    process.stderr.write = write;
  }
  assert.equal(a.stats.execution_provider_used, 'cpu');
  assert.equal(written.filter((w) => /^tokcast: warning: execution provider "cuda" is not usable/.test(w)).length, 1, written.join(''));
});

test('resume continues after the last finished epoch and matches an uninterrupted run', async () => {
  const full = await runTrain(makeContext({ ...ctx.config, train: { ...ctx.config.train, epochs: 3 } }, undefined, ctx.artifactsDir));
  // a 2-epoch run, then resume to 3: the same history as the 3-epoch run
  await runTrain(ctx);
  const resumed = await runTrain(makeContext({ ...ctx.config, train: { ...ctx.config.train, epochs: 3 } }, undefined, ctx.artifactsDir), { resume: true });
  assert.equal(resumed.stats.resumed, true);
  assert.deepEqual(resumed.stats.history.map((h) => h.val_loss), full.stats.history.map((h) => h.val_loss));
});

test('evaluate reports the model and every baseline per hour, with plots', async () => {
  await runTrain(ctx);
  const a = await runEvaluate(ctx);
  const r = JSON.parse(readFileSync(join(stepDir(ctx.artifactsDir, 'evaluate'), RESULTS_FILE), 'utf8'));
  assert.deepEqual(Object.keys(r.methods).sort(), ['garch', 'logistic', 'majority', 'markov', 'model', 'persistence', 'prior_random', 'window_majority']);
  assert.equal(r.methods.model.accuracy_by_hour.length, 4);
  assert.equal(r.comparison.length, 4);
  assert.ok(r.comparison.every((c: { best_baseline: string }) => c.best_baseline !== 'prior_random'));
  for (const m of Object.values(r.methods) as Array<{ accuracy_by_hour: Array<{ estimate: number }> }>)
    for (const x of m.accuracy_by_hour) assert.ok(x.estimate >= 0 && x.estimate <= 1);
  assert.equal(a.stats.n_windows, r.n_windows);
  assert.ok(existsSync(join(stepDir(ctx.artifactsDir, 'evaluate'), 'accuracy_by_hour.png')));
  const again = await runEvaluate(ctx);
  assert.deepEqual(again.stats.accuracy_by_hour, a.stats.accuracy_by_hour, 'deterministic');
});

test('a corrupt or mismatched checkpoint is refused with the reason', async () => {
  await runTrain(ctx);
  const copy = mkdtempSync(join(tmpdir(), 'tokcast-ck-'));
  cpSync(ctx.artifactsDir, copy, { recursive: true });
  const other = makeContext(ctx.config, undefined, copy);
  const ck = join(stepDir(copy, 'train'), BEST_DIR, 'model.safetensors');
  const bytes = readFileSync(ck);
  bytes[bytes.length - 5] ^= 0xff;
  writeFileSync(ck, bytes);
  await assert.rejects(runEvaluate(other), /model\.safetensors/);
  // a config whose model no longer fits the sequences' target coin
  const moved = makeContext(tinyConfig({ data: { target_coin: 'ETH' } }), undefined, ctx.artifactsDir);
  await assert.rejects(runEvaluate(moved), /target_coin/);
});

test('--resume refuses other settings or data, listing them; --force continues with a warning; a bad saved state is refused', async () => {
  await runTrain(ctx);
  const logs: string[] = [];
  const other = makeContext({ ...ctx.config, model: { ...ctx.config.model, dropout: 0.2 }, train: { ...ctx.config.train, lr: 0.01, epochs: 3 } },
    { log: (m) => logs.push(m), progress: () => ({ tick: () => {}, done: () => {} }) }, ctx.artifactsDir);
  await assert.rejects(runTrain(other, { resume: true }), (e: Error) => {
    assert.equal(e.name, 'UserError');
    assert.match(e.message, /--resume: .*checkpoint_last was trained with other settings or data: model\.dropout 0\.2 \(checkpoint: 0\.1\); train\.lr 0\.01 \(checkpoint: 0\.001\)/);
    assert.match(e.message, /--resume --force/);
    return true;
  });
  const forced = await runTrain(other, { resume: true, force: true });
  assert.equal(forced.stats.resumed, true);
  assert.equal(forced.stats.epochs_run, 3);
  assert.ok(logs.some((l) => /warning: --resume --force: .*model\.dropout/.test(l)), logs.join('\n'));
  // a hand-edited state (negative epoch) is refused naming the file
  await runTrain(ctx);
  const ckJson = join(stepDir(ctx.artifactsDir, 'train'), LAST_DIR, 'checkpoint.json');
  const m = JSON.parse(readFileSync(ckJson, 'utf8'));
  m.extra.loop.epoch = -1;
  writeFileSync(ckJson, JSON.stringify(m));
  await assert.rejects(runTrain(ctx, { resume: true }), /checkpoint_last\/checkpoint\.json: not a valid training state \(loop\.epoch/);
});
