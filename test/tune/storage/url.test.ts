// Storage URLs: Optuna/SQLAlchemy spellings select the backend; bad schemes and dead servers are clear UserErrors.
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStorage, parseStorageUrl, redact } from '../../../src/tune/storage/url.ts';
import { PG_URL, dropSchema, skipWithoutPostgres, uniqueSchema } from '../../fixtures/storage/pg.ts';
import { InMemoryStorage } from '../../../src/tune/storage/memory.ts';
import { SqliteStorage } from '../../../src/tune/storage/sqlite/storage.ts';
import { UserError } from '../../../src/util/errors.ts';

const dir = mkdtempSync(join(tmpdir(), 'tokcast-url-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('storage urls', () => {
  it('a PostgreSQL port outside 1-65535 is refused before connecting, password hidden; unix sockets pass', () => {
    for (const port of ['99999', '0', '65536', 'abc']) {
      assert.throws(() => parseStorageUrl(`postgresql://u:hunter2@db.example:${port}/optuna`), (e: Error) =>
        e instanceof UserError && e.message.includes(`port '${port}', expected a number in 1-65535`) && !e.message.includes('hunter2'));
    }
    assert.equal(parseStorageUrl('postgresql://u@[::1]:5432/x').kind, 'postgres');
    assert.equal(parseStorageUrl('postgresql://u@db.example/x').kind, 'postgres');
    assert.equal(parseStorageUrl('postgresql://u@/x?host=/var/run/postgresql').kind, 'postgres');
  });

  it('parses every supported spelling', () => {
    assert.deepEqual(parseStorageUrl(undefined), { kind: 'sqlite', path: 'artifacts/studies.db' });
    assert.deepEqual(parseStorageUrl('sqlite:///rel/a.db'), { kind: 'sqlite', path: 'rel/a.db' });
    assert.deepEqual(parseStorageUrl('sqlite:////abs/a.db'), { kind: 'sqlite', path: '/abs/a.db' });
    assert.deepEqual(parseStorageUrl('./x/studies.db'), { kind: 'sqlite', path: './x/studies.db' });
    assert.deepEqual(parseStorageUrl('memory'), { kind: 'memory' });
    assert.deepEqual(parseStorageUrl(':memory:'), { kind: 'memory' });
    assert.deepEqual(parseStorageUrl('postgres://u:p@h:5433/db?schema=s1'), { kind: 'postgres', url: 'postgresql://u:p@h:5433/db', schema: 's1' });
    assert.deepEqual(parseStorageUrl('postgresql+psycopg2://u@h/db'), { kind: 'postgres', url: 'postgresql://u@h/db', schema: undefined });
    assert.throws(() => parseStorageUrl('mysql://u@h/db'), UserError);
    // SQLAlchemy query strings: timeout (seconds) is the busy timeout, pysqlite-only knobs are accepted, others refused
    assert.deepEqual(parseStorageUrl('sqlite:///a.db?timeout=2.5'), { kind: 'sqlite', path: 'a.db', busyTimeoutMs: 2500 });
    assert.deepEqual(parseStorageUrl('sqlite:////abs/a.db?check_same_thread=False'), { kind: 'sqlite', path: '/abs/a.db' });
    assert.deepEqual(parseStorageUrl('sqlite+pysqlite:///a.db'), { kind: 'sqlite', path: 'a.db' });
    assert.throws(() => parseStorageUrl('sqlite:///a.db?journal=off'), /unsupported SQLite query parameter 'journal'/);
    assert.throws(() => parseStorageUrl('sqlite:///a.db?timeout=soon'), /timeout: seconds >= 0 expected, got 'soon'/);
    // unix sockets: no host before the path, the socket folder in ?host=
    assert.deepEqual(parseStorageUrl('postgresql://postgres@/test?host=/var/run/postgresql'),
      { kind: 'postgres', url: 'postgresql://postgres@/test?host=%2Fvar%2Frun%2Fpostgresql', schema: undefined });
    assert.deepEqual(parseStorageUrl('postgresql+psycopg2:///test?host=%2Ftmp&schema=s2'), { kind: 'postgres', url: 'postgresql:///test?host=%2Ftmp', schema: 's2' });
    assert.throws(() => parseStorageUrl('sqlite://x.db'), UserError);
  });

  it('never shows a password', () => {
    assert.equal(redact('postgresql://u:s3cret@h:5432/db'), 'postgresql://u:***@h:5432/db');
    assert.equal(redact('postgresql://u:s3cret@/db?host=/run/pg'), 'postgresql://u:***@/db?host=/run/pg');
    assert.equal(redact('postgresql://u@h/db?sslmode=require&password=s3cret'), 'postgresql://u@h/db?sslmode=require&password=***');
    assert.equal(redact('sqlite:///a.db'), 'sqlite:///a.db');
  });

  it('opens a SQLite URL with a query string as the file without the query', async () => {
    const path = join(dir, 'q.db');
    const s = await openStorage(`sqlite:///${path}?timeout=5`);
    assert.ok(s instanceof SqliteStorage);
    await s.close();
    assert.ok(existsSync(path));
    assert.ok(!existsSync(`${path}?timeout=5`));
  });

  it('opens PostgreSQL through a unix socket URL', async (t) => {
    const skip = await skipWithoutPostgres('the PostgreSQL unix-socket URL test');
    if (skip) return t.skip(skip);
    const db = new URL(PG_URL.replace(/^postgres(ql)?:/, 'http:'));
    const socketDir = process.env.TOKCAST_PG_SOCKET_DIR ?? '/var/run/postgresql';
    if (!existsSync(socketDir)) return t.skip(`no PostgreSQL socket folder ${socketDir} (set TOKCAST_PG_SOCKET_DIR)`);
    const schema = uniqueSchema('socket');
    const s = await openStorage(`postgresql://${db.username || 'postgres'}@${db.pathname}?host=${encodeURIComponent(socketDir)}&schema=${schema}`);
    try {
      const id = await s.createNewStudy(['minimize'], 'via-socket');
      assert.equal(await s.getStudyNameFromId(id), 'via-socket');
    } finally {
      await s.close();
      await dropSchema(schema);
    }
  });

  it('opens the backend a URL names', async () => {
    const m = await openStorage('memory');
    assert.ok(m instanceof InMemoryStorage);
    const path = join(dir, 'nested', 'a.db');
    const s = await openStorage(`sqlite:///${path}`);
    assert.ok(s instanceof SqliteStorage);
    assert.ok(existsSync(path));
    await s.close();
  });

  it('turns a dead PostgreSQL server into a UserError quickly', async () => {
    const t0 = Date.now();
    await assert.rejects(openStorage('postgresql://postgres:secret@127.0.0.1:1/test', { connectTimeoutMs: 2000 }), (e: Error) => {
      assert.ok(e instanceof UserError);
      assert.match(e.message, /cannot open PostgreSQL storage/);
      assert.ok(!e.message.includes('secret'));
      return true;
    });
    assert.ok(Date.now() - t0 < 5000);
  });
});
