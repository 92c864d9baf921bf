// MedianPruner/PercentilePruner decisions against Optuna (test/fixtures/hpo/median_pruner.json: 180 cases, every report).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFixtureJson } from '../../fixtures/data.ts';
import { createStudy, type Study } from '../../../src/tune/study.ts';
import { createPruner } from '../../../src/tune/pruners/factory.ts';
import { MedianPruner } from '../../../src/tune/pruners/median.ts';
import { PercentilePruner, nanPercentile, percentileAtStep, isFirstInIntervalStep } from '../../../src/tune/pruners/percentile.ts';
import { FloatDistribution } from '../../../src/tune/distributions.ts';
import { RandomSampler } from '../../../src/tune/samplers/random.ts';
import type { StudyDirection } from '../../../src/tune/frozen-trial.ts';

const fx = readFixtureJson('hpo', 'median_pruner.json');
const num = (v: unknown) => (v === 'nan' ? Number.NaN : v === 'inf' ? Infinity : v === '-inf' ? -Infinity : (v as number));

async function studyWithHistory(direction: StudyDirection, kwargs: Record<string, unknown>): Promise<Study> {
  const study = await createStudy({ direction, pruner: createPruner('MedianPruner', kwargs), sampler: new RandomSampler({ seed: 0 }) });
  for (const t of fx.history) {
    await study.addTrial({
      state: t.state, values: t.value === null ? null : [num(t.value)],
      params: t.params, distributions: { x: new FloatDistribution(0, 1) },
      intermediateValues: new Map(Object.entries(t.intermediate_values).map(([k, v]) => [Number(k), num(v)])),
    });
  }
  return study;
}

test('every MedianPruner decision and reference median matches Optuna', async () => {
  let decisions = 0;
  const mismatches: string[] = [];
  for (const c of fx.cases) {
    const study = await studyWithHistory(c.direction, c.pruner_kwargs);
    const completed = await study.getTrials({ states: ['COMPLETE'] });
    const nMin = c.pruner_kwargs.n_min_trials ?? 1;
    const trial = await study.ask();
    for (let i = 0; i < c.reports.length; i++) {
      const [step, value] = c.reports[i];
      trial.report(num(value), step);
      const got = await trial.shouldPrune();
      if (got !== c.should_prune_after_each_report[i]) mismatches.push(`${c.direction} ${JSON.stringify(c.pruner_kwargs)} ${c.probe} report ${i}: got ${got}`);
      const ref = percentileAtStep(completed, c.direction, step, 50, nMin);
      const want = num(c.median_at_step[i]);
      if (!(Number.isNaN(want) ? Number.isNaN(ref) : Math.abs(ref - want) <= 1e-12)) mismatches.push(`${c.probe} median at ${step}: ${ref} vs ${want}`);
      decisions++;
    }
  }
  assert.deepEqual(mismatches.slice(0, 10), []);
  assert.ok(decisions > 1000, `${decisions} decisions`);
});

test('numpy-style percentile and interval gate', () => {
  assert.equal(nanPercentile([1, 2, 3, 4], 50), 2.5);
  assert.equal(nanPercentile([3, Number.NaN, 1], 50), 2);
  assert.ok(Number.isNaN(nanPercentile([Number.NaN], 50)));
  assert.equal(nanPercentile([0, 10], 25), 2.5);
  // interval 3, warmup 0: reports 0..9 are checked at 0, 3, 6, 9; sparse 0, 2, 5, 7, 9 at 0, 5, 7, 9
  const checked = (steps: number[]) => steps.filter((s, i) => isFirstInIntervalStep(s, steps.slice(0, i + 1), 0, 3));
  assert.deepEqual(checked([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]), [0, 3, 6, 9]);
  assert.deepEqual(checked([0, 2, 5, 7, 9]), [0, 5, 7, 9]);
});

test('constructor validation names the argument', () => {
  assert.throws(() => new MedianPruner({ intervalSteps: 0 }), /interval_steps/);
  assert.throws(() => new PercentilePruner(101), /percentile/);
  assert.throws(() => createPruner('MedianPruner', { n_startup: 3 }), /unknown argument "n_startup"/);
  assert.throws(() => createPruner('NoSuchPruner'), /unknown pruner/);
  assert.ok(createPruner('PercentilePruner', { percentile: 25, n_warmup_steps: 2 }) instanceof PercentilePruner);
  assert.throws(() => createPruner('PercentilePruner', {}), /percentile/);
});
