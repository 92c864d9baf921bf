// `storage upgrade` underneath: the schema status is read without creating or changing anything; Optuna's head is
// up to date, an earlier tokcast database is upgraded (with its backup), an older Optuna revision or foreign tables are
// refused with one line naming what was found; on SQLite and on PostgreSQL.
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { openStorage } from '../../../src/tune/storage/url.ts';
import { schemaStatus, upgradeStorage } from '../../../src/tune/storage/upgrade.ts';
import { UserError } from '../../../src/util/errors.ts';
import { fixturePath } from '../../fixtures/data.ts';
import { LEGACY_POSTGRES_DDL } from '../../fixtures/storage/legacy-schema.ts';
import { PG_URL, dropSchema, skipWithoutPostgres, uniqueSchema } from '../../fixtures/storage/pg.ts';

const dir = mkdtempSync(join(tmpdir(), 'tokcast-upgrade-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const skipPg = await skipWithoutPostgres('storage upgrade on PostgreSQL');

describe('storage upgrade on SQLite', () => {
  it('an Optuna-written file is up to date and left untouched', async () => {
    const path = join(dir, 'optuna.db');
    copyFileSync(fixturePath('optuna-storage', 'optuna-4.9.sqlite'), path);
    const before = statSync(path).mtimeMs;
    assert.deepEqual(await schemaStatus(`sqlite:///${path}`), { kind: 'optuna', revision: 'v3.2.0.a' });
    assert.deepEqual(await upgradeStorage(`sqlite:///${path}`), { done: 'up-to-date' });
    assert.equal(statSync(path).mtimeMs, before);
  });

  it('an earlier tokcast file is backed up, then upgraded once', async () => {
    const path = join(dir, 'v1.db');
    copyFileSync(fixturePath('storage', 'v1.sqlite'), path);
    assert.deepEqual(await schemaStatus(path), { kind: 'legacy-tokcast' });
    const r = await upgradeStorage(path);
    assert.equal(r.done, 'upgraded');
    assert.ok(r.done === 'upgraded' && r.backup && existsSync(r.backup) && r.backup.startsWith(`${path}.bak-`));
    assert.deepEqual(await upgradeStorage(path), { done: 'up-to-date' });
    assert.equal(readdirSync(dir).filter((n) => n.startsWith('v1.db.bak-')).length, 1);
  });

  it('refuses an older Optuna revision and foreign tables; reports an empty file; creates no missing file', async () => {
    const old = join(dir, 'old.db');
    copyFileSync(fixturePath('optuna-storage', 'optuna-4.9.sqlite'), old);
    const db = new Database(old);
    db.prepare("UPDATE alembic_version SET version_num = 'v3.0.0.d'").run();
    db.close();
    await assert.rejects(upgradeStorage(old), (e: Error) => e instanceof UserError && /revision 'v3\.0\.0\.d'.*Optuna 4\.x's own `optuna storage upgrade`/.test(e.message));
    const foreign = join(dir, 'foreign.db');
    const f = new Database(foreign);
    f.exec('CREATE TABLE studies (id INTEGER)');
    f.close();
    await assert.rejects(upgradeStorage(foreign), /neither an Optuna nor a tokcast study database/);
    const empty = join(dir, 'empty.db');
    new Database(empty).close();
    assert.deepEqual(await upgradeStorage(empty), { done: 'empty' });
    await assert.rejects(upgradeStorage(join(dir, 'absent.db')), /no such SQLite file/);
    assert.ok(!existsSync(join(dir, 'absent.db')));
  });
});

describe('storage upgrade on PostgreSQL', { skip: skipPg }, () => {
  it('an earlier tokcast schema is upgraded (its tables kept in a backup schema), then up to date; a fresh one is empty', async () => {
    const schema = uniqueSchema('upgrade');
    const url = `${PG_URL}?schema=${schema}`;
    const c = new pg.Client({ connectionString: PG_URL, options: `-c search_path=${schema}` });
    const backups = async () => new Set((await c.query<{ n: string }>("SELECT nspname AS n FROM pg_namespace WHERE nspname LIKE 'tokcast_backup_%'")).rows.map((r) => r.n));
    await c.connect();
    let made: string[] = [];
    try {
      await c.query(`CREATE SCHEMA ${schema}`);
      assert.deepEqual(await upgradeStorage(url), { done: 'empty' });
      for (const sql of LEGACY_POSTGRES_DDL) await c.query(sql);
      await c.query("INSERT INTO studies (study_name) VALUES ('old-study')");
      await c.query("INSERT INTO study_directions (study_id, objective, direction) VALUES (1, 0, 'MINIMIZE')");
      assert.deepEqual(await schemaStatus(url), { kind: 'legacy-tokcast' });
      const before = await backups();
      const r = await upgradeStorage(url);
      made = [...(await backups())].filter((b) => !before.has(b));
      assert.equal(made.length, 1, 'one backup schema');
      assert.deepEqual(r, { done: 'upgraded', backup: `schema ${made[0]}` });
      assert.deepEqual(await upgradeStorage(url), { done: 'up-to-date' });
      const s = await openStorage(url);
      try {
        assert.deepEqual((await s.getAllStudies()).map((x) => x.studyName), ['old-study']);
      } finally {
        await s.close();
      }
    } finally {
      await c.end();
      await dropSchema(schema);
      for (const b of made) await dropSchema(b);
    }
  });
});
