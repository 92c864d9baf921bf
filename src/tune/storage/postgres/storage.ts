// PostgreSQL storage for studies shared by workers on many machines (pg); trial numbers are allocated under a row lock
// on the study, as Optuna's RDBStorage does, in Optuna 4.9's own schema (../optuna-schema.ts).
import type pg from 'pg';
import { SqlStorage, type SqlStorageOptions } from '../sql/storage.ts';
import { PostgresDriver } from './driver.ts';
import { openPostgresPool, type PostgresOpenOptions } from './schema.ts';

/** A Storage in a PostgreSQL database (optionally one schema of it); create with PostgresStorage.open. */
export class PostgresStorage extends SqlStorage {
  private constructor(readonly pool: pg.Pool, options: SqlStorageOptions) {
    super(new PostgresDriver(pool), options);
  }

  /** Connects to `url` (postgresql://user@host:port/db), failing fast when the server does not answer, and migrates. */
  static async open(url: string, options: PostgresOpenOptions & SqlStorageOptions = {}): Promise<PostgresStorage> {
    return new PostgresStorage(await openPostgresPool(url, options), options);
  }
}
