// createSampler/createPruner from Optuna class names and snake_case kwargs (the CLI's --sampler/--pruner).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSampler } from '../../../src/tune/samplers/factory.ts';
import { createPruner } from '../../../src/tune/pruners/factory.ts';
import { TPESampler } from '../../../src/tune/samplers/tpe/sampler.ts';
import { RandomSampler } from '../../../src/tune/samplers/random.ts';
import { MedianPruner } from '../../../src/tune/pruners/median.ts';
import { NopPruner } from '../../../src/tune/pruners/pruner.ts';
import { hyperoptDefaultGamma } from '../../../src/tune/samplers/tpe/split.ts';
import { UserError } from '../../../src/util/errors.ts';

test('TPESampler kwargs map onto options', () => {
  const s = createSampler('TPESampler', { n_startup_trials: 20, n_ei_candidates: 48, multivariate: false, constant_liar: false, seed: 3, consider_prior: true, gamma: 'hyperopt' }) as TPESampler;
  assert.ok(s instanceof TPESampler);
  assert.equal(s.nStartupTrials, 20);
  assert.equal(s.nEiCandidates, 48);
  assert.equal(s.multivariate, false);
  assert.equal(s.constantLiar, false);
  assert.equal(s.gamma, hyperoptDefaultGamma);
  const d = createSampler('TPESampler') as TPESampler;
  assert.equal(d.nStartupTrials, 10);
  assert.deepEqual([d.multivariate, d.constantLiar, d.group], [false, false, false], 'Optuna 4.x defaults');
  assert.ok(createSampler('TPESampler', { nStartupTrials: 3 }) instanceof TPESampler); // camelCase accepted
});

test('unknown classes and arguments are UserErrors that list the accepted names', () => {
  assert.ok(createSampler('RandomSampler', { seed: 1 }) instanceof RandomSampler);
  assert.throws(() => createSampler('CmaEsSampler'), (e: unknown) => e instanceof UserError && /TPESampler, RandomSampler/.test((e as Error).message));
  assert.throws(() => createSampler('TPESampler', { n_startup: 1 }), /unknown argument "n_startup".*n_startup_trials/);
  assert.throws(() => createSampler('TPESampler', { consider_prior: false }), /consider_prior/);
  assert.throws(() => createSampler('TPESampler', { multivariate: 'yes' }), /multivariate/);
  assert.ok(createPruner('MedianPruner', { n_startup_trials: 2, n_warmup_steps: 1, interval_steps: 2, n_min_trials: 3 }) instanceof MedianPruner);
  assert.ok(createPruner('NopPruner') instanceof NopPruner);
  assert.throws(() => createPruner('NopPruner', { x: 1 }), /unknown argument/);
});
