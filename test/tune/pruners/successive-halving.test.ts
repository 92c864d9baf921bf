// SuccessiveHalvingPruner (ASHA) rules worked out by hand from docs/tuning.md#successive-halving: rungs, promotion steps, auto min_resource.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createStudy } from '../../../src/tune/study.ts';
import { SuccessiveHalvingPruner } from '../../../src/tune/pruners/successive-halving.ts';
import { createPruner } from '../../../src/tune/pruners/factory.ts';
import { RandomSampler } from '../../../src/tune/samplers/random.ts';
import type { StudyDirection } from '../../../src/tune/frozen-trial.ts';

async function setup(direction: StudyDirection, opts: ConstructorParameters<typeof SuccessiveHalvingPruner>[0]) {
  return createStudy({ direction, pruner: new SuccessiveHalvingPruner(opts), sampler: new RandomSampler({ seed: 1 }) });
}

async function probe(study: Awaited<ReturnType<typeof setup>>, reports: [number, number][]): Promise<boolean[]> {
  const trial = await study.ask();
  const out: boolean[] = [];
  for (const [s, v] of reports) {
    trial.report(v, s);
    out.push(await trial.shouldPrune());
  }
  await study.tell(trial, out.at(-1) ? 'PRUNED' : 'FAIL');
  return out;
}

test('rung 0 keeps the best 1/eta, records completed_rung_k and promotes up several rungs', async () => {
  const study = await setup('minimize', { minResource: 1, reductionFactor: 2 });
  assert.deepEqual(await probe(study, [[0, 5], [1, 1.0]]), [false, false]); // alone at rung 0 -> promoted; rung 1 needs step 2
  assert.deepEqual(await probe(study, [[1, 2.0]]), [true]); // [1, 2]: keep only the best
  assert.deepEqual(await probe(study, [[1, 0.5]]), [false]); // [0.5, 1, 2]: best
  // rung 1 needs step 2, rung 2 step 4: one report at step 4 walks both rungs in one call
  assert.deepEqual(await probe(study, [[4, 0.1]]), [false]);
  const trials = await study.getTrials();
  assert.equal(trials[0].systemAttrs.completed_rung_0, 1.0);
  assert.equal(trials[0].systemAttrs.completed_rung_1, undefined);
  assert.deepEqual(Object.keys(trials[3].systemAttrs).sort(), ['completed_rung_0', 'completed_rung_1', 'completed_rung_2']);
  assert.equal(trials[1].state, 'PRUNED');
});

test('maximize mirrors the comparison; NaN at a promotion step prunes', async () => {
  const study = await setup('maximize', { minResource: 1, reductionFactor: 2 });
  assert.deepEqual(await probe(study, [[1, 1.0]]), [false]);
  assert.deepEqual(await probe(study, [[1, 0.5]]), [true]);
  assert.deepEqual(await probe(study, [[1, 3.0]]), [false]);
  assert.deepEqual(await probe(study, [[0, Number.NaN]]), [false]); // step 0 is below min_resource
  assert.deepEqual(await probe(study, [[1, Number.NaN]]), [true]);
});

test('min_early_stopping_rate shifts the first rung; bootstrap_count prunes until enough values', async () => {
  const s1 = await setup('minimize', { minResource: 1, reductionFactor: 3, minEarlyStoppingRate: 1 });
  assert.deepEqual(await probe(s1, [[1, 1], [2, 1], [3, 1]]), [false, false, false]); // first rung at 1 * 3^1 = 3
  assert.deepEqual(await probe(s1, [[3, 2]]), [true]); // 2 values, eta 3: index max(floor(2/3)-1, 0) = 0 -> only the best survives
  assert.deepEqual(await probe(s1, [[3, 0.5]]), [false]);
  const s2 = await setup('minimize', { minResource: 1, reductionFactor: 2, bootstrapCount: 1 });
  assert.deepEqual(await probe(s2, [[0, 1], [1, 1]]), [false, true]); // 1 value <= bootstrap_count
  assert.deepEqual(await probe(s2, [[1, 0.5]]), [false]); // now 2 values, the best survives
});

test('auto min_resource waits for a COMPLETE trial with reports', async () => {
  const study = await setup('minimize', {});
  assert.deepEqual(await probe(study, [[0, 9], [1, 9], [500, 9]]), [false, false, false]);
  const t = await study.ask();
  t.report(1, 250);
  await study.tell(t, 1);
  // min_resource = 250 // 100 = 2; rung 0 at step 2
  assert.deepEqual(await probe(study, [[1, 5], [2, 5]]), [false, false]); // alone in rung 0
  assert.deepEqual(await probe(study, [[2, 6]]), [true]);
});

test('validation and factory', () => {
  assert.throws(() => new SuccessiveHalvingPruner({ reductionFactor: 1 }), /reduction_factor/);
  assert.throws(() => new SuccessiveHalvingPruner({ bootstrapCount: 1 }), /bootstrap_count/);
  assert.ok(createPruner('SuccessiveHalvingPruner', { min_resource: 'auto', reduction_factor: 3 }) instanceof SuccessiveHalvingPruner);
  assert.throws(() => createPruner('SuccessiveHalvingPruner', { min_resource: 0 }), /min_resource/);
});
