// The dashboard's read-only storage: a database locked by a writer, a storage missing at start that appears later,
// and password scrubbing of every message.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteStorage } from '../../src/tune/storage/sqlite/storage.ts';
import { createDashboardApp } from '../../src/dashboard/app.ts';
import { makeScrub, openDashboardStorage } from '../../src/dashboard/storage.ts';
import { startDashboard } from '../../src/dashboard/server.ts';
import { seedStudies } from './seed.ts';
import { getJson } from './api-cases.ts';

describe('dashboard storage', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tokcast-dash-st-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps answering while another process holds the write lock (WAL)', async () => {
    const path = join(dir, 'wal.db');
    const w = SqliteStorage.open(path);
    const seeded = await seedStudies(w);
    await w.close();
    const ds = await openDashboardStorage(path);
    const { app } = createDashboardApp({ storage: ds, artifactsDir: dir });
    const writer = new Database(path);
    writer.exec('BEGIN IMMEDIATE');
    writer.exec("UPDATE studies SET study_name = study_name WHERE study_id = 1");
    try {
      const r = await getJson(app, `/api/studies/${seeded.min}`);
      assert.equal(r.status, 200);
      assert.equal(r.body.n_trials, 14);
    } finally {
      writer.exec('ROLLBACK');
      writer.close();
      await ds.close();
    }
  });

  it('answers 503 storage_down while an exclusive lock blocks readers, and recovers after it', async () => {
    const path = join(dir, 'rollback.db');
    const w = SqliteStorage.open(path);
    const seeded = await seedStudies(w);
    await w.close();
    const conv = new Database(path);
    conv.pragma('journal_mode = DELETE');
    conv.close();
    const ds = await openDashboardStorage(path);
    const { app } = createDashboardApp({ storage: ds, artifactsDir: dir });
    const writer = new Database(path, { timeout: 100 });
    writer.exec('BEGIN EXCLUSIVE');
    try {
      const r = await getJson(app, `/api/studies/${seeded.min}`);
      assert.equal(r.status, 503);
      assert.equal(r.body.storage_down, true);
      assert.match(r.body.error, /storage unavailable/);
    } finally {
      writer.exec('COMMIT');
      writer.close();
    }
    const ok = await getJson(app, `/api/studies/${seeded.min}`);
    assert.equal(ok.status, 200);
    await ds.close();
  });

  it('serves a banner while the storage is missing and the studies once it exists', async () => {
    const path = join(dir, 'later.db');
    const d = await startDashboard({ storage: path, artifactsDir: dir, port: 0, host: '127.0.0.1', webDir: join(dir, 'none') });
    try {
      assert.match(d.storageError ?? '', /does not exist/);
      const first = await fetch(`${d.url}api/studies`);
      assert.equal(first.status, 503);
      assert.equal(((await first.json()) as { storage_down: boolean }).storage_down, true);
      const w = SqliteStorage.open(path);
      await seedStudies(w);
      await w.close();
      let status = 0;
      for (let i = 0; i < 40 && status !== 200; i++) {
        await new Promise((r) => setTimeout(r, 100));
        status = (await fetch(`${d.url}api/studies`)).status;
      }
      assert.equal(status, 200);
      const body = (await (await fetch(`${d.url}api/studies`)).json()) as { studies: unknown[] };
      assert.equal(body.studies.length, 4);
    } finally {
      await d.close();
    }
  });

  it('scrubs the password, plain and percent-encoded, from any text', () => {
    const scrub = makeScrub('postgresql://u:p%40ss%2Fw0rd@host:5432/db');
    assert.equal(scrub('failed for p@ss/w0rd and p%40ss%2Fw0rd'), 'failed for *** and ***');
    assert.equal(makeScrub('sqlite:///x.db')('p@ss'), 'p@ss');
  });
});
