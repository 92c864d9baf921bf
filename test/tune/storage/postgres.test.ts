// Runs the shared Storage contract on the PostgreSQL backend in a throw-away schema; skipped loudly without a server.
import { after, describe, it } from 'node:test';
import { runStorageContract } from '../../contract/storage.contract.ts';
import { PostgresStorage } from '../../../src/tune/storage/postgres/storage.ts';
import { testHeartbeatOnStart } from '../../fixtures/storage/heartbeat-on-start.ts';
import { PG_URL, dropSchema, skipWithoutPostgres, uniqueSchema } from '../../fixtures/storage/pg.ts';

const skip = await skipWithoutPostgres('PostgreSQL storage contract');
if (skip) {
  it('Storage contract: postgresql', { skip }, () => {});
} else {
  const schema = uniqueSchema('contract');
  runStorageContract('postgresql', async () => PostgresStorage.open(PG_URL, { schema }), async () => dropSchema(schema));
  describe('postgresql storage options', () => {
    const hbSchema = uniqueSchema('hb');
    after(() => dropSchema(hbSchema));
    testHeartbeatOnStart(async (heartbeatOnStart) => PostgresStorage.open(PG_URL, { schema: hbSchema, heartbeatOnStart }));
  });
}
