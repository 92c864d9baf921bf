// `storage upgrade`: where a study database stands against Optuna 4.9's schema head, and moving a database of an earlier
// tokcast release onto it (the backends back it up first: `<file>.bak-<time>` for SQLite, a `tokcast_backup_*` schema on
// PostgreSQL). Databases at an older Optuna revision are Optuna's to migrate (its alembic scripts), so they are refused.
import Database from 'better-sqlite3';
import { existsSync, readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import pg from 'pg';
import { UserError } from '../../util/errors.ts';
import { ALEMBIC_VERSION } from './optuna-schema.ts';
import { openStorage, parseStorageUrl, redact } from './url.ts';

/** What a database holds: nothing yet, Optuna's schema at some revision, an earlier tokcast schema, or something else. */
export type SchemaStatus =
  | { kind: 'empty' }
  | { kind: 'optuna'; revision: string | null }
  | { kind: 'legacy-tokcast' }
  | { kind: 'unknown' };

function classify(tables: Set<string>, revision: () => string | null): SchemaStatus {
  if (tables.has('alembic_version')) return { kind: 'optuna', revision: revision() };
  if (tables.has('schema_migrations')) return { kind: 'legacy-tokcast' };
  if (!tables.has('studies') && !tables.has('trials')) return { kind: 'empty' };
  return { kind: 'unknown' };
}

/** Reads the schema status without changing (or creating) anything. Throws UserError for a missing file or dead server. */
export async function schemaStatus(url: string): Promise<SchemaStatus> {
  const loc = parseStorageUrl(url);
  if (loc.kind === 'memory') return { kind: 'optuna', revision: ALEMBIC_VERSION };
  if (loc.kind === 'sqlite') {
    if (!existsSync(loc.path)) throw new UserError(`storage '${url}': no such SQLite file '${loc.path}'`);
    const db = new Database(loc.path, { readonly: true, fileMustExist: true });
    try {
      const tables = new Set((db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((r) => r.name));
      return classify(tables, () => (db.prepare('SELECT version_num FROM alembic_version').get() as { version_num: string } | undefined)?.version_num ?? null);
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: loc.url, connectionTimeoutMillis: 5000, options: loc.schema ? `-c search_path=${loc.schema}` : undefined });
  try {
    await client.connect();
  } catch (e) {
    await client.end().catch(() => undefined);
    throw new UserError(`cannot open PostgreSQL storage '${redact(loc.url)}': ${(e as Error).message}`);
  }
  try {
    const r = await client.query<{ t: string }>(
      "SELECT table_name AS t FROM information_schema.tables WHERE table_schema = current_schema() AND table_name IN ('alembic_version', 'schema_migrations', 'studies', 'trials')");
    const tables = new Set(r.rows.map((x) => x.t));
    const rev = tables.has('alembic_version') ? (await client.query<{ v: string }>('SELECT version_num AS v FROM alembic_version')).rows[0]?.v ?? null : null;
    return classify(tables, () => rev);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** The outcome of upgradeStorage, with the backup an upgrade left behind (a file for SQLite, `schema <name>` for PostgreSQL). */
export type UpgradeOutcome = { done: 'up-to-date' } | { done: 'upgraded'; backup: string | null } | { done: 'empty' };

/** Brings the database at `url` to Optuna 4.9's schema head. Throws UserError when tokcast cannot (another Optuna revision, foreign tables). */
export async function upgradeStorage(url: string): Promise<UpgradeOutcome> {
  const status = await schemaStatus(url);
  switch (status.kind) {
    case 'empty':
      return { done: 'empty' };
    case 'unknown':
      throw new UserError(`storage '${redact(url)}': has tables 'studies'/'trials' but is neither an Optuna nor a tokcast study database`);
    case 'optuna':
      if (status.revision === ALEMBIC_VERSION) return { done: 'up-to-date' };
      throw new UserError(`storage '${redact(url)}': Optuna schema revision '${status.revision ?? 'none'}', not the head '${ALEMBIC_VERSION}' of Optuna 4.x; upgrade it with Optuna 4.x's own \`optuna storage upgrade\` (tokcast migrates only databases of earlier tokcast releases)`);
    case 'legacy-tokcast': {
      const loc = parseStorageUrl(url);
      const list = () => (loc.kind === 'sqlite' ? sqliteBackups(loc.path) : loc.kind === 'postgres' ? postgresBackups(loc.url) : Promise.resolve(new Set<string>()));
      const before = await list();
      const s = await openStorage(url); // opening backs up and migrates, once across concurrent openers
      await s.close();
      const made = [...(await list())].filter((b) => !before.has(b)).sort().pop() ?? null;
      return { done: 'upgraded', backup: loc.kind === 'postgres' && made ? `schema ${made}` : made };
    }
  }
}

async function sqliteBackups(path: string): Promise<Set<string>> {
  const dir = dirname(path);
  const prefix = `${basename(path)}.bak-`;
  return new Set(readdirSync(dir).filter((n) => n.startsWith(prefix)).map((n) => join(dir, n)));
}

async function postgresBackups(url: string): Promise<Set<string>> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    const r = await client.query<{ n: string }>("SELECT nspname AS n FROM pg_namespace WHERE nspname LIKE 'tokcast_backup_%'");
    return new Set(r.rows.map((x) => x.n));
  } finally {
    await client.end().catch(() => undefined);
  }
}
