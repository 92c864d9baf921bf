// Schema migrations on SQLite: upgrading the committed v1 fixture keeps its data, fresh files get every version once,
// and a database newer than the code is refused.
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteStorage } from '../../../src/tune/storage/sqlite/storage.ts';
import { appliedSqliteVersions, migrateSqlite, openSqliteDb } from '../../../src/tune/storage/sqlite/schema.ts';
import { sqliteMigrations } from '../../../src/tune/storage/sqlite/migrations/index.ts';
import { pendingMigrations, validateMigrations } from '../../../src/tune/storage/migrate.ts';

const dir = mkdtempSync(join(tmpdir(), 'tokcast-migr-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const tables = (db: Database.Database) => (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((r) => r.name);

describe('sqlite migrations', () => {
  it('the committed v1 fixture really is schema v1', () => {
    const db = new Database(new URL('../../fixtures/storage/v1.sqlite', import.meta.url).pathname, { readonly: true });
    assert.deepEqual(appliedSqliteVersions(db), [1]);
    assert.ok(!tables(db).includes('trial_heartbeats'));
    db.close();
  });

  it('upgrades the v1 fixture to the latest schema and keeps every study and trial', async () => {
    const path = join(dir, 'upgrade.db');
    copyFileSync(new URL('../../fixtures/storage/v1.sqlite', import.meta.url).pathname, path);
    const s = SqliteStorage.open(path);
    assert.deepEqual(appliedSqliteVersions(s.db), sqliteMigrations.map((m) => m.version));
    assert.ok(tables(s.db).includes('trial_heartbeats'));
    const id = await s.getStudyIdFromName('legacy-study');
    assert.deepEqual(await s.getStudyDirections(id), ['minimize']);
    assert.deepEqual(await s.getStudyUserAttrs(id), { owner: 'fixture' });
    const trials = await s.getAllTrials(id);
    assert.deepEqual(trials.map((t) => [t.number, t.state]), [[0, 'COMPLETE'], [1, 'PRUNED'], [2, 'RUNNING']]);
    assert.deepEqual(trials[0].params, { lr: 0.01, opt: 'adam' });
    assert.deepEqual([...trials[0].intermediateValues], [[0, 1.5], [1, 0.75]]);
    assert.equal(trials[0].datetimeComplete!.getTime() - trials[0].datetimeStart!.getTime(), 60000);
    assert.equal((await s.getBestTrial(id)).number, 0);
    // the upgraded database works with v2 features and keeps numbering densely
    await s.recordHeartbeat(trials[2].trialId);
    assert.equal((await s.createNewTrial(id)).number, 3);
    await s.close();
    // reopening applies nothing
    const db = openSqliteDb(path);
    assert.deepEqual(migrateSqlite(db), []);
    db.close();
  });

  it('applies each step once on a fresh file, also step by step', () => {
    const path = join(dir, 'steps.db');
    const db = openSqliteDb(path, { targetVersion: 1 });
    assert.deepEqual(appliedSqliteVersions(db), [1]);
    assert.deepEqual(migrateSqlite(db), [2]);
    assert.deepEqual(migrateSqlite(db), []);
    db.close();
  });

  it('refuses a database newer than this code, or one whose history disagrees', () => {
    const path = join(dir, 'newer.db');
    const db = openSqliteDb(path);
    db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(sqliteMigrations.length + 1, 'future', 'x');
    db.close();
    assert.throws(() => SqliteStorage.open(path), /only knows versions up to/);
    assert.throws(() => pendingMigrations(sqliteMigrations, [{ version: 1, name: 'other' }], 'x'), /calls it 'initial'/);
    assert.throws(() => validateMigrations([{ version: 2, name: 'a', statements: [] }]), /out of order/);
  });

  it('uses WAL and a busy timeout on files', () => {
    const db = openSqliteDb(join(dir, 'wal.db'), { busyTimeoutMs: 1234 });
    assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
    assert.equal(db.pragma('busy_timeout', { simple: true }), 1234);
    assert.equal(db.pragma('foreign_keys', { simple: true }), 1);
    db.close();
  });
});
