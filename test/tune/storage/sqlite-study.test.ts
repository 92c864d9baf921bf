// The Study API on a SQLite file: optimise, prune, reload (see fixtures/storage/study-on-storage.ts).
import { after, describe } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStorage } from '../../../src/tune/storage/sqlite/storage.ts';
import { testStudyOnStorage } from '../../fixtures/storage/study-on-storage.ts';

const dir = mkdtempSync(join(tmpdir(), 'tokcast-sqlite-study-'));
after(() => rmSync(dir, { recursive: true, force: true }));
describe('Study API on sqlite', () => testStudyOnStorage(async () => SqliteStorage.open(join(dir, 'study.db'))));
