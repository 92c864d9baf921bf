// The Study API on PostgreSQL: optimise, prune, reload (see fixtures/storage/study-on-storage.ts); skipped loudly without a server.
import { after, describe } from 'node:test';
import { PostgresStorage } from '../../../src/tune/storage/postgres/storage.ts';
import { testStudyOnStorage } from '../../fixtures/storage/study-on-storage.ts';
import { PG_URL, dropSchema, skipWithoutPostgres, uniqueSchema } from '../../fixtures/storage/pg.ts';

const skip = await skipWithoutPostgres('Study API on PostgreSQL');
const schema = uniqueSchema('study');
describe('Study API on postgresql', { skip }, () => {
  after(() => dropSchema(schema));
  testStudyOnStorage(async () => PostgresStorage.open(PG_URL, { schema }));
});
