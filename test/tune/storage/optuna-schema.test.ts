// The schema tokcast creates is Optuna 4.9's (compared with the dumps Optuna itself produced), and a database written by
// Optuna 4.9 reads back through tokcast exactly as Optuna reads it (test/fixtures/optuna-storage, listed in test/fixtures/README.md).
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { SqliteStorage } from '../../../src/tune/storage/sqlite/storage.ts';
import { PostgresStorage } from '../../../src/tune/storage/postgres/storage.ts';
import { distributionJsonText } from '../../../src/tune/storage/sql/codec.ts';
import { isoformatNaive } from '../../../src/tune/utc-datetime.ts';
import { paretoFront } from '../../../src/tune/pareto.ts';
import type { Storage } from '../../../src/tune/storage/storage.ts';
import { PG_URL, dropSchema, skipWithoutPostgres, uniqueSchema } from '../../fixtures/storage/pg.ts';

const fixture = (name: string) => new URL(`../../fixtures/optuna-storage/${name}`, import.meta.url).pathname;
const skipPg = await skipWithoutPostgres('Optuna schema tests on PostgreSQL');
const dir = mkdtempSync(join(tmpdir(), 'tokcast-optuna-schema-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** sqlite_master as the dump lists it: every table and index DDL, sorted. */
function sqliteDump(path: string): string[] {
  const db = new Database(path, { readonly: true });
  try {
    const rows = db.prepare("SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' ORDER BY sql").all() as { sql: string }[];
    return rows.map((r) => `${r.sql};`);
  } finally {
    db.close();
  }
}

/** The fixture dump split into statements. */
function dumpStatements(text: string): string[] {
  return text.split(/;\n/).map((s) => s.trim()).filter(Boolean).map((s) => (s.endsWith(';') ? s : `${s};`)).sort();
}

/** The PostgreSQL dump's lines (columns, indexes, constraints) for the current schema, in the fixture's format. */
async function postgresDump(schema: string): Promise<string[]> {
  const c = new pg.Client({ connectionString: PG_URL, options: `-c search_path=${schema}` });
  await c.connect();
  try {
    const cols = await c.query(`SELECT table_name, column_name, data_type, is_nullable, COALESCE(character_maximum_length, 0) AS len
      FROM information_schema.columns WHERE table_schema = $1 ORDER BY table_name, ordinal_position`, [schema]);
    const idx = await c.query('SELECT indexdef FROM pg_indexes WHERE schemaname = $1 ORDER BY indexname', [schema]);
    const cons = await c.query(`SELECT conrelid::regclass::text AS t, conname, pg_get_constraintdef(oid) AS def FROM pg_constraint
      WHERE connamespace = $1::regnamespace ORDER BY conrelid::regclass::text, conname`, [schema]);
    return [
      ...cols.rows.map((r) => `${r.table_name} ${r.column_name} ${r.data_type} ${r.is_nullable} ${r.len}`),
      ...idx.rows.map((r) => `${String(r.indexdef).replace(` ON ${schema}.`, ' ON public.')};`),
      ...cons.rows.map((r) => `${r.t} ${r.conname} ${r.def}`),
    ];
  } finally {
    await c.end();
  }
}

async function enumLabels(schema: string): Promise<Record<string, string[]>> {
  const c = new pg.Client({ connectionString: PG_URL });
  await c.connect();
  try {
    const r = await c.query(`SELECT t.typname, e.enumlabel FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid
      WHERE t.typnamespace = $1::regnamespace ORDER BY t.typname, e.enumsortorder`, [schema]);
    const out: Record<string, string[]> = {};
    for (const row of r.rows) (out[row.typname] ??= []).push(row.enumlabel);
    return out;
  } finally {
    await c.end();
  }
}

describe('optuna 4.9 schema', () => {
  it('a new SQLite file holds exactly the tables and indexes Optuna 4.9 creates', async () => {
    const path = join(dir, 'fresh.db');
    const s = SqliteStorage.open(path);
    await s.close();
    assert.deepEqual(sqliteDump(path), dumpStatements(readFileSync(fixture('schema-sqlite.sql'), 'utf8')));
    const db = new Database(path, { readonly: true });
    assert.deepEqual(db.prepare('SELECT version_num FROM alembic_version').all(), [{ version_num: 'v3.2.0.a' }]);
    assert.deepEqual(db.prepare('SELECT * FROM version_info').all(), [{ version_info_id: 1, schema_version: 12, library_version: '4.9.0' }]);
    db.close();
  });

  it('stores values the way Optuna does: numbered rows, naive UTC datetimes, choice indexes, infinities as NULL + type', async () => {
    const path = join(dir, 'encodings.db');
    const s = SqliteStorage.open(path);
    const { CategoricalDistribution, FloatDistribution } = await import('../../../src/tune/distributions.ts');
    const id = await s.createNewStudy(['maximize'], 'enc');
    const d = { c: new CategoricalDistribution(['a', null, 3]), x: new FloatDistribution(0, 1) };
    await s.createNewTrial(id, { state: 'COMPLETE', values: [Infinity], params: { c: 3, x: 0.5 }, distributions: d });
    const t = await s.createNewTrial(id);
    await s.setTrialIntermediateValue(t.trialId, 0, NaN);
    await s.close();
    const db = new Database(path, { readonly: true });
    const trials = db.prepare('SELECT number, state, datetime_start, datetime_complete FROM trials ORDER BY trial_id').all() as Record<string, unknown>[];
    assert.deepEqual(trials.map((r) => [r.number, r.state]), [[0, 'COMPLETE'], [1, 'RUNNING']]);
    assert.match(String(trials[0].datetime_start), /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}$/);
    assert.deepEqual(db.prepare('SELECT param_name, param_value, distribution_json FROM trial_params ORDER BY param_name').all(), [
      { param_name: 'c', param_value: 2, distribution_json: '{"name": "CategoricalDistribution", "attributes": {"choices": ["a", null, 3]}}' },
      { param_name: 'x', param_value: 0.5, distribution_json: '{"name": "FloatDistribution", "attributes": {"step": null, "low": 0.0, "high": 1.0, "log": false}}' },
    ]);
    assert.deepEqual(db.prepare('SELECT value, value_type FROM trial_values').all(), [{ value: null, value_type: 'INF_POS' }]);
    assert.deepEqual(db.prepare('SELECT intermediate_value, intermediate_value_type FROM trial_intermediate_values').all(), [{ intermediate_value: null, intermediate_value_type: 'NAN' }]);
    assert.deepEqual(db.prepare("SELECT direction FROM study_directions").all(), [{ direction: 'MAXIMIZE' }]);
    db.close();
  });

  it('reads the Optuna-written database exactly as Optuna reads it back', async () => {
    const path = join(dir, 'optuna.db');
    copyFileSync(fixture('optuna-4.9.sqlite'), path);
    const s = SqliteStorage.open(path);
    try {
      const expected = JSON.parse(readFileSync(fixture('optuna-4.9.sqlite.json'), 'utf8')) as { studies: unknown[] };
      assert.deepEqual(await readBack(s), expected.studies);
    } finally {
      await s.close();
    }
  });

  it('opening the Optuna-written database changes nothing in it', async () => {
    const path = join(dir, 'untouched.db');
    copyFileSync(fixture('optuna-4.9.sqlite'), path);
    const before = sqliteDump(path);
    await SqliteStorage.open(path).close();
    assert.deepEqual(sqliteDump(path), before);
  });
});

/** What the fixture's read-back JSON holds, computed through a tokcast Storage. */
export async function readBack(s: Storage): Promise<unknown[]> {
  const json = (v: number) => (Number.isFinite(v) ? v : v > 0 ? 'Infinity' : '-Infinity');
  const out: unknown[] = [];
  for (const st of await s.getAllStudies()) {
    const trials = await s.getAllTrials(st.studyId);
    const multi = st.directions.length > 1;
    out.push({
      study_name: st.studyName,
      directions: st.directions.map((d) => d.toUpperCase()),
      user_attrs: st.userAttrs,
      system_attrs: st.systemAttrs,
      best_trial_number: multi ? null : (await s.getBestTrial(st.studyId)).number,
      best_trials: multi ? paretoFront(trials, st.directions).map((t) => t.number) : null,
      trials: trials.map((t) => ({
        number: t.number,
        state: t.state,
        values: t.values ? t.values.map(json) : null,
        params: t.params,
        distributions: Object.fromEntries(Object.entries(t.distributions).map(([k, d]) => [k, distributionJsonText(d)])),
        intermediate_values: Object.fromEntries([...t.intermediateValues].map(([k, v]) => [String(k), json(v)])),
        user_attrs: t.userAttrs,
        system_attrs: t.systemAttrs,
        datetime_start: t.datetimeStart ? isoformatNaive(t.datetimeStart) : null,
        datetime_complete: t.datetimeComplete ? isoformatNaive(t.datetimeComplete) : null,
      })),
    });
  }
  return out;
}


describe('optuna 4.9 schema on postgresql', { skip: skipPg }, () => {
  it('a new schema holds exactly the columns, indexes, constraints and enums Optuna 4.9 creates', async () => {
    const schema = uniqueSchema('optschema');
    try {
      const s = await PostgresStorage.open(PG_URL, { schema });
      const rows = await s.pool.query('SELECT version_num FROM alembic_version');
      assert.deepEqual(rows.rows, [{ version_num: 'v3.2.0.a' }]);
      const vi = await s.pool.query('SELECT version_info_id, schema_version, library_version FROM version_info');
      assert.deepEqual(vi.rows, [{ version_info_id: 1, schema_version: 12, library_version: '4.9.0' }]);
      await s.close();
      const want = readFileSync(fixture('schema-postgresql.sql'), 'utf8').split('\n').filter((l) => l.trim() && !l.startsWith('--'));
      assert.deepEqual(await postgresDump(schema), want);
      assert.deepEqual(await enumLabels(schema), {
        studydirection: ['NOT_SET', 'MINIMIZE', 'MAXIMIZE'],
        trialintermediatevaluetype: ['FINITE', 'INF_POS', 'INF_NEG', 'NAN'],
        trialstate: ['RUNNING', 'COMPLETE', 'PRUNED', 'FAIL', 'WAITING'],
        trialvaluetype: ['FINITE', 'INF_POS', 'INF_NEG'],
      });
    } finally {
      await dropSchema(schema);
    }
  });

  it('a study copied from the Optuna-written file reads back the same on PostgreSQL', async () => {
    const schema = uniqueSchema('optread');
    const path = join(dir, 'src.db');
    copyFileSync(fixture('optuna-4.9.sqlite'), path);
    const src = SqliteStorage.open(path);
    const dst = await PostgresStorage.open(PG_URL, { schema });
    try {
      for (const st of await src.getAllStudies()) {
        const id = await dst.createNewStudy(st.directions, st.studyName);
        for (const [k, v] of Object.entries(st.userAttrs)) await dst.setStudyUserAttr(id, k, v);
        for (const [k, v] of Object.entries(st.systemAttrs)) await dst.setStudySystemAttr(id, k, v);
        for (const t of await src.getAllTrials(st.studyId)) {
          await dst.createNewTrial(id, { state: t.state, values: t.values, params: t.params, distributions: t.distributions, userAttrs: t.userAttrs,
            systemAttrs: t.systemAttrs, intermediateValues: t.intermediateValues, datetimeStart: t.datetimeStart, datetimeComplete: t.datetimeComplete });
        }
      }
      const expected = JSON.parse(readFileSync(fixture('optuna-4.9.sqlite.json'), 'utf8')) as { studies: unknown[] };
      assert.deepEqual(await readBack(dst), expected.studies);
    } finally {
      await src.close();
      await dst.close();
      await dropSchema(schema);
    }
  });
});
