// Runs the shared Storage contract on the SQLite backend (file in a temp folder, and ':memory:').
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe } from 'node:test';
import { runStorageContract } from '../../contract/storage.contract.ts';
import { SqliteStorage } from '../../../src/tune/storage/sqlite/storage.ts';
import { testHeartbeatOnStart } from '../../fixtures/storage/heartbeat-on-start.ts';

const dir = mkdtempSync(join(tmpdir(), 'tokcast-sqlite-'));
after(() => rmSync(dir, { recursive: true, force: true }));

runStorageContract('sqlite file', async () => SqliteStorage.open(join(dir, 'studies.db')));
runStorageContract('sqlite :memory:', async () => SqliteStorage.open(':memory:'));

describe('sqlite storage options', () => {
  let n = 0;
  testHeartbeatOnStart(async (heartbeatOnStart) => SqliteStorage.open(join(dir, `hb-${n++}.db`), { heartbeatOnStart }));
});
