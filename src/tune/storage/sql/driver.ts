// The small SQL surface SqlStorage needs from a database driver; implemented by sqlite/driver.ts and postgres/driver.ts.
// SQL is written once with `?` placeholders; a driver rewrites them if its database wants `$1`-style ones.

/** One connection (or one open transaction) that runs statements. */
export interface SqlConn {
  all<T>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  get<T>(sql: string, params?: readonly unknown[]): Promise<T | undefined>;
  /** Runs a write; `changes` is the number of rows it touched. */
  run(sql: string, params?: readonly unknown[]): Promise<{ changes: number }>;
}

/** Where the SQL of the two backends differs. */
export interface SqlDialect {
  /** Appended to a SELECT that must lock the rows it reads until commit ('' where the transaction already locks). */
  forUpdate: string;
  /** SQL expression for "now" on the database's clock, stored in trial_heartbeats.heartbeat. */
  nowSql: string;
  /** SQL expression (with its parameters) for "now minus `seconds`" on the database's clock. */
  cutoff(seconds: number): { sql: string; params: unknown[] };
  /** Run first in a transaction whose loss on a database crash is harmless (heartbeats); '' for none. */
  relaxedDurabilitySql: string;
  /** Converts a Date for binding to a datetime column. */
  bindDate(d: Date): unknown;
}

/** A database the storage can run transactions on. */
export interface SqlDriver {
  readonly dialect: SqlDialect;
  /** Runs `fn` in one transaction (write: takes the write lock up front); commits, or rolls back and rethrows. Retries lock timeouts/deadlocks. */
  transaction<T>(mode: 'read' | 'write', fn: (c: SqlConn) => Promise<T>): Promise<T>;
  /** True when `e` is a unique-constraint violation. */
  isUniqueViolation(e: unknown): boolean;
  close(): Promise<void>;
}
