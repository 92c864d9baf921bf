// Dashboard API over a SQLite study database seeded with every trial state, both directions, a multi-objective study,
// non-finite values and an empty study; the answers are checked against the storage's own reads (api-cases.ts).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStorage } from '../../src/tune/storage/sqlite/storage.ts';
import { createDashboardApp } from '../../src/dashboard/app.ts';
import { openDashboardStorage, type DashboardStorage } from '../../src/dashboard/storage.ts';
import { seedStudies } from './seed.ts';
import { apiCases, getJson, type ApiFixture } from './api-cases.ts';

describe('dashboard API on SQLite', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tokcast-dash-'));
  const path = join(dir, 'studies.db');
  let fx: ApiFixture;
  let ds: DashboardStorage;
  let close: () => void;
  before(async () => {
    const writer = SqliteStorage.open(path);
    const seeded = await seedStudies(writer);
    ds = await openDashboardStorage(`sqlite:///${path}`);
    const made = createDashboardApp({ storage: ds, artifactsDir: dir, webDir: join(dir, 'no-web') });
    close = made.close;
    fx = { app: made.app, writer, seeded };
  });
  after(async () => {
    close();
    await ds.close();
    await fx.writer.close();
    rmSync(dir, { recursive: true, force: true });
  });
  apiCases(() => fx);

  it('never writes to the database file', async () => {
    const hash = () => createHash('sha1').update(readFileSync(path)).digest('hex');
    const before = hash();
    for (const p of ['/api/studies', `/api/studies/${fx.seeded.min}`, `/api/studies/${fx.seeded.min}/trials`, `/api/studies/${fx.seeded.min}/importance`]) {
      assert.equal((await getJson(fx.app, p)).status, 200);
    }
    assert.equal(hash(), before);
  });

  it('refuses a missing SQLite file instead of creating it', async () => {
    await assert.rejects(openDashboardStorage(join(dir, 'nope.db')), /does not exist/);
  });

  it('refuses Host names other than loopback when told to (DNS rebinding)', async () => {
    const { app } = createDashboardApp({ storage: ds, artifactsDir: dir, allowedHosts: ['127.0.0.1', 'localhost'] });
    const r = await app.request('http://evil.example/api/studies', { headers: { host: 'evil.example:8080' } });
    assert.equal(r.status, 403);
    const ok = await app.request('http://localhost/api/studies', { headers: { host: 'localhost:8080' } });
    assert.equal(ok.status, 200);
  });
});
