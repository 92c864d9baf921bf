// Schema migrations on PostgreSQL: a v1 schema with data upgrades in place; concurrent openers apply each step once.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CategoricalDistribution } from '../../../src/tune/distributions.ts';
import { PostgresStorage } from '../../../src/tune/storage/postgres/storage.ts';
import { postgresMigrations } from '../../../src/tune/storage/postgres/migrations/index.ts';
import { PG_URL, dropSchema, skipWithoutPostgres, uniqueSchema } from '../../fixtures/storage/pg.ts';

const skip = await skipWithoutPostgres('PostgreSQL migration tests');

describe('postgres migrations', { skip }, () => {
  it('upgrades a v1 schema with data to the latest version', async () => {
    const schema = uniqueSchema('migr');
    try {
      const old = await PostgresStorage.open(PG_URL, { schema, targetVersion: 1 });
      const id = await old.createNewStudy(['maximize'], 'legacy');
      const d = { c: new CategoricalDistribution(['x', 'y']) };
      await old.createNewTrial(id, { state: 'COMPLETE', values: [2], params: { c: 'y' }, distributions: d });
      const running = await old.createNewTrial(id);
      const v = await old.pool.query('SELECT version FROM schema_migrations ORDER BY version');
      assert.deepEqual(v.rows.map((r) => r.version), [1]);
      const hb = await old.pool.query("SELECT to_regclass('trial_heartbeats') AS t");
      assert.equal(hb.rows[0].t, null);
      await old.close();

      const s = await PostgresStorage.open(PG_URL, { schema });
      const v2 = await s.pool.query('SELECT version FROM schema_migrations ORDER BY version');
      assert.deepEqual(v2.rows.map((r) => r.version), postgresMigrations.map((m) => m.version));
      const trials = await s.getAllTrials(id);
      assert.deepEqual(trials.map((t) => [t.number, t.state, t.params.c ?? null]), [[0, 'COMPLETE', 'y'], [1, 'RUNNING', null]]);
      await s.recordHeartbeat(running.trialId);
      assert.deepEqual(await s.failStaleTrials(id, 3600), []);
      await s.close();
    } finally {
      await dropSchema(schema);
    }
  });

  it('several concurrent openers of an empty schema migrate it exactly once', async () => {
    const schema = uniqueSchema('migrrace');
    try {
      const all = await Promise.all(Array.from({ length: 4 }, () => PostgresStorage.open(PG_URL, { schema })));
      const v = await all[0].pool.query('SELECT version FROM schema_migrations ORDER BY version');
      assert.deepEqual(v.rows.map((r) => r.version), postgresMigrations.map((m) => m.version));
      for (const s of all) await s.close();
    } finally {
      await dropSchema(schema);
    }
  });

  it('fails fast with a clear message when no server answers', async () => {
    const t0 = Date.now();
    await assert.rejects(PostgresStorage.open('postgresql://postgres@127.0.0.1:1/test', { connectTimeoutMs: 2000 }), /ECONNREFUSED|timeout|connect/i);
    assert.ok(Date.now() - t0 < 5000);
  });
});
