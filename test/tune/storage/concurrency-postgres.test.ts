// Multi-process concurrency on one PostgreSQL study (row lock on the study row): see fixtures/storage/concurrency.ts.
import { runConcurrencySuite } from '../../fixtures/storage/concurrency.ts';
import { PG_URL, dropSchema, skipWithoutPostgres, uniqueSchema } from '../../fixtures/storage/pg.ts';

const skip = await skipWithoutPostgres('PostgreSQL concurrency tests');
runConcurrencySuite('postgresql', async () => {
  const schema = uniqueSchema('conc');
  return { url: `${PG_URL}?schema=${schema}`, cleanup: () => dropSchema(schema) };
}, skip);
