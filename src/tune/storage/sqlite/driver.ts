// SqlDriver over better-sqlite3: one connection per storage, transactions serialised in-process by a promise queue,
// writes start with BEGIN IMMEDIATE so the write lock is taken before any read (no deadlocking lock upgrades).
import type { SqlConn, SqlDialect, SqlDriver } from '../sql/driver.ts';
import type { SqliteDb } from './schema.ts';
import type { Statement } from 'better-sqlite3';
import { formatUtcDateTime } from '../../utc-datetime.ts';

// naive UTC text with six fractional digits, as SQLAlchemy stores a DATETIME (compares correctly as text)
const NOW = "strftime('%Y-%m-%d %H:%M:%f', 'now') || '000'";

export const sqliteDialect: SqlDialect = {
  forUpdate: '',
  nowSql: NOW,
  cutoff: (seconds) => ({ sql: "strftime('%Y-%m-%d %H:%M:%f', 'now', ?) || '000'", params: [`-${seconds} seconds`] }),
  relaxedDurabilitySql: '', // WAL + synchronous=NORMAL already skips the fsync per commit
  bindDate: formatUtcDateTime,
};

function isBusy(e: unknown): boolean {
  const code = (e as { code?: string }).code ?? '';
  return code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED');
}

/** Runs SqlStorage's statements on one better-sqlite3 connection. */
export class SqliteDriver implements SqlDriver, SqlConn {
  readonly dialect = sqliteDialect;
  private queue: Promise<unknown> = Promise.resolve();
  private cache = new Map<string, Statement>();

  constructor(readonly db: SqliteDb) {}

  private stmt(sql: string): Statement {
    let s = this.cache.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.cache.set(sql, s);
    }
    return s;
  }

  async all<T>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
    return this.stmt(sql).all(...params) as T[];
  }

  async get<T>(sql: string, params: readonly unknown[] = []): Promise<T | undefined> {
    const s = this.stmt(sql);
    return (s.reader ? s.get(...params) : (s.run(...params), undefined)) as T | undefined;
  }

  async run(sql: string, params: readonly unknown[] = []): Promise<{ changes: number }> {
    const s = this.stmt(sql);
    if (s.reader) {
      s.all(...params);
      return { changes: 0 };
    }
    return { changes: s.run(...params).changes };
  }

  transaction<T>(mode: 'read' | 'write', fn: (c: SqlConn) => Promise<T>): Promise<T> {
    const next = this.queue.then(() => this.runTransaction(mode, fn));
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async runTransaction<T>(mode: 'read' | 'write', fn: (c: SqlConn) => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        this.db.exec(mode === 'write' ? 'BEGIN IMMEDIATE' : 'BEGIN DEFERRED');
      } catch (e) {
        // the busy timeout already waited; a few more tries cover long bursts of many writers
        if (isBusy(e) && attempt < 5) continue;
        throw e;
      }
      try {
        const out = await fn(this);
        this.db.exec('COMMIT');
        return out;
      } catch (e) {
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
        if (isBusy(e) && attempt < 5) continue;
        throw e;
      }
    }
  }

  isUniqueViolation(e: unknown): boolean {
    const code = (e as { code?: string }).code ?? '';
    return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
  }

  async close(): Promise<void> {
    await this.queue;
    this.cache.clear();
    if (this.db.open) this.db.close();
  }
}
