// SqlDriver over a pg.Pool: each transaction holds one pooled client; `?` placeholders become $1..$n;
// serialization failures and deadlocks (40001, 40P01) are retried like Optuna's RDB writes.
import type pg from 'pg';
import type { SqlConn, SqlDialect, SqlDriver } from '../sql/driver.ts';
import { formatUtcDateTime } from '../../utc-datetime.ts';

export const postgresDialect: SqlDialect = {
  forUpdate: ' FOR UPDATE',
  // Optuna's columns are timestamp without time zone holding UTC wall time
  nowSql: "(clock_timestamp() AT TIME ZONE 'UTC')",
  cutoff: (seconds) => ({ sql: "((clock_timestamp() AT TIME ZONE 'UTC') - make_interval(secs => ?::double precision))", params: [seconds] }),
  // a heartbeat lost in a server crash only delays stale detection; skipping the WAL flush saves ~3 ms per beat
  relaxedDurabilitySql: 'SET LOCAL synchronous_commit = off',
  bindDate: formatUtcDateTime,
};

const sqlCache = new Map<string, string>();
function numbered(sql: string): string {
  let out = sqlCache.get(sql);
  if (out === undefined) {
    let i = 0;
    out = sql.replace(/\?/g, () => `$${++i}`);
    sqlCache.set(sql, out);
  }
  return out;
}

class ClientConn implements SqlConn {
  constructor(private readonly client: pg.PoolClient | pg.Pool) {}
  async all<T>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
    return (await this.client.query(numbered(sql), params as unknown[])).rows as T[];
  }
  async get<T>(sql: string, params: readonly unknown[] = []): Promise<T | undefined> {
    return (await this.all<T>(sql, params))[0];
  }
  async run(sql: string, params: readonly unknown[] = []): Promise<{ changes: number }> {
    return { changes: (await this.client.query(numbered(sql), params as unknown[])).rowCount ?? 0 };
  }
}

function retryable(e: unknown): boolean {
  const code = (e as { code?: string }).code;
  return code === '40001' || code === '40P01';
}

/** Runs SqlStorage's statements on a PostgreSQL pool. */
export class PostgresDriver implements SqlDriver {
  readonly dialect = postgresDialect;
  private ended = false;
  constructor(readonly pool: pg.Pool) {}

  async transaction<T>(mode: 'read' | 'write', fn: (c: SqlConn) => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const client = await this.pool.connect();
      let broken = false;
      try {
        await client.query(mode === 'read' ? 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY' : 'BEGIN');
        const out = await fn(new ClientConn(client));
        await client.query('COMMIT');
        return out;
      } catch (e) {
        await client.query('ROLLBACK').catch(() => { broken = true; });
        if (retryable(e) && attempt < 5) {
          await new Promise((r) => setTimeout(r, 5 + Math.random() * 20 * (attempt + 1)));
          continue;
        }
        throw e;
      } finally {
        client.release(broken);
      }
    }
  }

  isUniqueViolation(e: unknown): boolean {
    return (e as { code?: string }).code === '23505';
  }

  async close(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    await this.pool.end();
  }
}
