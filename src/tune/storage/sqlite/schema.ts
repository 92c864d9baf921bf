// Opens a SQLite study database (WAL, busy timeout, foreign keys) holding Optuna 4.9's exact schema: a new file gets
// Optuna's tables and version rows; a file from an earlier tokcast is backed up next to itself and moved into that schema.
// Creation and upgrade run inside BEGIN IMMEDIATE, so several processes opening one file at once do each exactly once.
import Database from 'better-sqlite3';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { UserError } from '../../../util/errors.ts';
import { ALEMBIC_VERSION, SQLITE_DDL, VERSION_ROWS } from '../optuna-schema.ts';
import { backupSuffix, LEGACY_COPIES } from '../legacy-upgrade.ts';

export type SqliteDb = Database.Database;

/** Options for opening a SQLite study database. */
export interface SqliteOpenOptions {
  /** How long a writer waits for another process's lock before failing. @default 30000 (workers share one file) */
  busyTimeoutMs?: number;
}

/** What a database file holds. */
export type SqliteSchemaKind = 'empty' | 'optuna' | 'legacy-tokcast' | 'unknown';

function tableNames(db: SqliteDb): Set<string> {
  return new Set((db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((r) => r.name));
}

/** Tells a fresh file, an Optuna-schema file, an earlier tokcast file and anything else apart. */
export function sqliteSchemaKind(db: SqliteDb): SqliteSchemaKind {
  const t = tableNames(db);
  if (t.has('alembic_version')) return 'optuna';
  if (t.has('schema_migrations')) return 'legacy-tokcast';
  if (!t.has('studies') && !t.has('trials')) return 'empty';
  return 'unknown';
}

/** Opens (creating if needed) the database file at `path` (':memory:' for a private in-memory one). */
export function openSqliteDb(path: string, options: SqliteOpenOptions = {}): SqliteDb {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path, { timeout: options.busyTimeoutMs ?? 30000 });
  try {
    if (path !== ':memory:') db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    ensureOptunaSchema(db, path === ':memory:' ? null : path);
    db.pragma('foreign_keys = ON');
  } catch (e) {
    db.close();
    throw e;
  }
  return db;
}

/**
 * Makes sure `db` holds Optuna's schema at the current head; returns what was done. `path` (null for in-memory) is where
 * an earlier tokcast database gets its backup copy, `<path>.bak-<time>`, before it is upgraded.
 */
export function ensureOptunaSchema(db: SqliteDb, path: string | null): 'none' | 'created' | 'upgraded' {
  const where = path ?? ':memory:';
  let kind = sqliteSchemaKind(db);
  if (kind === 'optuna') {
    checkHead(db, where);
    return 'none';
  }
  if (kind === 'unknown') throw new UserError(`${where}: has tables 'studies'/'trials' but is neither an Optuna nor a tokcast study database`);
  if (kind === 'legacy-tokcast' && path !== null) {
    let backup = `${path}${backupSuffix()}`;
    for (let i = 1; existsSync(backup); i++) backup = `${path}${backupSuffix()}-${i}`;
    db.prepare('VACUUM INTO ?').run(backup);
  }
  db.pragma('foreign_keys = OFF');
  db.pragma('legacy_alter_table = ON');
  try {
    return db.transaction((): 'none' | 'created' | 'upgraded' => {
      kind = sqliteSchemaKind(db); // another process may have done it while we waited for the lock
      if (kind === 'optuna') return 'none';
      if (kind === 'legacy-tokcast') {
        const have = tableNames(db);
        const copies = LEGACY_COPIES.filter((c) => have.has(c.table));
        for (const c of copies) db.exec(`ALTER TABLE ${c.table} RENAME TO tokcast_legacy_${c.table}`);
        createSchema(db);
        for (const c of copies) {
          const cols = c.columns.map((col) => (c.datetimes?.includes(col) ? `replace(replace(${col}, 'T', ' '), 'Z', '000')` : col));
          db.exec(`INSERT INTO ${c.table} (${c.columns.join(', ')}) SELECT ${cols.join(', ')} FROM tokcast_legacy_${c.table}`);
        }
        for (const c of [...copies].reverse()) db.exec(`DROP TABLE tokcast_legacy_${c.table}`);
        db.exec('DROP TABLE schema_migrations');
        return 'upgraded';
      }
      createSchema(db);
      return 'created';
    }).immediate();
  } finally {
    db.pragma('legacy_alter_table = OFF');
  }
}

function createSchema(db: SqliteDb): void {
  for (const sql of SQLITE_DDL) db.exec(sql);
  for (const r of VERSION_ROWS) db.prepare(r.sql).run(...r.params);
}

function checkHead(db: SqliteDb, where: string): void {
  const row = db.prepare('SELECT version_num FROM alembic_version').get() as { version_num: string } | undefined;
  if (row?.version_num !== ALEMBIC_VERSION) {
    throw new UserError(`${where}: the study database is at Optuna schema revision '${row?.version_num ?? 'none'}', expected '${ALEMBIC_VERSION}' (Optuna 4.x); run \`optuna storage upgrade --storage <url>\` with Optuna 4.x first`);
  }
}
