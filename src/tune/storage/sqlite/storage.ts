// SQLite file storage for studies (better-sqlite3, WAL, busy timeout): several local processes may share one file.
// Follows Optuna's RDBStorage on SQLite with Optuna 4.9's own schema (../optuna-schema.ts), so Optuna can open the same file.
import { SqlStorage, type SqlStorageOptions } from '../sql/storage.ts';
import { SqliteDriver } from './driver.ts';
import { openSqliteDb, type SqliteDb, type SqliteOpenOptions } from './schema.ts';

/** The file used when no storage is given. */
export const DEFAULT_SQLITE_PATH = 'artifacts/studies.db';

/** A Storage in one SQLite file; create with SqliteStorage.open. */
export class SqliteStorage extends SqlStorage {
  private constructor(readonly db: SqliteDb, readonly path: string, options: SqlStorageOptions) {
    super(new SqliteDriver(db), options);
  }

  /** Opens (creating and migrating as needed) the database at `path`; ':memory:' gives a private in-memory database. */
  static open(path: string = DEFAULT_SQLITE_PATH, options: SqliteOpenOptions & SqlStorageOptions = {}): SqliteStorage {
    return new SqliteStorage(openSqliteDb(path, options), path, options);
  }
}
