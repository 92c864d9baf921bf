import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emptyCache, mergePage, missingRanges, readCache, writeCache, cachePath } from '../../../src/data/binance/cache.ts';

const H = 3_600_000;
const k = (h: number) => ({ openTime: h * H, open: h, high: h + 1, low: h - 1, close: h, volume: 1, closeTime: h * H + H - 1 });

test('covered ranges decide what is missing; gaps inside covered ranges are not refetched', () => {
  const c = emptyCache('BTCUSDT', 'http://x');
  assert.deepEqual(missingRanges(c, 0, 10 * H), [[0, 10 * H]]);
  mergePage(c, [k(0), k(1), k(3)], 0, 3 * H); // hour 2 is a gap the exchange has
  mergePage(c, [k(7), k(8)], 6 * H, 8 * H);
  assert.deepEqual(c.covered, [[0, 3 * H], [6 * H, 8 * H]]);
  assert.deepEqual(missingRanges(c, 0, 10 * H), [[4 * H, 5 * H], [9 * H, 10 * H]]);
  assert.deepEqual(missingRanges(c, 1 * H, 2 * H), []);
  mergePage(c, [k(4), k(5)], 4 * H, 5 * H);
  assert.deepEqual(c.covered, [[0, 8 * H]]);
  assert.deepEqual(c.t.map((t) => t / H), [0, 1, 3, 4, 5, 7, 8]);
  assert.deepEqual(c.h, [1, 2, 4, 5, 6, 8, 9]);
});

test('cache files round-trip; corrupt or other-source files count as empty', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tokcast-cache-'));
  const c = emptyCache('ETHUSDT', 'http://x');
  mergePage(c, [k(0), k(1)], 0, H);
  writeCache(dir, c);
  assert.deepEqual(readCache(dir, 'ETHUSDT', 'http://x'), c);
  assert.deepEqual(readCache(dir, 'ETHUSDT', 'http://other').t, []);
  writeFileSync(cachePath(dir, 'ETHUSDT'), '{"symbol": "ETHUSDT", "t": [1, 2');
  assert.deepEqual(readCache(dir, 'ETHUSDT', 'http://x').t, []);
});
