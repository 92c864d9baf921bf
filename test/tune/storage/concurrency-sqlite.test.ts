// Multi-process concurrency on one SQLite file (WAL + busy timeout + BEGIN IMMEDIATE): see fixtures/storage/concurrency.ts.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runConcurrencySuite } from '../../fixtures/storage/concurrency.ts';

let n = 0;
runConcurrencySuite('sqlite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tokcast-conc-'));
  return { url: `sqlite:///${join(dir, `study-${n++}.db`)}`, cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
});
