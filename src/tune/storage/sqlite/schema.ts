// Opens a SQLite study database (WAL, busy timeout, foreign keys) and brings its schema up to date.
// Migrations run inside BEGIN IMMEDIATE so several processes opening one file at once apply each step exactly once.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { pendingMigrations, type AppliedMigration, type Migration } from '../migrate.ts';
import { sqliteMigrations } from './migrations/index.ts';

export type SqliteDb = Database.Database;

/** Options for opening a SQLite study database. */
export interface SqliteOpenOptions {
  /** How long a writer waits for another process's lock before failing. @default 30000 (workers share one file) */
  busyTimeoutMs?: number;
  /** Apply migrations only up to this version (tests build old-schema databases with it). @default latest */
  targetVersion?: number;
  migrations?: readonly Migration[];
}

/** Opens (creating if needed) the database file at `path` (':memory:' for a private in-memory one). */
export function openSqliteDb(path: string, options: SqliteOpenOptions = {}): SqliteDb {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path, { timeout: options.busyTimeoutMs ?? 30000 });
  try {
    if (path !== ':memory:') db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    migrateSqlite(db, options.migrations ?? sqliteMigrations, options.targetVersion, path);
  } catch (e) {
    db.close();
    throw e;
  }
  return db;
}

/** Applies pending migrations (up to `targetVersion`); returns the versions it applied. */
export function migrateSqlite(db: SqliteDb, migrations: readonly Migration[] = sqliteMigrations, targetVersion = migrations.length, where = 'sqlite'): number[] {
  const run = db.transaction(() => {
    db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`);
    const applied = db.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all() as AppliedMigration[];
    const todo = pendingMigrations(migrations, applied, where).filter((m) => m.version <= targetVersion);
    const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
    for (const m of todo) {
      for (const sql of m.statements) db.exec(sql);
      record.run(m.version, m.name, new Date().toISOString());
    }
    return todo.map((m) => m.version);
  });
  return run.immediate();
}

/** The versions recorded in `schema_migrations`, ascending (empty for a fresh file). */
export function appliedSqliteVersions(db: SqliteDb): number[] {
  const has = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get();
  if (!has) return [];
  return (db.prepare('SELECT version FROM schema_migrations ORDER BY version').all() as { version: number }[]).map((r) => r.version);
}
