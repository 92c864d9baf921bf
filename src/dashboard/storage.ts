// Opens a study storage for the dashboard without writing to it: SQLite through a read-only connection (no migration,
// no file creation), PostgreSQL through a pool whose sessions are read-only. Reads go through the project's SqlStorage;
// a cheap per-study signature (trial counts, last times, what running trials reported) tells when something changed.
import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import pg from 'pg';
import { UserError } from '../util/errors.ts';
import { SqlStorage } from '../tune/storage/sql/storage.ts';
import { SqliteDriver } from '../tune/storage/sqlite/driver.ts';
import { PostgresDriver } from '../tune/storage/postgres/driver.ts';
import { checkSchemaName } from '../tune/storage/postgres/schema.ts';
import { parseStorageUrl, redact } from '../tune/storage/url.ts';
import type { Storage } from '../tune/storage/storage.ts';
import { InMemoryStorage } from '../tune/storage/memory.ts';

/** A storage opened for reading, with what the dashboard needs besides the Storage contract. */
export interface DashboardStorage {
  readonly storage: Storage;
  readonly kind: 'sqlite' | 'postgres' | 'memory';
  /** Where it points, safe to show: the PostgreSQL password replaced by ***. */
  readonly label: string;
  /** Text that changes whenever any trial of the study changes in a way the pages show. */
  studySignature(studyId: number): Promise<string>;
  /** Text that changes whenever a study is added or removed or any trial changes state. */
  listSignature(): Promise<string>;
  /** Every trial id of the study with its state, without the trials' contents (for incremental re-reads). */
  trialStates(studyId: number): Promise<{ id: number; state: string }[]>;
  /** Removes every secret (the PostgreSQL password) from a message. */
  scrub(text: string): string;
  close(): Promise<void>;
}

// Trials of finished states never change (the storage refuses), so a running trial's reports and attrs plus the
// trials table's counts and last timestamps cover every visible change.
const STUDY_SIG = `SELECT
  (SELECT COUNT(*) FROM trials WHERE study_id = ?) AS n,
  (SELECT MAX(trial_id) FROM trials WHERE study_id = ?) AS last_id,
  (SELECT MAX(datetime_start) FROM trials WHERE study_id = ?) AS last_start,
  (SELECT MAX(datetime_complete) FROM trials WHERE study_id = ?) AS last_complete,
  (SELECT COUNT(*) FROM trials WHERE study_id = ? AND state IN ('RUNNING', 'WAITING')) AS open,
  (SELECT COUNT(*) FROM trial_intermediate_values v JOIN trials t ON t.trial_id = v.trial_id WHERE t.study_id = ? AND t.state = 'RUNNING') AS iv,
  (SELECT COUNT(*) FROM trial_params p JOIN trials t ON t.trial_id = p.trial_id WHERE t.study_id = ? AND t.state = 'RUNNING') AS np,
  (SELECT COUNT(*) FROM trial_user_attributes a JOIN trials t ON t.trial_id = a.trial_id WHERE t.study_id = ? AND t.state = 'RUNNING') AS ua,
  (SELECT COUNT(*) FROM study_user_attributes WHERE study_id = ?) AS sa`;
const LIST_SIG = `SELECT (SELECT COUNT(*) FROM studies) AS s, (SELECT MAX(study_id) FROM studies) AS m, (SELECT COUNT(*) FROM trials) AS n,
  (SELECT MAX(datetime_complete) FROM trials) AS c, (SELECT MAX(datetime_start) FROM trials) AS st, (SELECT COUNT(*) FROM trials WHERE state IN ('RUNNING', 'WAITING')) AS o`;

const TRIAL_STATES_SQL = 'SELECT trial_id AS id, state FROM trials WHERE study_id = ?';

function rowText(row: Record<string, unknown> | undefined): string {
  if (!row) return '';
  return Object.values(row).map((v) => (v instanceof Date ? v.toISOString() : String(v))).join('|');
}

function passwordOf(url: string): string | null {
  try {
    const p = new URL(url.replace(/^[^:]+:/, 'postgresql:'));
    return p.password ? decodeURIComponent(p.password) : null;
  } catch {
    return null;
  }
}

/** A function that replaces the URL's password (plain and percent-encoded) by *** in any text. */
export function makeScrub(url: string | undefined): (text: string) => string {
  const pw = url ? passwordOf(url) : null;
  if (!pw) return (t) => t;
  const forms = [...new Set([pw, encodeURIComponent(pw)])].sort((a, b) => b.length - a.length);
  return (t) => forms.reduce((s, f) => s.split(f).join('***'), t);
}

/** Opens `url` (as `--storage` takes it) for reading only. Throws UserError for a missing SQLite file or a bad URL. */
export async function openDashboardStorage(url: string | undefined, options: { connectTimeoutMs?: number } = {}): Promise<DashboardStorage> {
  const loc = parseStorageUrl(url);
  const scrub = makeScrub(url);
  if (loc.kind === 'memory') {
    const storage = new InMemoryStorage();
    return { storage, kind: 'memory', label: 'memory', scrub, studySignature: async () => '', listSignature: async () => '',
      trialStates: async (id) => (await storage.getAllTrials(id)).map((t) => ({ id: t.trialId, state: t.state })), close: () => storage.close() };
  }
  if (loc.kind === 'sqlite') {
    if (!existsSync(loc.path)) throw new UserError(`--storage: SQLite file '${loc.path}' does not exist; expected a study database written by tokcast or Optuna`);
    let db: Database.Database;
    try {
      db = new Database(loc.path, { readonly: true, fileMustExist: true, timeout: 2000 });
      const has = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'trials'").get();
      if (!has) {
        db.close();
        throw new UserError(`--storage: '${loc.path}' has no 'trials' table; expected a study database written by tokcast or Optuna`);
      }
    } catch (e) {
      if (e instanceof UserError) throw e;
      throw new UserError(`--storage: cannot open SQLite file '${loc.path}': ${(e as Error).message}`);
    }
    const storage = new SqlStorage(new SqliteDriver(db));
    const sig = db.prepare(STUDY_SIG);
    const list = db.prepare(LIST_SIG);
    const states = db.prepare(TRIAL_STATES_SQL);
    return {
      storage, kind: 'sqlite', label: `sqlite:///${loc.path}`, scrub,
      studySignature: async (id) => rowText(sig.get(...Array(9).fill(id)) as Record<string, unknown>),
      listSignature: async () => rowText(list.get() as Record<string, unknown>),
      trialStates: async (id) => (states.all(id) as { id: number; state: string }[]).map((r) => ({ id: Number(r.id), state: String(r.state) })),
      close: () => storage.close(),
    };
  }
  const schema = loc.schema === undefined ? undefined : checkSchemaName(loc.schema);
  const opts = ['-c default_transaction_read_only=on', ...(schema ? [`-c search_path=${schema}`] : [])].join(' ');
  const pool = new pg.Pool({ connectionString: loc.url, max: 4, connectionTimeoutMillis: options.connectTimeoutMs ?? 3000, options: opts });
  pool.on('error', () => { /* an idle client lost its connection (server restarted); the next query reconnects */ });
  const label = redact(loc.url);
  try {
    await pool.query('SELECT 1 FROM trials LIMIT 1');
  } catch (e) {
    await pool.end().catch(() => undefined);
    throw new UserError(`--storage: cannot read PostgreSQL storage '${label}': ${scrub((e as Error).message || String(e))}`);
  }
  const storage = new SqlStorage(new PostgresDriver(pool));
  const numbered = (sql: string) => { let i = 0; return sql.replace(/\?/g, () => `$${++i}`); };
  const sigSql = numbered(STUDY_SIG);
  return {
    storage, kind: 'postgres', label, scrub,
    studySignature: async (id) => rowText((await pool.query(sigSql, Array(9).fill(id))).rows[0]),
    listSignature: async () => rowText((await pool.query(LIST_SIG)).rows[0]),
    trialStates: async (id) => (await pool.query(numbered(TRIAL_STATES_SQL), [id])).rows.map((r: { id: number; state: string }) => ({ id: Number(r.id), state: String(r.state) })),
    close: () => storage.close(),
  };
}
