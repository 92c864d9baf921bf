// Trial: synchronous suggest with queued writes, relative vs independent values, fixed params, write-error surfacing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createStudy } from '../../src/tune/study.ts';
import { RandomSampler } from '../../src/tune/samplers/random.ts';
import { InMemoryStorage } from '../../src/tune/storage/memory.ts';
import { CategoricalDistribution, FloatDistribution, type Distribution, type ParamValue } from '../../src/tune/distributions.ts';
import type { Sampler } from '../../src/tune/samplers/sampler.ts';
import { StorageError } from '../../src/tune/storage/storage.ts';

/** A sampler that proposes x = 0.25 jointly and counts independent calls. */
class Scripted implements Sampler {
  independent = 0;
  inferRelativeSearchSpace(): Record<string, Distribution> {
    return { x: new FloatDistribution(0, 1) };
  }
  sampleRelative(): Record<string, ParamValue> {
    return { x: 0.25 };
  }
  sampleIndependent(_s: unknown, _t: unknown, _n: string, d: Distribution): ParamValue {
    this.independent++;
    return d.kind === 'categorical' ? d.choices.at(-1)! : d.high;
  }
}

test('relative values are used only for an identical distribution; others go to sampleIndependent', async () => {
  const sampler = new Scripted();
  const study = await createStudy({ sampler });
  const t = await study.ask();
  assert.equal(t.suggestFloat('x', 0, 1), 0.25);
  assert.equal(sampler.independent, 0);
  const u = await study.ask();
  assert.equal(u.suggestFloat('x', 0, 2), 2); // range changed: independent
  assert.equal(u.suggestCategorical('c', ['a', 'b']), 'b');
  assert.equal(u.suggestFloat('one', 3, 3), 3); // single point: no sampler call
  assert.equal(sampler.independent, 2);
});

test('writes are queued and visible in storage after flush; getters return copies', async () => {
  const storage = new InMemoryStorage();
  const study = await createStudy({ storage, sampler: new RandomSampler({ seed: 1 }) });
  const t = await study.ask();
  const x = t.suggestFloat('x', 0, 1);
  t.report(0.5, 0);
  t.setUserAttr('note', { a: 1 });
  t.setSystemAttr('sys', 1);
  await t.flush();
  const stored = await storage.getTrial(t.trialId);
  assert.deepEqual(stored.params, { x });
  assert.equal(stored.intermediateValues.get(0), 0.5);
  assert.deepEqual(stored.userAttrs, { note: { a: 1 } });
  const p = t.params;
  p.x = 99;
  assert.equal(t.params.x, x);
  assert.equal(t.intermediateValues.get(0), 0.5);
  assert.ok(t.datetimeStart instanceof Date);
});

test('a failed write surfaces at flush and tell marks the trial FAIL', async () => {
  const storage = new InMemoryStorage();
  const study = await createStudy({ storage, sampler: new RandomSampler({ seed: 2 }) });
  const t = await study.ask();
  t.suggestFloat('x', 0, 1);
  // another worker finishes the trial behind our back: the next queued write fails
  await storage.setTrialStateValues(t.trialId, 'FAIL');
  t.report(1, 0);
  await assert.rejects(t.flush(), StorageError);
  const study2 = await createStudy({ storage: new InMemoryStorage(), sampler: new RandomSampler({ seed: 2 }) });
  const u = await study2.ask();
  (study2.storage as InMemoryStorage).setTrialParam = async () => { throw new StorageError('disk full'); };
  u.suggestCategorical('c', ['a']);
  u.suggestFloat('y', 0, 1);
  await assert.rejects(study2.tell(u, 1), /disk full/);
  assert.equal((await study2.getTrial(u.number)).state, 'FAIL');
});

test('enqueued fixed params win over the sampler, also for single-point and categorical distributions', async () => {
  const study = await createStudy({ sampler: new Scripted() });
  await study.enqueueTrial({ x: 0.75, c: 'a' });
  const t = await study.ask();
  assert.equal(t.suggestFloat('x', 0, 1), 0.75);
  assert.equal(t.suggest('c', new CategoricalDistribution(['a', 'b'])), 'a');
  assert.equal(t.suggestFloat('free', 0, 1), 1);
});
