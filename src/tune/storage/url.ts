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
  | { kind: 'sqlite'; path: string; busyTimeoutMs?: number }
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
  if (scheme === 'sqlite' || scheme === 'sqlite+pysqlite') {
    const [base, query] = splitQuery(u);
    const path = base.slice(base.indexOf(':///') + 4);
    if (!/^sqlite(\+pysqlite)?:\/\/\//i.test(base) || path === '') throw new UserError(`storage URL '${redact(u)}': expected sqlite:///relative/path.db or sqlite:////absolute/path.db`);
    return { kind: 'sqlite', path, ...sqliteQuery(query, u) };
  }
  if (scheme === 'postgresql' || scheme === 'postgres' || scheme.startsWith('postgresql+')) {
    // not WHATWG-parsed: `postgresql://user@/db?host=/var/run/postgresql` (a unix socket, no host) is valid for libpq and node-postgres
    checkPostgresPort(u);
    const [base, query] = splitQuery(u.replace(/^[^:]+:/, 'postgresql:'));
    const params = new URLSearchParams(query);
    const schema = params.get('schema') ?? undefined;
    params.delete('schema');
    const rest = params.toString();
    return { kind: 'postgres', url: rest ? `${base}?${rest}` : base, schema };
  }
  throw new UserError(`storage URL '${u}': unsupported scheme '${scheme}'; use sqlite:///path.db, a file path, postgresql://user@host:port/db or memory`);
}

/** A port outside 1-65535 in a PostgreSQL URL is a UserError before any connection is tried. */
function checkPostgresPort(u: string): void {
  const port = /^[^:]+:\/\/(?:[^@/?#]*@)?(?:\[[^\]]*\]|[^:/?#]*):([^/?#]*)/.exec(u)?.[1];
  if (port !== undefined && port !== '' && (!/^\d+$/.test(port) || Number(port) < 1 || Number(port) > 65535))
    throw new UserError(`storage URL '${redact(u)}': port '${port}', expected a number in 1-65535`);
}

/** Opens the storage a URL names (creating/migrating the database as needed). Connection failures become UserErrors. */
export async function openStorage(url: string | undefined, options: OpenStorageOptions = {}): Promise<Storage> {
  const loc = parseStorageUrl(url);
  switch (loc.kind) {
    case 'memory':
      return new InMemoryStorage();
    case 'sqlite':
      try {
        return SqliteStorage.open(loc.path, { busyTimeoutMs: options.busyTimeoutMs ?? loc.busyTimeoutMs, heartbeatOnStart: options.heartbeatOnStart });
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

/** The URL with any password (user:PASSWORD@ or ?password=) replaced by ***, for messages. */
export function redact(url: string): string {
  return url
    .replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/?#@]*:)[^@/?#]*@/i, '$1***@')
    .replace(/([?&]password=)[^&#]*/i, '$1***');
}

function splitQuery(url: string): [string, string] {
  const i = url.indexOf('?');
  return i < 0 ? [url, ''] : [url.slice(0, i), url.slice(i + 1)];
}

/** pysqlite connect arguments that change nothing for tokcast's SQLite driver, accepted so Optuna's URLs work as they are. */
const SQLITE_IGNORED = new Set(['check_same_thread', 'cached_statements', 'detect_types', 'isolation_level', 'factory']);

/** SQLAlchemy's `sqlite:///path?timeout=S&...` query: `timeout` (seconds) becomes the busy timeout; other keys are refused. */
function sqliteQuery(query: string, url: string): { busyTimeoutMs?: number } {
  const out: { busyTimeoutMs?: number } = {};
  for (const [k, v] of new URLSearchParams(query)) {
    if (k === 'timeout') {
      const s = Number(v);
      if (v.trim() === '' || !Number.isFinite(s) || s < 0) throw new UserError(`storage URL '${redact(url)}': timeout: seconds >= 0 expected, got '${v}'`);
      out.busyTimeoutMs = Math.round(s * 1000);
    } else if (!SQLITE_IGNORED.has(k)) {
      throw new UserError(`storage URL '${redact(url)}': unsupported SQLite query parameter '${k}'; accepted: timeout, ${[...SQLITE_IGNORED].join(', ')}`);
    }
  }
  return out;
}
