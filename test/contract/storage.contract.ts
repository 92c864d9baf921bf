// Shared Storage contract suite (the contract is the prose in src/tune/storage/storage.ts); every backend's test calls it.
// Modelled on optuna/testing/pytest_storages.py and tests/storages_tests/test_storages.py.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { CategoricalDistribution, FloatDistribution, IntDistribution } from '../../src/tune/distributions.ts';
import {
  DuplicatedStudyError, NotFoundError, StorageError, UpdateFinishedTrialError, type Storage,
} from '../../src/tune/storage/storage.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let counter = 0;
const uniq = (p: string) => `${p}-${process.pid}-${Date.now()}-${counter++}`;

/** Runs the whole contract against storages made by `makeStorage`; `cleanup` (optional) runs once per storage at the end. */
export function runStorageContract(name: string, makeStorage: () => Promise<Storage>, cleanup?: (s: Storage) => Promise<void>): void {
  describe(`Storage contract: ${name}`, () => {
    let s: Storage;
    before(async () => { s = await makeStorage(); });
    after(async () => { if (cleanup) await cleanup(s); await s.close(); await s.close(); });

    it('creates, names, lists and deletes studies', async () => {
      const n1 = uniq('a'), n2 = uniq('b');
      const id1 = await s.createNewStudy(['minimize'], n1);
      const id2 = await s.createNewStudy(['maximize', 'minimize'], n2);
      assert.notEqual(id1, id2);
      assert.equal(await s.getStudyIdFromName(n1), id1);
      assert.equal(await s.getStudyNameFromId(id2), n2);
      assert.deepEqual(await s.getStudyDirections(id2), ['maximize', 'minimize']);
      await assert.rejects(s.createNewStudy(['minimize'], n1), DuplicatedStudyError);
      await assert.rejects(s.createNewStudy([], uniq('e')), StorageError);
      const all = await s.getAllStudies();
      const mine = all.filter((x) => x.studyId === id1 || x.studyId === id2);
      assert.deepEqual(mine.map((x) => x.studyName), [n1, n2]);
      assert.deepEqual(mine[1].directions, ['maximize', 'minimize']);
      const auto = await s.createNewStudy(['minimize']);
      const autoName = await s.getStudyNameFromId(auto);
      assert.ok(autoName.length > 0);
      assert.notEqual(await s.getStudyNameFromId(await s.createNewStudy(['minimize'])), autoName);
      const t = await s.createNewTrial(id1);
      await s.deleteStudy(id1);
      await assert.rejects(s.getStudyIdFromName(n1), NotFoundError);
      await assert.rejects(s.getStudyNameFromId(id1), NotFoundError);
      await assert.rejects(s.getTrial(t.trialId), NotFoundError);
      await assert.rejects(s.deleteStudy(id1), NotFoundError);
      await assert.rejects(s.getStudyDirections(987654321), NotFoundError);
      await assert.rejects(s.createNewTrial(987654321), NotFoundError);
      // the name is free again
      await s.createNewStudy(['minimize'], n1);
    });

    it('stores study attributes as JSON', async () => {
      const id = await s.createNewStudy(['minimize'], uniq('attrs'));
      await s.setStudyUserAttr(id, 'k', { a: [1, 'x', null, true] });
      await s.setStudyUserAttr(id, 'k', 3);
      await s.setStudyUserAttr(id, 'z', 'hello');
      await s.setStudySystemAttr(id, 'sys', [1.5, { b: false }]);
      assert.deepEqual(await s.getStudyUserAttrs(id), { k: 3, z: 'hello' });
      assert.deepEqual(await s.getStudySystemAttrs(id), { sys: [1.5, { b: false }] });
      const got = await s.getStudyUserAttrs(id);
      got.k = 99;
      assert.equal((await s.getStudyUserAttrs(id)).k, 3);
      await assert.rejects(s.setStudyUserAttr(987654321, 'k', 1), NotFoundError);
    });

    it('numbers trials densely per study, also under concurrency', async () => {
      const a = await s.createNewStudy(['minimize'], uniq('dense-a'));
      const b = await s.createNewStudy(['minimize'], uniq('dense-b'));
      const first = await s.createNewTrial(a);
      assert.equal(first.number, 0);
      assert.equal((await s.createNewTrial(b)).number, 0);
      const made = await Promise.all(Array.from({ length: 20 }, (_, i) => s.createNewTrial(i % 2 ? a : b)));
      const numsA = made.filter((_, i) => i % 2).map((m) => m.number).sort((x, y) => x - y);
      const numsB = made.filter((_, i) => !(i % 2)).map((m) => m.number).sort((x, y) => x - y);
      assert.deepEqual(numsA, Array.from({ length: 10 }, (_, i) => i + 1));
      assert.deepEqual(numsB, Array.from({ length: 10 }, (_, i) => i + 1));
      assert.equal(new Set(made.map((m) => m.trialId)).size, 20);
      for (const m of made) {
        const sid = made.indexOf(m) % 2 ? a : b;
        assert.equal(await s.getTrialIdFromStudyIdTrialNumber(sid, m.number), m.trialId);
      }
      await assert.rejects(s.getTrialIdFromStudyIdTrialNumber(a, 9999), NotFoundError);
      const t = await s.getTrial(first.trialId);
      assert.equal(t.state, 'RUNNING');
      assert.ok(t.datetimeStart instanceof Date);
      assert.equal(t.datetimeComplete, null);
      assert.equal(t.values, null);
      assert.deepEqual(t.params, {});
      assert.equal(t.intermediateValues.size, 0);
    });

    it('round-trips params of every distribution type', async () => {
      const id = await s.createNewStudy(['minimize'], uniq('params'));
      const { trialId } = await s.createNewTrial(id);
      const dists = {
        f: new FloatDistribution(-1.5, 2.5),
        flog: new FloatDistribution(1e-5, 1e-1, { log: true }),
        fstep: new FloatDistribution(0, 1, { step: 0.25 }),
        i: new IntDistribution(-3, 7),
        ilog: new IntDistribution(1, 1024, { log: true }),
        istep: new IntDistribution(0, 100, { step: 10 }),
        c: new CategoricalDistribution(['adam', 3, null, true, 0.5]),
      };
      const internal = { f: 0.1234567890123, flog: 3.3e-4, fstep: 0.75, i: -2, ilog: 37, istep: 40, c: 2 };
      for (const [k, d] of Object.entries(dists)) await s.setTrialParam(trialId, k, internal[k as keyof typeof internal], d);
      await s.setTrialParam(trialId, 'i', 5, dists.i);
      const t = await s.getTrial(trialId);
      assert.deepEqual(t.params, { f: 0.1234567890123, flog: 3.3e-4, fstep: 0.75, i: 5, ilog: 37, istep: 40, c: null });
      for (const [k, d] of Object.entries(dists)) assert.deepEqual(t.distributions[k].toJSON(), d.toJSON(), k);
      await s.setTrialParam(trialId, 'c', 0, dists.c);
      assert.equal((await s.getTrial(trialId)).params.c, 'adam');
      // outside its range is stored as given (Optuna: an enqueued out-of-range value); NaN and bad choice indices are not
      await s.setTrialParam(trialId, 'x', 5, new FloatDistribution(0, 1));
      assert.equal((await s.getTrial(trialId)).params.x, 5);
      await assert.rejects(s.setTrialParam(trialId, 'y', NaN, new FloatDistribution(0, 1)), StorageError);
      await assert.rejects(s.setTrialParam(trialId, 'z', 7, new CategoricalDistribution(['a', 'b'])), StorageError);
      await assert.rejects(s.setTrialParam(987654321, 'x', 0.5, new FloatDistribution(0, 1)), NotFoundError);
    });

    it('rejects incompatible distributions for the same name within a study, allows changed ranges', async () => {
      const id = await s.createNewStudy(['minimize'], uniq('compat'));
      const t1 = await s.createNewTrial(id);
      await s.setTrialParam(t1.trialId, 'x', 0.5, new FloatDistribution(0, 1));
      await s.setTrialParam(t1.trialId, 'c', 1, new CategoricalDistribution(['a', 'b']));
      const t2 = await s.createNewTrial(id);
      await s.setTrialParam(t2.trialId, 'x', 3, new FloatDistribution(0, 10));
      await assert.rejects(s.setTrialParam(t2.trialId, 'x', 3, new IntDistribution(0, 10)), StorageError);
      await assert.rejects(s.setTrialParam(t2.trialId, 'x', 3, new FloatDistribution(1, 10, { log: true })), StorageError);
      await assert.rejects(s.setTrialParam(t2.trialId, 'c', 1, new CategoricalDistribution(['a', 'c'])), StorageError);
      // another study is independent
      const other = await s.createNewStudy(['minimize'], uniq('compat2'));
      const t3 = await s.createNewTrial(other);
      await s.setTrialParam(t3.trialId, 'x', 3, new IntDistribution(0, 10));
    });

    it('finishes a trial once; finished trials are immutable', async () => {
      const id = await s.createNewStudy(['minimize'], uniq('finish'));
      const { trialId } = await s.createNewTrial(id);
      await s.setTrialIntermediateValue(trialId, 0, 1.5);
      await s.setTrialUserAttr(trialId, 'u', { deep: [1, 2] });
      await s.setTrialSystemAttr(trialId, 'sys', 'v');
      assert.equal(await s.setTrialStateValues(trialId, 'COMPLETE', [0.25]), true);
      assert.equal(await s.setTrialStateValues(trialId, 'COMPLETE', [0.5]), false);
      assert.equal(await s.setTrialStateValues(trialId, 'FAIL'), false);
      assert.equal(await s.setTrialStateValues(trialId, 'RUNNING'), false);
      const t = await s.getTrial(trialId);
      assert.equal(t.state, 'COMPLETE');
      assert.deepEqual(t.values, [0.25]);
      assert.ok(t.datetimeComplete instanceof Date);
      assert.ok(t.datetimeComplete!.getTime() >= t.datetimeStart!.getTime());
      assert.deepEqual(t.userAttrs, { u: { deep: [1, 2] } });
      assert.deepEqual(t.systemAttrs, { sys: 'v' });
      await assert.rejects(s.setTrialParam(trialId, 'x', 0.5, new FloatDistribution(0, 1)), UpdateFinishedTrialError);
      await assert.rejects(s.setTrialIntermediateValue(trialId, 1, 2), UpdateFinishedTrialError);
      await assert.rejects(s.setTrialUserAttr(trialId, 'a', 1), UpdateFinishedTrialError);
      await assert.rejects(s.setTrialSystemAttr(trialId, 'a', 1), UpdateFinishedTrialError);
      await assert.rejects(s.setTrialStateValues(987654321, 'FAIL'), NotFoundError);
    });

    it('lets exactly one of several concurrent finishers win', async () => {
      const id = await s.createNewStudy(['minimize'], uniq('race'));
      const { trialId } = await s.createNewTrial(id);
      const results = await Promise.all(Array.from({ length: 8 }, (_, i) => s.setTrialStateValues(trialId, i % 2 ? 'FAIL' : 'COMPLETE', i % 2 ? null : [i])));
      assert.equal(results.filter(Boolean).length, 1);
    });

    it('validates values: count, NaN, infinities, WAITING', async () => {
      const id = await s.createNewStudy(['minimize', 'maximize'], uniq('values'));
      const a = await s.createNewTrial(id);
      await assert.rejects(s.setTrialStateValues(a.trialId, 'COMPLETE', [1]), StorageError);
      await assert.rejects(s.setTrialStateValues(a.trialId, 'COMPLETE', [1, Number.NaN]), StorageError);
      await assert.rejects(s.setTrialStateValues(a.trialId, 'WAITING'), StorageError);
      assert.equal((await s.getTrial(a.trialId)).state, 'RUNNING');
      assert.equal(await s.setTrialStateValues(a.trialId, 'COMPLETE', [Infinity, -Infinity]), true);
      assert.deepEqual((await s.getTrial(a.trialId)).values, [Infinity, -Infinity]);
      const b = await s.createNewTrial(id);
      assert.equal(await s.setTrialStateValues(b.trialId, 'FAIL'), true);
      assert.equal((await s.getTrial(b.trialId)).values, null);
    });

    it('stores intermediate values exactly, including NaN and infinities; replaces a repeated step', async () => {
      const id = await s.createNewStudy(['minimize'], uniq('inter'));
      const { trialId } = await s.createNewTrial(id);
      const vals: [number, number][] = [[0, 0.1], [1, Number.NaN], [2, Infinity], [3, -Infinity], [10, -1e-300], [7, 1 / 3]];
      for (const [st, v] of vals) await s.setTrialIntermediateValue(trialId, st, v);
      await s.setTrialIntermediateValue(trialId, 0, 0.2);
      const t = await s.getTrial(trialId);
      assert.equal(t.intermediateValues.size, 6);
      assert.equal(t.intermediateValues.get(0), 0.2);
      assert.ok(Number.isNaN(t.intermediateValues.get(1)));
      assert.equal(t.intermediateValues.get(2), Infinity);
      assert.equal(t.intermediateValues.get(3), -Infinity);
      assert.equal(t.intermediateValues.get(10), -1e-300);
      assert.equal(t.intermediateValues.get(7), 1 / 3);
      await assert.rejects(s.setTrialIntermediateValue(trialId, -1, 0), StorageError);
      await assert.rejects(s.setTrialIntermediateValue(trialId, 1.5, 0), StorageError);
    });

    it('filters, counts and copies trials; picks the best COMPLETE trial', async () => {
      const id = await s.createNewStudy(['maximize'], uniq('best'));
      await assert.rejects(s.getBestTrial(id), NotFoundError);
      const plan: [string, number | null][] = [['COMPLETE', 1], ['PRUNED', 9], ['COMPLETE', 3], ['FAIL', null], ['RUNNING', null], ['COMPLETE', 3], ['COMPLETE', -2]];
      for (const [st, v] of plan) {
        const { trialId } = await s.createNewTrial(id);
        if (st !== 'RUNNING') await s.setTrialStateValues(trialId, st as 'COMPLETE', v === null ? null : [v]);
      }
      assert.equal(await s.getNTrials(id), 7);
      assert.equal(await s.getNTrials(id, { states: ['COMPLETE'] }), 4);
      assert.equal(await s.getNTrials(id, { states: ['PRUNED', 'FAIL'] }), 2);
      const all = await s.getAllTrials(id);
      assert.deepEqual(all.map((t) => t.number), [0, 1, 2, 3, 4, 5, 6]);
      assert.deepEqual(all.map((t) => t.state), plan.map((p) => p[0]));
      assert.deepEqual((await s.getAllTrials(id, { states: ['RUNNING', 'PRUNED'] })).map((t) => t.number), [1, 4]);
      const best = await s.getBestTrial(id);
      assert.equal(best.number, 2);
      assert.deepEqual(best.values, [3]);
      all[0].values = [100];
      all[0].userAttrs.x = 1;
      all[0].intermediateValues.set(5, 5);
      const again = await s.getTrial(all[0].trialId);
      assert.deepEqual(again.values, [1]);
      assert.deepEqual(again.userAttrs, {});
      assert.equal(again.intermediateValues.size, 0);
      const minId = await s.createNewStudy(['minimize'], uniq('best-min'));
      for (const v of [2, -1, 5]) {
        const { trialId } = await s.createNewTrial(minId);
        await s.setTrialStateValues(trialId, 'COMPLETE', [v]);
      }
      assert.equal((await s.getBestTrial(minId)).number, 1);
      const multi = await s.createNewStudy(['minimize', 'minimize'], uniq('best-multi'));
      const mt = await s.createNewTrial(multi);
      await s.setTrialStateValues(mt.trialId, 'COMPLETE', [1, 2]);
      await assert.rejects(s.getBestTrial(multi), StorageError);
    });

    it('creates trials from templates', async () => {
      const id = await s.createNewStudy(['minimize'], uniq('template'));
      const d = { lr: new FloatDistribution(1e-4, 1, { log: true }), opt: new CategoricalDistribution(['sgd', 'adam']) };
      const start = new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 678));
      const done = await s.createNewTrial(id, {
        state: 'COMPLETE', values: [0.5], params: { lr: 0.01, opt: 'adam' }, distributions: d,
        userAttrs: { u: 1 }, systemAttrs: { s: [true] }, intermediateValues: new Map([[0, 1], [3, Number.NaN]]),
        datetimeStart: start, datetimeComplete: new Date(start.getTime() + 1500),
      });
      const t = await s.getTrial(done.trialId);
      assert.equal(t.state, 'COMPLETE');
      assert.deepEqual(t.values, [0.5]);
      assert.deepEqual(t.params, { lr: 0.01, opt: 'adam' });
      assert.equal(t.distributions.opt.kind, 'categorical');
      assert.deepEqual(t.userAttrs, { u: 1 });
      assert.deepEqual(t.systemAttrs, { s: [true] });
      assert.equal(t.intermediateValues.get(0), 1);
      assert.ok(Number.isNaN(t.intermediateValues.get(3)));
      assert.equal(t.datetimeStart!.getTime(), start.getTime());
      assert.equal(t.datetimeComplete!.getTime(), start.getTime() + 1500);
      const w = await s.createNewTrial(id, { state: 'WAITING', systemAttrs: { fixed_params: { lr: 0.1 } } });
      const wt = await s.getTrial(w.trialId);
      assert.equal(wt.state, 'WAITING');
      assert.equal(wt.datetimeStart, null);
      assert.equal(w.number, 1);
      await assert.rejects(s.createNewTrial(id, { params: { lr: 0.1 } }), StorageError);
      await assert.rejects(s.createNewTrial(id, { params: { lr: 5 }, distributions: d }), StorageError);
    });

    it('pops WAITING trials atomically in number order', async () => {
      const id = await s.createNewStudy(['minimize'], uniq('waiting'));
      assert.equal(await s.popWaitingTrial(id), null);
      await s.createNewTrial(id);
      const waiting = [];
      for (let i = 0; i < 5; i++) waiting.push(await s.createNewTrial(id, { state: 'WAITING' }));
      const first = await s.popWaitingTrial(id);
      assert.equal(first, waiting[0].trialId);
      const ft = await s.getTrial(first!);
      assert.equal(ft.state, 'RUNNING');
      assert.ok(ft.datetimeStart instanceof Date);
      const got = await Promise.all(Array.from({ length: 8 }, () => s.popWaitingTrial(id)));
      const ids = got.filter((x): x is number => x !== null);
      assert.equal(ids.length, 4);
      assert.equal(new Set(ids).size, 4);
      assert.deepEqual([...ids].sort((a, b) => a - b), waiting.slice(1).map((w) => w.trialId).sort((a, b) => a - b));
      // claiming by state: only a WAITING trial can become RUNNING
      const w = await s.createNewTrial(id, { state: 'WAITING' });
      const claims = await Promise.all([s.setTrialStateValues(w.trialId, 'RUNNING'), s.setTrialStateValues(w.trialId, 'RUNNING')]);
      assert.deepEqual(claims.filter(Boolean).length, 1);
    });

    it('fails stale RUNNING trials by heartbeat, once', async () => {
      const id = await s.createNewStudy(['minimize'], uniq('heartbeat'));
      const stale = await s.createNewTrial(id);
      const fresh = await s.createNewTrial(id);
      const never = await s.createNewTrial(id);
      const done = await s.createNewTrial(id);
      await s.recordHeartbeat(stale.trialId);
      await s.recordHeartbeat(done.trialId);
      await s.setTrialStateValues(done.trialId, 'COMPLETE', [1]);
      await sleep(800);
      await s.recordHeartbeat(fresh.trialId);
      assert.deepEqual(await s.failStaleTrials(id, 60), []);
      // stale is >= 800 ms old, fresh a few ms: a 0.4 s grace leaves 400 ms of slack on both sides for loaded machines
      const results = await Promise.all([s.failStaleTrials(id, 0.4), s.failStaleTrials(id, 0.4)]);
      assert.deepEqual(results.flat(), [stale.number]);
      assert.equal((await s.getTrial(stale.trialId)).state, 'FAIL');
      assert.ok((await s.getTrial(stale.trialId)).datetimeComplete instanceof Date);
      assert.equal((await s.getTrial(fresh.trialId)).state, 'RUNNING');
      assert.equal((await s.getTrial(never.trialId)).state, 'RUNNING');
      assert.equal((await s.getTrial(done.trialId)).state, 'COMPLETE');
      await assert.rejects(s.recordHeartbeat(987654321), NotFoundError);
    });
  });
}
