// HyperbandPruner: crc32 bracket hashing (reference values from Python's binascii.crc32), per-bracket ASHA, sampler filtering.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HyperbandPruner, crc32 } from '../../../src/tune/pruners/hyperband.ts';
import { createPruner } from '../../../src/tune/pruners/factory.ts';
import { createStudy } from '../../../src/tune/study.ts';
import { RandomSampler } from '../../../src/tune/samplers/random.ts';
import type { Distribution, ParamValue } from '../../../src/tune/distributions.ts';
import type { FrozenTrial } from '../../../src/tune/frozen-trial.ts';
import type { Sampler, StudyView } from '../../../src/tune/samplers/sampler.ts';

test('crc32 matches zlib', () => {
  assert.deepEqual(['', 'a', 'hb_0', 'hb_1', 'study_123'].map(crc32), [0, 3904355907, 2407493257, 4168637983, 984474014]);
});

test('brackets: count, budgets and the hashed assignment', () => {
  const p = new HyperbandPruner({ minResource: 1, maxResource: 9, reductionFactor: 3 });
  assert.equal(p.nBrackets, 3); // floor(log3 9) + 1; budgets ceil(3*9/3)=9, ceil(3*3/2)=5, ceil(3*1/1)=3
  assert.deepEqual(Array.from({ length: 12 }, (_, k) => p.bracketOf('hb', k)), [0, 0, 2, 2, 1, 1, 1, 2, 1, 0, 1, 0]);
  assert.equal(new HyperbandPruner().nBrackets, 0); // auto: waits for a COMPLETE trial
  assert.ok(createPruner('HyperbandPruner', { min_resource: 1, max_resource: 27, reduction_factor: 3 }) instanceof HyperbandPruner);
  assert.throws(() => new HyperbandPruner({ reductionFactor: 1 }), /reduction_factor/);
});

class Spy implements Sampler {
  seen: number[][] = [];
  private inner = new RandomSampler({ seed: 1 });
  inferRelativeSearchSpace(): Record<string, Distribution> { return {}; }
  sampleRelative(): Record<string, ParamValue> { return {}; }
  sampleIndependent(study: StudyView, trial: FrozenTrial, name: string, d: Distribution): ParamValue {
    this.seen.push(study.trials.map((t) => t.number));
    return this.inner.sampleIndependent(study, trial, name, d);
  }
}

test('each bracket runs its own ASHA (first rung at min_resource * eta^bracket); the sampler sees only the bracket', async () => {
  const spy = new Spy();
  const study = await createStudy({ studyName: 'hb', sampler: spy, pruner: new HyperbandPruner({ minResource: 1, maxResource: 9, reductionFactor: 3 }) });
  const run = async (reports: [number, number][]) => {
    const t = await study.ask();
    t.suggestFloat('x', 0, 1);
    const out: boolean[] = [];
    for (const [s, v] of reports) { t.report(v, s); out.push(await t.shouldPrune()); }
    await study.tell(t, out.at(-1) ? 'PRUNED' : 1);
    return out;
  };
  assert.deepEqual(await run([[1, 1]]), [false]); // trial 0, bracket 0: alone at rung 0 (step 1)
  assert.deepEqual(await run([[1, 2]]), [true]); // trial 1, bracket 0: [1, 2] -> only the best survives
  assert.deepEqual(await run([[1, 100], [3, 100]]), [false, false]); // trial 2, bracket 2: first rung at step 9
  assert.deepEqual(await run([[9, 5]]), [false]); // trial 3, bracket 2: alone at its rung 0
  await run([[0, 1]]); // 4 (bracket 1)
  await run([[0, 1]]); // 5 (bracket 1)
  await run([[0, 1]]); // 6 (bracket 1)
  assert.deepEqual(spy.seen[6], [4, 5, 6]);
  assert.deepEqual(spy.seen[3], [2, 3]);
});
