// Study behaviour: optimize loop (nTrials, timeout, nJobs, catch, pruning), ask/tell rules, enqueue, heartbeat, determinism.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createStudy, loadStudy, deleteStudy } from '../../src/tune/study.ts';
import { TrialPruned } from '../../src/tune/trial.ts';
import { RandomSampler } from '../../src/tune/samplers/random.ts';
import { TPESampler } from '../../src/tune/samplers/tpe/sampler.ts';
import { NopPruner } from '../../src/tune/pruners/pruner.ts';
import { InMemoryStorage } from '../../src/tune/storage/memory.ts';
import { CategoricalDistribution, FloatDistribution, IntDistribution } from '../../src/tune/distributions.ts';
import { DuplicatedStudyError, NotFoundError, UpdateFinishedTrialError } from '../../src/tune/storage/storage.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('optimize runs nTrials and reports the best trial', async () => {
  const study = await createStudy({ sampler: new RandomSampler({ seed: 1 }) });
  await study.optimize((t) => (t.suggestFloat('x', -10, 10) - 2) ** 2, { nTrials: 30 });
  const trials = await study.getTrials();
  assert.equal(trials.length, 30);
  assert.ok(trials.every((t) => t.state === 'COMPLETE'));
  const min = Math.min(...trials.map((t) => t.values![0]));
  assert.equal(await study.bestValue(), min);
  const best = await study.bestTrial();
  assert.equal((best.params.x as number - 2) ** 2, min);
  assert.deepEqual(await study.bestParams(), best.params);
});

test('maximize picks the largest value', async () => {
  const study = await createStudy({ direction: 'maximize', sampler: new RandomSampler({ seed: 2 }) });
  await study.optimize((t) => t.suggestInt('n', 0, 100), { nTrials: 20 });
  const vals = (await study.getTrials()).map((t) => t.values![0]);
  assert.equal(await study.bestValue(), Math.max(...vals));
});

test('same sampler seed gives the same trials; another seed does not', async () => {
  const run = async (seed: number) => {
    const study = await createStudy({ sampler: new TPESampler({ seed, nStartupTrials: 5 }) });
    await study.optimize((t) => {
      const x = t.suggestFloat('x', -5, 5);
      const k = t.suggestInt('k', 1, 64, { log: true });
      const c = t.suggestCategorical('c', ['a', 'b', 'c']);
      return x * x + Math.log(k) + (c === 'b' ? 0 : 1);
    }, { nTrials: 25 });
    return (await study.getTrials()).map((t) => JSON.stringify(t.params));
  };
  assert.deepEqual(await run(7), await run(7));
  assert.notDeepEqual(await run(7), await run(8));
});

test('pruned, failed and caught trials', async () => {
  class Flaky extends Error {}
  const study = await createStudy({ sampler: new RandomSampler({ seed: 3 }), pruner: new NopPruner() });
  await study.optimize((t) => {
    const n = t.number;
    t.report(10 - n, 0);
    t.report(5 - n, 1);
    if (n === 1) throw new TrialPruned();
    if (n === 2) throw new Flaky('boom');
    if (n === 3) return Number.NaN;
    return n;
  }, { nTrials: 5, catch: [Flaky] });
  const t = await study.getTrials();
  assert.deepEqual(t.map((x) => x.state), ['COMPLETE', 'PRUNED', 'FAIL', 'FAIL', 'COMPLETE']);
  assert.deepEqual(t[1].values, [4]); // last intermediate value
  assert.equal(t[2].systemAttrs.fail_reason, 'boom');
  assert.match(String(t[3].systemAttrs.fail_reason), /NaN/);
  const s2 = await createStudy({ sampler: new RandomSampler({ seed: 3 }) });
  await assert.rejects(s2.optimize(() => { throw new Flaky('x'); }, { nTrials: 3 }), Flaky);
  const t2 = await s2.getTrials();
  assert.equal(t2.length, 1);
  assert.equal(t2[0].state, 'FAIL');
});

test('timeout stops starting trials; nJobs runs async objectives concurrently with dense numbers', async () => {
  const s = await createStudy({ sampler: new RandomSampler({ seed: 4 }) });
  const t0 = Date.now();
  await s.optimize(async (t) => { await sleep(40); return t.suggestFloat('x', 0, 1); }, { timeout: 0.2 });
  const n = (await s.getTrials()).length;
  assert.ok(n >= 1 && n <= 6, `${n} trials`); // each trial takes >= 40 ms, so at most 200/40 + 1 start
  assert.ok(Date.now() - t0 >= 200);
  const p = await createStudy({ sampler: new RandomSampler({ seed: 5 }) });
  let running = 0, peak = 0;
  await p.optimize(async (t) => {
    running++; peak = Math.max(peak, running);
    await sleep(10);
    running--;
    return t.suggestFloat('x', 0, 1);
  }, { nTrials: 12, nJobs: 4 });
  const trials = await p.getTrials();
  assert.equal(trials.length, 12);
  assert.deepEqual(trials.map((x) => x.number), [...Array(12).keys()]);
  assert.equal(peak, 4);
});

test('ask/tell: fixed distributions, tell by number, finished trials, PRUNED value, FAIL', async () => {
  const study = await createStudy({ sampler: new RandomSampler({ seed: 6 }) });
  const t = await study.ask({ lr: new FloatDistribution(1e-4, 1, { log: true }), opt: new CategoricalDistribution(['sgd', 'adam']), n: new IntDistribution(1, 1) });
  assert.ok((t.params.lr as number) >= 1e-4 && ['sgd', 'adam'].includes(t.params.opt as string));
  assert.equal(t.params.n, 1);
  assert.deepEqual((await study.storage.getTrial(t.trialId)).params, t.params); // written before ask returns
  const done = await study.tell(t.number, 0.5);
  assert.equal(done.state, 'COMPLETE');
  await assert.rejects(study.tell(t, 0.1), UpdateFinishedTrialError);
  assert.equal((await study.tell(t, 0.1, { skipIfFinished: true })).values![0], 0.5);
  const p = await study.ask();
  p.report(3, 0);
  p.report(2, 4);
  p.report(99, 4); // repeated step ignored
  assert.equal((await study.tell(p, 'PRUNED')).values![0], 2);
  const f = await study.ask();
  assert.equal((await study.tell(f, 'FAIL')).values, null);
  const q = await study.ask();
  await assert.rejects(study.tell(q), /values or a state/);
  assert.equal((await study.tell(q, [1, 2])).state, 'FAIL'); // wrong count
  assert.equal((await study.tell(await study.ask(), Infinity)).state, 'COMPLETE');
  await assert.rejects(study.tell(999, 1), NotFoundError);
  await study.enqueueTrial({ lr: 0.1 });
  const waiting = (await study.getTrials({ states: ['WAITING'] }))[0];
  await assert.rejects(study.tell(waiting.number, 1), /WAITING/);
});

test('suggest rules: repeated name, incompatible distribution, report validation', async () => {
  const study = await createStudy({ sampler: new RandomSampler({ seed: 7 }) });
  const t = await study.ask();
  const x = t.suggestFloat('x', 0, 1);
  assert.equal(t.suggestFloat('x', 0, 1), x);
  assert.throws(() => t.suggestInt('x', 0, 1), /class/);
  assert.throws(() => t.report(1, -1), /step/);
  assert.throws(() => t.suggestFloat('y', 1, 0), /low <= high/);
  await study.tell(t, x);
  const u = await study.ask();
  assert.throws(() => u.suggestCategorical('x', ['a']), /class/); // the study already has x as a float
  assert.ok(u.suggestFloat('x', 0, 5) <= 5); // a changed range is allowed
  await study.tell(u, 1);
});

test('enqueued trials run first with their fixed params (skipIfExists dedupes)', async () => {
  const study = await createStudy({ sampler: new RandomSampler({ seed: 8 }) });
  await study.enqueueTrial({ x: 0.25, opt: 'adam' }, { userAttrs: { why: 'baseline' } });
  await study.enqueueTrial({ x: 0.25, opt: 'adam' }, { skipIfExists: true });
  await study.enqueueTrial({ x: 0.75 });
  const seen: unknown[] = [];
  await study.optimize((t) => {
    seen.push([t.suggestFloat('x', 0, 1), t.suggestCategorical('opt', ['sgd', 'adam'])]);
    return 0;
  }, { nTrials: 3 });
  assert.deepEqual(seen.slice(0, 2).map((s: any) => s[0]), [0.25, 0.75]);
  assert.equal((seen[0] as any)[1], 'adam');
  const trials = await study.getTrials();
  assert.equal(trials.length, 3);
  assert.deepEqual(trials[0].userAttrs, { why: 'baseline' });
  // as Optuna: an out-of-range enqueued value is used as given, TPE keeps working with it in the history;
  // a categorical value that is not a choice fails that trial
  const tpe = await createStudy({ sampler: new TPESampler({ seed: 8, nStartupTrials: 2 }) });
  await tpe.enqueueTrial({ x: 5, opt: 'adam' });
  await tpe.enqueueTrial({ x: 0.5, opt: 'rmsprop' });
  await tpe.optimize((t) => t.suggestFloat('x', 0, 1) + (t.suggestCategorical('opt', ['sgd', 'adam']) === 'sgd' ? 0 : 1), { nTrials: 8, catch: [Error] });
  const after = await tpe.getTrials();
  assert.deepEqual([after[0].state, after[0].params.x, after[1].state], ['COMPLETE', 5, 'FAIL']);
  assert.match(String(after[1].systemAttrs.fail_reason), /rmsprop/);
  assert.ok(after.slice(2).every((t) => t.state === 'COMPLETE' && (t.params.x as number) >= 0 && (t.params.x as number) <= 1));
});

test('createStudy/loadStudy/deleteStudy by name on a shared storage', async () => {
  const storage = new InMemoryStorage();
  const a = await createStudy({ storage, studyName: 's', direction: 'maximize' });
  await assert.rejects(createStudy({ storage, studyName: 's' }), DuplicatedStudyError);
  const b = await createStudy({ storage, studyName: 's', loadIfExists: true });
  assert.equal(b.studyId, a.studyId);
  assert.equal(b.direction, 'maximize');
  const c = await loadStudy({ storage, studyName: 's' });
  assert.deepEqual(c.directions, ['maximize']);
  await deleteStudy({ storage, studyName: 's' });
  await assert.rejects(loadStudy({ storage, studyName: 's' }), NotFoundError);
  await assert.rejects(createStudy({ direction: 'up' as never }), /direction/);
});

test('heartbeat: optimize fails stale RUNNING trials before starting a new one', async () => {
  const storage = new InMemoryStorage();
  const study = await createStudy({ storage, heartbeatInterval: 0.05, sampler: new RandomSampler({ seed: 9 }) });
  const zombie = await study.ask();
  await storage.recordHeartbeat(zombie.trialId);
  await sleep(150);
  await study.optimize(async (t) => { await sleep(120); return t.suggestFloat('x', 0, 1); }, { nTrials: 1 });
  const trials = await study.getTrials();
  assert.deepEqual(trials.map((t) => t.state), ['FAIL', 'COMPLETE']); // the live trial kept its heartbeat for 120 ms > grace 100 ms
});

test('multi-objective studies take value lists and reject report()', async () => {
  const study = await createStudy({ directions: ['minimize', 'maximize'], sampler: new RandomSampler({ seed: 10 }) });
  await study.optimize((t) => [t.suggestFloat('x', 0, 1), 1], { nTrials: 3 });
  assert.ok((await study.getTrials()).every((t) => t.values!.length === 2));
  const t = await study.ask();
  assert.throws(() => t.report(1, 0), /multi-objective/);
  await assert.rejects(study.bestTrial(), /multi-objective/);
});

test('report/shouldPrune by trial number (for the CLI) use the study pruner', async () => {
  const { MedianPruner } = await import('../../src/tune/pruners/median.ts');
  const study = await createStudy({ sampler: new RandomSampler({ seed: 11 }), pruner: new MedianPruner({ nStartupTrials: 1 }) });
  const done = await study.ask();
  done.report(1.0, 0);
  await study.tell(done, 1.0);
  const t = await study.ask();
  assert.equal(await study.report(t.number, 5, 0), true);
  assert.equal(await study.report(t.number, 0, 0), false); // repeated step ignored
  assert.equal((await study.getTrial(t.number)).intermediateValues.get(0), 5);
  assert.equal(await study.shouldPrune(t.number), true); // 5 > median 1
  await study.tell(t.number, 'PRUNED');
  await assert.rejects(study.report(t.number, 1, 1), UpdateFinishedTrialError);
});

test('stale trials are re-enqueued with their params up to maxRetry times', async () => {
  const storage = new InMemoryStorage();
  const study = await createStudy({ storage, heartbeatInterval: 0.02, retryStaleTrials: { maxRetry: 1 }, sampler: new RandomSampler({ seed: 12 }) });
  const zombie = await study.ask();
  const x = zombie.suggestFloat('x', 0, 1);
  await zombie.flush();
  await storage.recordHeartbeat(zombie.trialId);
  await sleep(80);
  assert.deepEqual(await study.failStaleTrials(), [0]);
  const retry = await study.ask(); // claims the WAITING copy
  assert.equal(retry.suggestFloat('x', 0, 1), x);
  assert.equal(retry.systemAttrs.failed_trial, 0);
  assert.deepEqual(retry.systemAttrs.retry_history, [0]);
  await storage.recordHeartbeat(retry.trialId);
  await sleep(80);
  assert.deepEqual(await study.failStaleTrials(), [1]);
  assert.equal(await study.storage.getNTrials(study.studyId, { states: ['WAITING'] }), 0); // maxRetry 1 reached
});

test('an aborted signal (SIGINT) fails every trial in flight at once, starts no other and rejects with its reason', async () => {
  for (const nJobs of [1, 2]) {
    const study = await createStudy({ sampler: new RandomSampler({ seed: 13 }), heartbeatInterval: 0.05 });
    const controller = new AbortController();
    const reason = new Error('SIGINT received');
    let calls = 0;
    const run = study.optimize(async (t) => {
      calls++;
      const x = t.suggestFloat('x', 0, 1);
      if (t.number >= 2) {
        if (t.number === 1 + nJobs) setTimeout(() => controller.abort(reason), 30);
        await new Promise(() => {}); // a trial that never ends by itself
      }
      return x;
    }, { nTrials: 10, nJobs, signal: controller.signal });
    await assert.rejects(run, (e) => e === reason);
    const trials = await study.getTrials();
    const hung = trials.filter((t) => t.number >= 2);
    assert.deepEqual(hung.map((t) => t.state), Array(nJobs).fill('FAIL'), `nJobs ${nJobs}`);
    for (const t of hung) assert.match(String(t.systemAttrs.fail_reason), /^interrupted \(SIGINT/);
    assert.equal(calls, 2 + nJobs, 'no trial starts after the interrupt');
    assert.ok(trials.filter((t) => t.number < 2).every((t) => t.state === 'COMPLETE'));
    await sleep(120);
    assert.deepEqual(await study.failStaleTrials(), [], 'no heartbeat left behind, nothing RUNNING');
  }
  const pre = new AbortController();
  pre.abort(new Error('early'));
  const study = await createStudy();
  await assert.rejects(study.optimize(() => 1, { nTrials: 3, signal: pre.signal }), /early/);
  assert.equal((await study.getTrials()).length, 0);
});

test('an objective returning nothing, NaN, a string or the wrong count fails that trial and the study goes on (Optuna)', async () => {
  const study = await createStudy({ sampler: new RandomSampler({ seed: 14 }) });
  const results: unknown[] = [undefined, NaN, 'abc', [1, 2], null, 3];
  await study.optimize((t) => { t.suggestFloat('x', 0, 1); return results[t.number] as number; }, { nTrials: 6 });
  const trials = await study.getTrials();
  assert.deepEqual(trials.map((t) => t.state), ['FAIL', 'FAIL', 'FAIL', 'FAIL', 'FAIL', 'COMPLETE']);
  assert.match(String(trials[0].systemAttrs.fail_reason), /returned nothing/);
  assert.equal((await study.bestTrial()).number, 5);
});

test('shouldStart false stops the loop before the next trial', async () => {
  const study = await createStudy({ sampler: new RandomSampler({ seed: 15 }) });
  await study.optimize((t) => t.suggestFloat('x', 0, 1), { nTrials: 10, shouldStart: async (s) => (await s.getTrials()).length < 4 });
  assert.equal((await study.getTrials()).length, 4);
});
