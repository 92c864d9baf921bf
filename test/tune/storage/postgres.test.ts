// Runs the shared Storage contract on the PostgreSQL backend in a throw-away schema; skipped loudly without a server.
import { describe } from 'node:test';
import { runStorageContract } from '../../contract/storage.contract.ts';
import { PostgresStorage } from '../../../src/tune/storage/postgres/storage.ts';
import { PG_URL, dropSchema, skipWithoutPostgres, uniqueSchema } from '../../fixtures/storage/pg.ts';

const skip = await skipWithoutPostgres('PostgreSQL storage contract');
if (skip) {
  describe('Storage contract: postgresql', { skip }, () => {});
} else {
  const schema = uniqueSchema('contract');
  runStorageContract('postgresql', async () => PostgresStorage.open(PG_URL, { schema }), async () => dropSchema(schema));
}
