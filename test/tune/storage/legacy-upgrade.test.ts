// Databases made by earlier tokcast releases move into Optuna 4.9's schema on first open: a backup copy first
// (`<file>.bak-<time>` for SQLite, a `tokcast_backup_<time>` schema on PostgreSQL), then every study and trial kept.
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { SqliteStorage } from '../../../src/tune/storage/sqlite/storage.ts';
import { PostgresStorage } from '../../../src/tune/storage/postgres/storage.ts';
import { CategoricalDistribution } from '../../../src/tune/distributions.ts';
import { LEGACY_POSTGRES_DDL } from '../../fixtures/storage/legacy-schema.ts';
import { PG_URL, dropSchema, skipWithoutPostgres, uniqueSchema } from '../../fixtures/storage/pg.ts';

const skipPg = await skipWithoutPostgres('legacy-schema upgrade on PostgreSQL');
const dir = mkdtempSync(join(tmpdir(), 'tokcast-legacy-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const v1 = new URL('../../fixtures/storage/v1.sqlite', import.meta.url).pathname;
const tables = (db: Database.Database) => (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[]).map((r) => r.name);

describe('upgrading an earlier tokcast SQLite database', () => {
  it('the committed fixture really is the earlier schema', () => {
    const db = new Database(v1, { readonly: true });
    assert.ok(tables(db).includes('schema_migrations'));
    assert.ok(!tables(db).includes('alembic_version'));
    db.close();
  });

  it('writes a backup next to the file, then keeps every study, trial, param, value and attr in Optuna\'s schema', async () => {
    const sub = mkdtempSync(join(dir, 'up-'));
    const path = join(sub, 'studies.db');
    copyFileSync(v1, path);
    const original = readFileSync(path);
    const s = SqliteStorage.open(path);
    try {
      const backups = readdirSync(sub).filter((f) => /^studies\.db\.bak-\d{8}T\d{6}Z$/.test(f));
      assert.equal(backups.length, 1, `one backup expected, got ${readdirSync(sub).join(', ')}`);
      const b = new Database(join(sub, backups[0]), { readonly: true });
      assert.ok(tables(b).includes('schema_migrations'), 'the backup holds the earlier schema');
      assert.equal((b.prepare('SELECT COUNT(*) AS n FROM trials').get() as { n: number }).n, 3);
      b.close();
      assert.ok(original.length > 0);

      assert.ok(!tables(s.db).includes('schema_migrations'));
      assert.deepEqual(s.db.prepare('SELECT version_num FROM alembic_version').all(), [{ version_num: 'v3.2.0.a' }]);
      const [study] = await s.getAllStudies();
      assert.equal(study.studyName, 'legacy-study');
      assert.deepEqual(study.userAttrs, { owner: 'fixture' });
      const trials = await s.getAllTrials(study.studyId);
      assert.deepEqual(trials.map((t) => [t.number, t.state, t.values, t.params]), [
        [0, 'COMPLETE', [0.75], { lr: 0.01, opt: 'adam' }],
        [1, 'PRUNED', [2.5], { lr: 0.5, opt: 'sgd' }],
        [2, 'RUNNING', null, {}],
      ]);
      assert.equal(trials[0].datetimeStart?.toISOString(), '2025-01-01T12:00:00.000Z');
      assert.equal(trials[0].durationSeconds, 60);
      assert.deepEqual([...trials[0].intermediateValues], [[0, 1.5], [1, 0.75]]);
      assert.equal(s.db.prepare('SELECT datetime_start FROM trials WHERE number = 0').pluck().get(), '2025-01-01 12:00:00.000000');
      // new trials continue the numbering and the file keeps working
      const t = await s.createNewTrial(study.studyId);
      assert.equal(t.number, 3);
    } finally {
      await s.close();
    }
    const again = SqliteStorage.open(path);
    await again.close();
    assert.equal(readdirSync(sub).filter((f) => f.includes('.bak-')).length, 1, 'a second open makes no second backup');
  });
});

describe('upgrading an earlier tokcast PostgreSQL schema', { skip: skipPg }, () => {
  it('moves the old tables into a backup schema and copies everything into Optuna\'s tables', async () => {
    const schema = uniqueSchema('legacy');
    const c = new pg.Client({ connectionString: PG_URL, options: `-c search_path=${schema}` });
    await c.connect();
    let backup: string | undefined;
    try {
      await c.query(`CREATE SCHEMA ${schema}`);
      for (const sql of LEGACY_POSTGRES_DDL) await c.query(sql);
      await c.query("INSERT INTO studies (study_name) VALUES ('old')");
      await c.query("INSERT INTO study_directions (study_id, objective, direction) VALUES (1, 0, 'MAXIMIZE')");
      await c.query("INSERT INTO trials (number, study_id, state, datetime_start, datetime_complete) VALUES (0, 1, 'COMPLETE', '2025-01-01T12:00:00Z', '2025-01-01T12:01:00Z'), (1, 1, 'RUNNING', '2025-01-01T12:02:00Z', NULL)");
      await c.query(`INSERT INTO trial_params (trial_id, param_name, param_value, distribution_json) VALUES (1, 'c', 1, '{"name":"CategoricalDistribution","attributes":{"choices":["x","y"]}}')`);
      await c.query("INSERT INTO trial_values (trial_id, objective, value, value_type) VALUES (1, 0, NULL, 'INF_POS')");
      await c.query("INSERT INTO trial_heartbeats (trial_id, heartbeat) VALUES (2, '2025-01-01T12:02:30Z')");

      const s = await PostgresStorage.open(PG_URL, { schema });
      try {
        const id = await s.getStudyIdFromName('old');
        assert.deepEqual(await s.getStudyDirections(id), ['maximize']);
        const trials = await s.getAllTrials(id);
        assert.deepEqual(trials.map((t) => [t.number, t.state, t.values, t.params]), [[0, 'COMPLETE', [Infinity], { c: 'y' }], [1, 'RUNNING', null, {}]]);
        assert.equal(trials[0].datetimeStart?.toISOString(), '2025-01-01T12:00:00.000Z');
        const next = await s.createNewTrial(id, { state: 'COMPLETE', values: [1], params: { c: 'x' }, distributions: { c: new CategoricalDistribution(['x', 'y']) } });
        assert.equal(next.number, 2);
        assert.ok(next.trialId > 2, 'the id sequences moved past the copied ids');
        assert.deepEqual(await s.failStaleTrials(id, 60), [1], 'the copied heartbeat still fails its stale trial');
      } finally {
        await s.close();
      }
      const b = await c.query<{ nspname: string }>("SELECT nspname FROM pg_namespace WHERE nspname LIKE 'tokcast_backup_%' ORDER BY nspname DESC LIMIT 1");
      backup = b.rows[0]?.nspname;
      assert.ok(backup, 'a backup schema exists');
      const old = await c.query(`SELECT number, state FROM ${backup}.trials ORDER BY number`);
      assert.deepEqual(old.rows, [{ number: 0, state: 'COMPLETE' }, { number: 1, state: 'RUNNING' }]);
    } finally {
      await c.end();
      await dropSchema(schema);
      if (backup) await dropSchema(backup);
    }
  });
});
