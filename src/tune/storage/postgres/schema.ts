// Connects to PostgreSQL (pg.Pool, fail-fast connect timeout, optional schema) and brings the schema up to date.
// Migrations run in one transaction under an advisory lock so concurrent workers apply each step exactly once.
import pg from 'pg';
import { pendingMigrations, type AppliedMigration, type Migration } from '../migrate.ts';
import { postgresMigrations } from './migrations/index.ts';

/** Options for connecting to a PostgreSQL study database. */
export interface PostgresOpenOptions {
  /** Schema (namespace) holding the tables; created if missing. @default the server's search_path (usually public) */
  schema?: string;
  /** Give up connecting after this long so a dead server fails fast instead of hanging. @default 5000 */
  connectTimeoutMs?: number;
  /** Pool size; a worker process needs very few connections. @default 4 */
  maxConnections?: number;
  /** Apply migrations only up to this version (tests build old-schema databases with it). @default latest */
  targetVersion?: number;
  migrations?: readonly Migration[];
}

const MIGRATION_LOCK_KEY = 0x746f6b63; // 'tokc'

/** Validates a schema name (used unquoted in SQL, so only plain identifiers). */
export function checkSchemaName(schema: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`invalid PostgreSQL schema name '${schema}': use lowercase letters, digits and _`);
  return schema;
}

/** Creates a pool for `url`, checks that the server answers and migrates the schema. */
export async function openPostgresPool(url: string, options: PostgresOpenOptions = {}): Promise<pg.Pool> {
  const schema = options.schema === undefined ? undefined : checkSchemaName(options.schema);
  const pool = new pg.Pool({
    connectionString: url,
    max: options.maxConnections ?? 4,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5000,
    options: schema ? `-c search_path=${schema}` : undefined,
  });
  pool.on('error', () => { /* an idle client lost its connection; the next query reconnects */ });
  try {
    await migratePostgres(pool, options.migrations ?? postgresMigrations, options.targetVersion, schema);
  } catch (e) {
    await pool.end().catch(() => undefined);
    throw e;
  }
  return pool;
}

/** Applies pending migrations (up to `targetVersion`); returns the versions it applied. */
export async function migratePostgres(pool: pg.Pool, migrations: readonly Migration[] = postgresMigrations, targetVersion = migrations.length, schema?: string): Promise<number[]> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    if (schema) await client.query(`CREATE SCHEMA IF NOT EXISTS ${checkSchemaName(schema)}`);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())`);
    const applied = (await client.query<AppliedMigration>('SELECT version, name FROM schema_migrations ORDER BY version')).rows;
    const todo = pendingMigrations(migrations, applied, 'postgresql').filter((m) => m.version <= targetVersion);
    for (const m of todo) {
      for (const sql of m.statements) await client.query(sql);
      await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
    }
    await client.query('COMMIT');
    return todo.map((m) => m.version);
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  } finally {
    client.release();
  }
}
