// Parquet round trips through src/data/parquet.ts: every column type, NaN <-> NULL, subsets, atomic replace, errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { writeParquet, readParquet, parquetColumns, parquetRowCount } from '../../src/data/parquet.ts';

const dir = mkdtempSync(join(tmpdir(), 'tokcast-parquet-'));

test('every column type round-trips exactly, NaN comes back as NaN, across several data chunks', async () => {
  const n = 5000; // > 2 chunks of 2048
  const f64 = new Float64Array(n).map((_, i) => (i % 97 === 0 ? NaN : i * 1.1 - 3e-9));
  f64[1] = -0; f64[2] = Infinity; f64[3] = 1e-300;
  const cols = {
    open_time: new Float64Array(n).map((_, i) => 1577836800000 + i * 3600000),
    f64,
    f32: new Float32Array(n).map((_, i) => (i === 7 ? NaN : i / 3)),
    i8: new Int8Array(n).map((_, i) => (i % 256) - 128),
    u8: new Uint8Array(n).map((_, i) => i % 256),
    i16: new Int16Array(n).map((_, i) => i - 2500),
    u16: new Uint16Array(n).map((_, i) => i * 13),
    i32: new Int32Array(n).map((_, i) => i * 1000 - 7),
    u32: new Uint32Array(n).map((_, i) => 4e9 - i),
    i64: new BigInt64Array(n).map((_, i) => BigInt(i) * 10n ** 12n - 5n),
    s: Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 'a long string, with "quotes" and ünïcode' : `r${i}`)),
  };
  const path = join(dir, 'all.parquet');
  await writeParquet(path, cols);
  const back = await readParquet(path);
  assert.deepEqual(Object.keys(back), Object.keys(cols));
  for (const [name, col] of Object.entries(cols)) {
    const got = back[name]!;
    assert.equal(got.constructor, col.constructor, name);
    assert.equal(got.length, n, name);
    for (let i = 0; i < n; i++) {
      if (!Object.is(got[i], col[i])) assert.fail(`${name}[${i}]: wrote ${String(col[i])}, read ${String(got[i])}`);
    }
  }
  assert.equal(await parquetRowCount(path), n);
  const info = await parquetColumns(path);
  assert.deepEqual(info.map((c) => c.type), ['DOUBLE', 'DOUBLE', 'FLOAT', 'TINYINT', 'UTINYINT', 'SMALLINT', 'USMALLINT',
    'INTEGER', 'UINTEGER', 'BIGINT', 'VARCHAR']);
});

test('NaN is stored as NULL (so other Parquet readers see missing values)', async () => {
  const path = join(dir, 'nan.parquet');
  await writeParquet(path, { x: new Float64Array([1, NaN, 3]) });
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  const r = await conn.runAndReadAll(`SELECT count(*) FILTER (WHERE x IS NULL) AS nulls FROM read_parquet('${path}')`);
  assert.equal(Number(r.getColumnsJS()[0]![0]), 1);
  conn.closeSync();
});

test('a subset of columns is read in the asked order; a missing column is named', async () => {
  const path = join(dir, 'sub.parquet');
  await writeParquet(path, { a: new Float64Array([1, 2]), b: new Int32Array([3, 4]), c: new Uint8Array([5, 6]) });
  const got = await readParquet(path, { columns: ['c', 'a'] });
  assert.deepEqual(Object.keys(got), ['c', 'a']);
  assert.deepEqual([...got.c!], [5, 6]);
  await assert.rejects(readParquet(path, { columns: ['zz'] }), /no column "zz"/);
  await assert.rejects(readParquet(join(dir, 'nope.parquet')), /no such Parquet file/);
});

test('zero rows round-trip', async () => {
  const path = join(dir, 'empty.parquet');
  await writeParquet(path, { a: new Float64Array(0), b: new Uint8Array(0) });
  const got = await readParquet(path);
  assert.equal(got.a!.length, 0);
  assert.ok(got.b instanceof Uint8Array);
});

test('writes are atomic: a failed write leaves the old file untouched and no temp files behind', async () => {
  const sub = mkdtempSync(join(dir, 'atomic-'));
  const path = join(sub, 't.parquet');
  await writeParquet(path, { a: new Float64Array([1, 2, 3]) });
  const before = readFileSync(path);
  await assert.rejects(writeParquet(path, { a: new Float64Array([1]), b: new Float64Array([1, 2]) }), /has 2 rows/);
  await assert.rejects(writeParquet(path, { a: [1, 2] as unknown as string[] }));
  assert.deepEqual(readFileSync(path), before);
  await writeParquet(path, { a: new Float64Array([9]) });
  assert.deepEqual([...(await readParquet(path)).a!], [9]);
  assert.deepEqual(readdirSync(sub), ['t.parquet']);
});

test('timestamps written by other tools read as ms since epoch; NULL in an integer column is an error', async () => {
  const path = join(dir, 'ts.parquet');
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  await conn.run(`COPY (SELECT TIMESTAMP '2020-01-01 01:00:00' AS t, NULL::INTEGER AS k UNION ALL SELECT TIMESTAMP '2020-01-01 02:00:00', 5) TO '${path}' (FORMAT parquet)`);
  conn.closeSync();
  const got = await readParquet(path, { columns: ['t'] });
  assert.deepEqual([...got.t!].sort(), [Date.UTC(2020, 0, 1, 1), Date.UTC(2020, 0, 1, 2)]);
  await assert.rejects(readParquet(path), /column "k" row \d is NULL/);
});

test('a file that is not Parquet is an error naming it', async () => {
  const path = join(dir, 'bad.parquet');
  writeFileSync(path, 'not parquet');
  await assert.rejects(readParquet(path), /bad\.parquet/);
});
