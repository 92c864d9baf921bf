// The study snapshot cache: after each write the snapshot equals a full read of the storage, whether the change was
// a new trial, a running trial's report, its completion, or a finished trial that is reused as it was.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteStorage } from '../../src/tune/storage/sqlite/storage.ts';
import { openDashboardStorage, type DashboardStorage } from '../../src/dashboard/storage.ts';
import { StudyCache } from '../../src/dashboard/study-cache.ts';
import { SPACE, seedStudies, type Seeded } from './seed.ts';

describe('dashboard study cache', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tokcast-cache-'));
  const path = join(dir, 'studies.db');
  let writer: SqliteStorage;
  let ds: DashboardStorage;
  let seeded: Seeded;
  let cache: StudyCache;
  before(async () => {
    writer = SqliteStorage.open(path);
    seeded = await seedStudies(writer);
    ds = await openDashboardStorage(path);
    cache = new StudyCache(ds);
  });
  after(async () => {
    await ds?.close();
    await writer?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const same = async () => assert.deepEqual((await cache.snapshot(seeded.min)).trials, await writer.getAllTrials(seeded.min));

  it('gives the same trials as a full read after every kind of write', async () => {
    await same();
    const first = await cache.snapshot(seeded.min);
    const { trialId } = await writer.createNewTrial(seeded.min);
    await same();
    await writer.setTrialParam(trialId, 'lr', 0.01, SPACE.lr);
    await writer.setTrialIntermediateValue(trialId, 0, 0.8);
    await same();
    await writer.setTrialIntermediateValue(seeded.runningTrialId, 2, 0.5);
    await writer.setTrialUserAttr(seeded.runningTrialId, 'note', 'still going');
    await same();
    await writer.setTrialStateValues(seeded.runningTrialId, 'PRUNED');
    await writer.setTrialStateValues(trialId, 'COMPLETE', [0.3]);
    await same();
    await writer.createNewTrial(seeded.min, { state: 'FAIL' });
    const last = await cache.snapshot(seeded.min);
    assert.deepEqual(last.trials, await writer.getAllTrials(seeded.min));
    // finished trials are the very objects of the earlier snapshot: they were not read again
    for (const t of first.trials.filter((x) => x.state !== 'RUNNING' && x.state !== 'WAITING')) {
      assert.ok(last.trials.includes(t), `trial ${t.number} was read again`);
    }
  });

  it('reads the whole study again when a trial disappeared, even if another took its place', async () => {
    const id = await writer.createNewStudy(['minimize'], 'edited-by-hand');
    for (let i = 0; i < 3; i++) await writer.createNewTrial(id, { state: 'COMPLETE', values: [i] });
    assert.equal((await cache.snapshot(id)).trials.length, 3);
    const db = new Database(path);
    const victim = (await writer.getAllTrials(id))[1].trialId;
    for (const t of ['trial_values', 'trial_params', 'trial_intermediate_values', 'trial_user_attributes', 'trial_system_attributes', 'trial_heartbeats', 'trials']) {
      db.prepare(`DELETE FROM ${t} WHERE trial_id = ?`).run(victim);
    }
    db.close();
    await writer.createNewTrial(id, { state: 'COMPLETE', values: [9] });
    const snap = await cache.snapshot(id);
    assert.deepEqual(snap.trials, await writer.getAllTrials(id));
    assert.ok(!snap.trials.some((t) => t.trialId === victim));
  });

  it('keeps a slow view computed for an earlier snapshot only when asked to, and only for that long', async () => {
    const count = (snap: { trials: unknown[] }) => snap.trials.length;
    const a = await cache.derived(seeded.max, 'count', count, { reuseForMs: 60_000 });
    const b = await cache.derived(seeded.max, 'plain', count);
    await writer.createNewTrial(seeded.max, { state: 'FAIL' });
    assert.equal((await cache.derived(seeded.max, 'count', count, { reuseForMs: 60_000 })).value, a.value);
    assert.equal((await cache.derived(seeded.max, 'plain', count)).value, b.value + 1);
    await writer.createNewTrial(seeded.max, { state: 'FAIL' });
    assert.equal((await cache.derived(seeded.max, 'count', count, { reuseForMs: 0 })).value, a.value + 2);
  });
});
