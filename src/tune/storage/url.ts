// Opens a Storage from a URL the way Optuna's --storage does: sqlite:///path (or a plain file path) -> SQLite,
// postgresql://... / postgres://... -> PostgreSQL, memory / :memory: -> in-process memory.
import { UserError } from '../../util/errors.ts';
import type { Storage } from './storage.ts';
import { InMemoryStorage } from './memory.ts';
import { DEFAULT_SQLITE_PATH, SqliteStorage } from './sqlite/storage.ts';
import { PostgresStorage } from './postgres/storage.ts';

/** Where a storage URL points. */
export type StorageLocation =
  | { kind: 'memory' }
  | { kind: 'sqlite'; path: string }
  | { kind: 'postgres'; url: string; schema?: string };

/** Options passed to the backend that the URL selects. */
export interface OpenStorageOptions {
  /** SQLite: how long a writer waits for the file lock. @default 30000 */
  busyTimeoutMs?: number;
  /** PostgreSQL: give up connecting after this long. @default 5000 */
  connectTimeoutMs?: number;
  /** SQL backends: record the first heartbeat when a trial starts (see SqlStorageOptions). @default false */
  heartbeatOnStart?: boolean;
}

/**
 * Parses a storage URL; undefined or '' means the default SQLite file. SQLAlchemy spelling: `sqlite:///rel.db` is relative,
 * `sqlite:////abs.db` absolute. `?schema=NAME` on a PostgreSQL URL selects a schema. Throws UserError on other schemes.
 */
export function parseStorageUrl(url: string | undefined): StorageLocation {
  const u = (url ?? '').trim();
  if (u === '') return { kind: 'sqlite', path: DEFAULT_SQLITE_PATH };
  if (u === 'memory' || u === ':memory:' || u === 'memory://') return { kind: 'memory' };
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(u)?.[1].toLowerCase();
  if (scheme === undefined) return { kind: 'sqlite', path: u };
  if (scheme === 'sqlite') {
    const path = u.slice('sqlite:///'.length);
    if (!u.toLowerCase().startsWith('sqlite:///') || path === '') throw new UserError(`storage URL '${u}': expected sqlite:///relative/path.db or sqlite:////absolute/path.db`);
    return { kind: 'sqlite', path };
  }
  if (scheme === 'postgresql' || scheme === 'postgres' || scheme.startsWith('postgresql+')) {
    const parsed = new URL(u.replace(/^[^:]+:/, 'postgresql:'));
    const schema = parsed.searchParams.get('schema') ?? undefined;
    parsed.searchParams.delete('schema');
    return { kind: 'postgres', url: parsed.toString(), schema };
  }
  throw new UserError(`storage URL '${u}': unsupported scheme '${scheme}'; use sqlite:///path.db, a file path, postgresql://user@host:port/db or memory`);
}

/** Opens the storage a URL names (creating/migrating the database as needed). Connection failures become UserErrors. */
export async function openStorage(url: string | undefined, options: OpenStorageOptions = {}): Promise<Storage> {
  const loc = parseStorageUrl(url);
  switch (loc.kind) {
    case 'memory':
      return new InMemoryStorage();
    case 'sqlite':
      try {
        return SqliteStorage.open(loc.path, { busyTimeoutMs: options.busyTimeoutMs, heartbeatOnStart: options.heartbeatOnStart });
      } catch (e) {
        throw new UserError(`cannot open SQLite storage '${loc.path}': ${(e as Error).message}`);
      }
    case 'postgres':
      try {
        return await PostgresStorage.open(loc.url, { schema: loc.schema, connectTimeoutMs: options.connectTimeoutMs, heartbeatOnStart: options.heartbeatOnStart });
      } catch (e) {
        throw new UserError(`cannot open PostgreSQL storage '${redact(loc.url)}': ${(e as Error).message || String(e)}`);
      }
  }
}

/** The URL with any password replaced by ***, for messages. */
export function redact(url: string): string {
  try {
    const p = new URL(url);
    if (p.password) p.password = '***';
    return p.toString();
  } catch {
    return url;
  }
}
