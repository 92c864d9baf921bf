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
