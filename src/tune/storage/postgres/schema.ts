// Connects to PostgreSQL (pg.Pool, fail-fast connect timeout, optional schema) holding Optuna 4.9's exact schema: an empty
// schema gets Optuna's enums, tables and version rows; one from an earlier tokcast is moved, tables and all, into a backup
// schema `tokcast_backup_<time>` and copied into Optuna's tables. Both run under an advisory lock, once across workers.
import pg from 'pg';
import { UserError } from '../../../util/errors.ts';
import { ALEMBIC_VERSION, POSTGRES_DDL, VERSION_ROWS } from '../optuna-schema.ts';
import { LEGACY_COPIES } from '../legacy-upgrade.ts';

/** Options for connecting to a PostgreSQL study database. */
export interface PostgresOpenOptions {
  /** Schema (namespace) holding the tables; created if missing. @default the server's search_path (usually public) */
  schema?: string;
  /** Give up connecting after this long so a dead server fails fast instead of hanging. @default 5000 */
  connectTimeoutMs?: number;
  /** Pool size; a worker process needs very few connections. @default 4 */
  maxConnections?: number;
}

const SCHEMA_LOCK_KEY = 0x746f6b63; // 'tokc'
const TIMESTAMP_OID = 1114; // timestamp without time zone: keep the text, parsed as UTC by the storage

/** Validates a schema name (used unquoted in SQL, so only plain identifiers). */
export function checkSchemaName(schema: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`invalid PostgreSQL schema name '${schema}': use lowercase letters, digits and _`);
  return schema;
}

const types = {
  getTypeParser: ((oid: number, format?: string) => (oid === TIMESTAMP_OID ? (s: string) => s : pg.types.getTypeParser(oid, format as 'text'))) as typeof pg.types.getTypeParser,
};

/** Creates a pool for `url`, checks that the server answers and makes sure the schema is Optuna's. */
export async function openPostgresPool(url: string, options: PostgresOpenOptions = {}): Promise<pg.Pool> {
  const schema = options.schema === undefined ? undefined : checkSchemaName(options.schema);
  const pool = new pg.Pool({
    connectionString: url,
    max: options.maxConnections ?? 4,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5000,
    options: schema ? `-c search_path=${schema}` : undefined,
    types,
  });
  pool.on('error', () => { /* an idle client lost its connection; the next query reconnects */ });
  try {
    await ensureOptunaSchemaPostgres(pool, schema);
  } catch (e) {
    await pool.end().catch(() => undefined);
    throw e;
  }
  return pool;
}

type Kind = 'empty' | 'optuna' | 'legacy-tokcast' | 'unknown';

async function schemaKind(q: pg.PoolClient): Promise<Kind> {
  const r = await q.query<{ t: string }>(
    "SELECT table_name AS t FROM information_schema.tables WHERE table_schema = current_schema() AND table_name IN ('alembic_version', 'schema_migrations', 'studies', 'trials')");
  const t = new Set(r.rows.map((x) => x.t));
  if (t.has('alembic_version')) return 'optuna';
  if (t.has('schema_migrations')) return 'legacy-tokcast';
  if (!t.has('studies') && !t.has('trials')) return 'empty';
  return 'unknown';
}

/** Makes sure the (search-path) schema holds Optuna's tables at the current head; returns what was done. */
export async function ensureOptunaSchemaPostgres(pool: pg.Pool, schema?: string): Promise<'none' | 'created' | 'upgraded'> {
  const client = await pool.connect();
  try {
    // a read without the lock first: the common case (already Optuna's) must not serialise every worker's start
    if (schema) await client.query(`CREATE SCHEMA IF NOT EXISTS ${checkSchemaName(schema)}`);
    if ((await schemaKind(client)) === 'optuna') {
      await checkHead(client);
      return 'none';
    }
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [SCHEMA_LOCK_KEY]);
    const kind = await schemaKind(client);
    let done: 'none' | 'created' | 'upgraded' = 'none';
    if (kind === 'unknown') throw new UserError("postgresql: has tables 'studies'/'trials' but is neither an Optuna nor a tokcast study database");
    if (kind === 'empty') {
      await createSchema(client);
      done = 'created';
    } else if (kind === 'legacy-tokcast') {
      await upgradeLegacy(client);
      done = 'upgraded';
    }
    await client.query('COMMIT');
    if (kind === 'optuna') await checkHead(client);
    return done;
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  } finally {
    client.release();
  }
}

async function createSchema(client: pg.PoolClient): Promise<void> {
  for (const sql of POSTGRES_DDL) await client.query(sql);
  for (const r of VERSION_ROWS) {
    let i = 0;
    await client.query(r.sql.replace(/\?/g, () => `$${++i}`), r.params as unknown[]);
  }
}

async function upgradeLegacy(client: pg.PoolClient): Promise<void> {
  const current = (await client.query<{ s: string }>('SELECT current_schema() AS s')).rows[0].s;
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\.(\d+)Z$/, '_$1').replace('T', '_').toLowerCase();
  const backup = checkSchemaName(`tokcast_backup_${stamp}`);
  const have = new Set((await client.query<{ t: string }>(
    'SELECT table_name AS t FROM information_schema.tables WHERE table_schema = current_schema()')).rows.map((r) => r.t));
  const copies = LEGACY_COPIES.filter((c) => have.has(c.table));
  await client.query(`CREATE SCHEMA ${backup}`);
  for (const c of [...copies.map((x) => x.table), 'schema_migrations']) await client.query(`ALTER TABLE ${current === 'public' ? '' : `${checkSchemaName(current)}.`}${c} SET SCHEMA ${backup}`);
  await createSchema(client);
  for (const c of copies) {
    const cols = c.columns.map((col) => {
      if (c.datetimes?.includes(col)) return `(${col} AT TIME ZONE 'UTC')`;
      const e = c.enums?.[col];
      return e ? `${col}::text::${e}` : col;
    });
    await client.query(`INSERT INTO ${c.table} (${c.columns.join(', ')}) SELECT ${cols.join(', ')} FROM ${backup}.${c.table}`);
    await client.query(`SELECT setval(pg_get_serial_sequence('${c.table}', '${c.id}'), COALESCE((SELECT MAX(${c.id}) FROM ${c.table}), 0) + 1, false)`);
  }
}

async function checkHead(client: pg.PoolClient): Promise<void> {
  const row = (await client.query<{ version_num: string }>('SELECT version_num FROM alembic_version')).rows[0];
  if (row?.version_num !== ALEMBIC_VERSION) {
    throw new UserError(`postgresql: the study database is at Optuna schema revision '${row?.version_num ?? 'none'}', expected '${ALEMBIC_VERSION}' (Optuna 4.x); run \`optuna storage upgrade --storage <url>\` with Optuna 4.x first`);
  }
}
