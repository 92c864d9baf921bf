// Storage URLs: Optuna/SQLAlchemy spellings select the backend; bad schemes and dead servers are clear UserErrors.
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStorage, parseStorageUrl } from '../../../src/tune/storage/url.ts';
import { InMemoryStorage } from '../../../src/tune/storage/memory.ts';
import { SqliteStorage } from '../../../src/tune/storage/sqlite/storage.ts';
import { UserError } from '../../../src/util/errors.ts';

const dir = mkdtempSync(join(tmpdir(), 'tokcast-url-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('storage urls', () => {
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
    assert.throws(() => parseStorageUrl('sqlite://x.db'), UserError);
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
