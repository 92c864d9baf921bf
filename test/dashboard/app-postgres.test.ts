// Dashboard API over the PostgreSQL server, on the same seeded studies as the SQLite suite, plus what only a server
// can do: a password in the URL that must never reach an answer, and a server that goes away and comes back.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PostgresStorage } from '../../src/tune/storage/postgres/storage.ts';
import { createDashboardApp } from '../../src/dashboard/app.ts';
import { openDashboardStorage, type DashboardStorage } from '../../src/dashboard/storage.ts';
import { PG_URL, dropSchema, uniqueSchema } from '../fixtures/storage/pg.ts';
import { seedStudies } from './seed.ts';
import { apiCases, getJson, type ApiFixture } from './api-cases.ts';
import { postgresOrSkip, TcpProxy } from './pg-helpers.ts';

const SECRET = 'hunter2-Secr3t';
const withPassword = (url: string, port?: number) => {
  const u = new URL(url);
  u.password = SECRET;
  if (port !== undefined) u.port = String(port);
  return u.toString();
};

const skip = await postgresOrSkip('dashboard API on PostgreSQL');
if (!skip) {
  describe('dashboard API on PostgreSQL', () => {
    const schema = uniqueSchema('dash');
    let fx: ApiFixture;
    let ds: DashboardStorage;
    let close: () => void;
    const proxy = new TcpProxy(new URL(PG_URL).hostname, Number(new URL(PG_URL).port || 5432));
    before(async () => {
      const writer = await PostgresStorage.open(PG_URL, { schema });
      const seeded = await seedStudies(writer);
      await proxy.start();
      ds = await openDashboardStorage(`${withPassword(PG_URL, proxy.port)}?schema=${schema}`);
      const made = createDashboardApp({ storage: ds, artifactsDir: '/nonexistent-artifacts' });
      close = made.close;
      fx = { app: made.app, writer, seeded };
    });
    after(async () => {
      close();
      await ds.close();
      await fx.writer.close();
      await proxy.stop();
      await dropSchema(schema);
    });
    apiCases(() => fx);

    it('never shows the password of the storage URL', async () => {
      const info = await fx.app.request('http://127.0.0.1/api/info', { headers: { host: '127.0.0.1' } });
      const text = await info.text();
      assert.match(text, /postgres/);
      assert.ok(!text.includes(SECRET), text);
      assert.ok(!ds.label.includes(SECRET));
    });

    it('answers 503 with a storage_down banner while the server is gone, and recovers when it is back', async () => {
      assert.equal((await getJson(fx.app, `/api/studies/${fx.seeded.min}`)).status, 200);
      await proxy.stop();
      const down = await getJson(fx.app, `/api/studies/${fx.seeded.min}`);
      assert.equal(down.status, 503);
      assert.equal(down.body.storage_down, true);
      assert.ok(!JSON.stringify(down.body).includes(SECRET));
      await proxy.start();
      let back = await getJson(fx.app, `/api/studies/${fx.seeded.min}`);
      for (let i = 0; i < 5 && back.status !== 200; i++) back = await getJson(fx.app, `/api/studies/${fx.seeded.min}`);
      assert.equal(back.status, 200);
      assert.equal(back.body.n_trials, await fx.writer.getNTrials(fx.seeded.min));
    });

    it('names a server that does not answer at start without its password', async () => {
      const dead = new TcpProxy('127.0.0.1', 1);
      await dead.start();
      const port = dead.port;
      await dead.stop();
      await assert.rejects(openDashboardStorage(withPassword(PG_URL, port), { connectTimeoutMs: 1000 }), (e: Error) => {
        assert.match(e.message, /cannot read PostgreSQL storage/);
        assert.ok(!e.message.includes(SECRET), e.message);
        return true;
      });
    });
  });
}
