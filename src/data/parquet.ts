// Parquet tables of typed-array columns, written and read through DuckDB (@duckdb/node-api): data chunks into an
// appender (no row-by-row INSERT), `COPY ... TO` a temp file in the same folder, then rename (atomic).
import { mkdirSync, renameSync, unlinkSync, existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import {
  DuckDBInstance, DuckDBConnection, DuckDBDataChunk, DuckDBTypeId, DuckDBType,
  DOUBLE, FLOAT, TINYINT, UTINYINT, SMALLINT, USMALLINT, INTEGER, UINTEGER, BIGINT, VARCHAR,
} from '@duckdb/node-api';
import duckdb from '@duckdb/node-bindings';
import { UserError } from '../util/errors.ts';

/** A column: float columns may hold NaN (stored as NULL); integer columns may not hold NULL. */
export type Column =
  | Float64Array | Float32Array | Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array
  | BigInt64Array | string[];

/** Columns by name, in file order; every column has the same length. */
export type Columns = Record<string, Column>;

export interface ParquetColumnInfo { name: string; type: string }

const CHUNK_ROWS = 2048; // DuckDB's standard vector size: the most one data chunk holds

let instancePromise: Promise<DuckDBInstance> | null = null;
function instance(): Promise<DuckDBInstance> {
  instancePromise ??= DuckDBInstance.create(':memory:');
  return instancePromise;
}

async function withConnection<T>(fn: (c: DuckDBConnection) => Promise<T>): Promise<T> {
  const conn = await (await instance()).connect();
  try {
    return await fn(conn);
  } finally {
    conn.closeSync();
  }
}

function duckType(name: string, col: Column): DuckDBType {
  if (col instanceof Float64Array) return DOUBLE;
  if (col instanceof Float32Array) return FLOAT;
  if (col instanceof Int8Array) return TINYINT;
  if (col instanceof Uint8Array) return UTINYINT;
  if (col instanceof Int16Array) return SMALLINT;
  if (col instanceof Uint16Array) return USMALLINT;
  if (col instanceof Int32Array) return INTEGER;
  if (col instanceof Uint32Array) return UINTEGER;
  if (col instanceof BigInt64Array) return BIGINT;
  if (Array.isArray(col)) return VARCHAR;
  throw new TypeError(`parquet: column "${name}" has an unsupported type ${(col as object).constructor?.name}`);
}

function quoteIdent(s: string): string {
  return `"${s.replaceAll('"', '""')}"`;
}

function quoteString(s: string): string {
  return `'${s.replaceAll("'", "''")}'`;
}

let tmpCounter = 0;

/** Writes `columns` as one Parquet file at `path` atomically (temp file in the same folder, then rename); NaN floats become NULL. */
export async function writeParquet(path: string, columns: Columns): Promise<void> {
  const names = Object.keys(columns);
  if (names.length === 0) throw new TypeError('parquet: a table needs at least one column');
  const n = columns[names[0]!]!.length;
  for (const name of names) {
    if (columns[name]!.length !== n) {
      throw new TypeError(`parquet: column "${name}" has ${columns[name]!.length} rows, "${names[0]}" has ${n}`);
    }
  }
  const types = names.map((name) => duckType(name, columns[name]!));
  mkdirSync(dirname(path), { recursive: true });
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${tmpCounter++}.tmp`);
  const table = `t_${process.pid}_${tmpCounter++}`;
  await withConnection(async (conn) => {
    await conn.run(`CREATE TABLE ${table} (${names.map((nm, i) => `${quoteIdent(nm)} ${types[i]!.toString()}`).join(', ')})`);
    try {
      const appender = await conn.createAppender(table);
      for (let start = 0; start < n; start += CHUNK_ROWS) {
        const rows = Math.min(CHUNK_ROWS, n - start);
        const chunk = DuckDBDataChunk.create(types, rows);
        for (let c = 0; c < names.length; c++) fillVector(chunk, c, columns[names[c]!]!, start, rows);
        appender.appendDataChunk(chunk);
      }
      appender.closeSync();
      await conn.run(`COPY ${table} TO ${quoteString(tmp)} (FORMAT parquet, COMPRESSION snappy)`);
    } catch (e) {
      if (existsSync(tmp)) unlinkSync(tmp);
      throw e;
    } finally {
      await conn.run(`DROP TABLE IF EXISTS ${table}`);
    }
  });
  renameSync(tmp, path);
}

// numeric columns: one memcpy into the vector, plus a validity bitmap only when NaN occurs (NaN -> NULL)
function fillVector(chunk: DuckDBDataChunk, c: number, col: Column, start: number, rows: number): void {
  if (Array.isArray(col)) {
    const vec = chunk.getColumnVector(c) as unknown as { setItem(i: number, v: unknown): void; flush(): void };
    for (let i = 0; i < rows; i++) vec.setItem(i, col[start + i]!);
    vec.flush();
    return;
  }
  const raw = duckdb.data_chunk_get_vector(chunk.chunk, c);
  const part = col.subarray(start, start + rows);
  duckdb.copy_data_to_vector(raw, 0, part.buffer as ArrayBuffer, part.byteOffset, part.byteLength);
  if (part instanceof Float64Array || part instanceof Float32Array) {
    let mask: Uint8Array | null = null;
    for (let i = 0; i < rows; i++) {
      if (Number.isNaN(part[i]!)) {
        mask ??= new Uint8Array(Math.ceil(rows / 64) * 8).fill(0xff);
        mask[i >> 3]! &= ~(1 << (i & 7));
      }
    }
    if (mask) {
      duckdb.vector_ensure_validity_writable(raw);
      duckdb.copy_data_to_vector_validity(raw, 0, mask.buffer as ArrayBuffer, 0, mask.byteLength);
    }
  }
}

/** Column names and DuckDB type names of a Parquet file, in file order. */
export async function parquetColumns(path: string): Promise<ParquetColumnInfo[]> {
  if (!existsSync(path)) throw new UserError(`${path}: no such Parquet file`);
  return withConnection(async (conn) => {
    const r = await conn.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet(${quoteString(path)})`);
    return r.getRowObjectsJS().map((row) => ({ name: String(row.column_name), type: String(row.column_type) }));
  });
}

type Kind = { make: (n: number) => Column; select: (q: string) => string };

// what each Parquet/DuckDB column type is read into
function kindOf(typeId: DuckDBTypeId): Kind | null {
  const plain = (q: string) => q;
  switch (typeId) {
    case DuckDBTypeId.DOUBLE: return { make: (n) => new Float64Array(n), select: plain };
    case DuckDBTypeId.FLOAT: return { make: (n) => new Float32Array(n), select: plain };
    case DuckDBTypeId.TINYINT: return { make: (n) => new Int8Array(n), select: plain };
    case DuckDBTypeId.UTINYINT: return { make: (n) => new Uint8Array(n), select: plain };
    case DuckDBTypeId.BOOLEAN: return { make: (n) => new Uint8Array(n), select: (q) => `${q}::UTINYINT` };
    case DuckDBTypeId.SMALLINT: return { make: (n) => new Int16Array(n), select: plain };
    case DuckDBTypeId.USMALLINT: return { make: (n) => new Uint16Array(n), select: plain };
    case DuckDBTypeId.INTEGER: return { make: (n) => new Int32Array(n), select: plain };
    case DuckDBTypeId.UINTEGER: return { make: (n) => new Uint32Array(n), select: plain };
    case DuckDBTypeId.BIGINT: return { make: (n) => new BigInt64Array(n), select: plain };
    case DuckDBTypeId.VARCHAR: return { make: (n) => new Array<string>(n), select: plain };
    case DuckDBTypeId.TIMESTAMP: case DuckDBTypeId.TIMESTAMP_MS: case DuckDBTypeId.TIMESTAMP_S:
    case DuckDBTypeId.TIMESTAMP_NS: case DuckDBTypeId.TIMESTAMP_TZ:
      // timestamps come back as ms since epoch (UTC), the unit of CoinCandles.openTime
      return { make: (n) => new Float64Array(n), select: (q) => `epoch_ms(${q})::DOUBLE` };
    default: return null;
  }
}

/**
 * Reads a Parquet file into typed arrays: DOUBLE -> Float64Array (NULL -> NaN), integers -> the matching typed array,
 * VARCHAR -> string[], timestamps -> Float64Array of ms since epoch. `columns` picks and orders a subset.
 */
export async function readParquet(path: string, opts: { columns?: string[] } = {}): Promise<Columns> {
  if (!existsSync(path)) throw new UserError(`${path}: no such Parquet file`);
  const src = `read_parquet(${quoteString(path)})`;
  return withConnection(async (conn) => {
    const desc = await conn.run(`SELECT * FROM ${src} LIMIT 0`);
    const allNames = desc.columnNames();
    const allTypes = allNames.map((_, i) => desc.columnTypeId(i));
    const names = opts.columns ?? allNames;
    const kinds = names.map((name) => {
      const i = allNames.indexOf(name);
      if (i < 0) throw new UserError(`${path}: no column "${name}" (has ${allNames.slice(0, 8).join(', ')}${allNames.length > 8 ? ', ...' : ''})`);
      const k = kindOf(allTypes[i]!);
      if (!k) throw new UserError(`${path}: column "${name}" has type ${desc.columnType(i).toString()}, which tokcast cannot read`);
      return k;
    });
    const countReader = await conn.runAndReadAll(`SELECT count(*)::DOUBLE AS n FROM ${src}`);
    const n = Number(countReader.getColumnsJS()[0]![0]);
    const out: Columns = {};
    const cols = names.map((name, c) => (out[name] = kinds[c]!.make(n)));
    const sql = `SELECT ${names.map((nm, c) => kinds[c]!.select(quoteIdent(nm))).join(', ')} FROM ${src}`;
    const result = await conn.stream(sql);
    let offset = 0;
    for (;;) {
      const chunk = await result.fetchChunk();
      if (!chunk || chunk.rowCount === 0) break;
      const rows = chunk.rowCount;
      if (offset + rows > n) throw new Error(`${path}: more rows than its count (${n})`);
      for (let c = 0; c < names.length; c++) readVector(chunk, c, cols[c]!, offset, rows, () => `${path}: column "${names[c]}" row`);
      offset += rows;
    }
    if (offset !== n) throw new Error(`${path}: read ${offset} rows, expected ${n}`);
    return out;
  });
}

// numeric columns: one copy out of the vector's memory; NULLs become NaN (floats) or an error (integers)
function readVector(chunk: DuckDBDataChunk, c: number, col: Column, offset: number, rows: number, where: () => string): void {
  if (Array.isArray(col)) {
    const vec = chunk.getColumnVector(c) as unknown as { getItem(i: number): unknown };
    for (let i = 0; i < rows; i++) {
      const v = vec.getItem(i);
      if (v === null) throw new UserError(`${where()} ${offset + i} is NULL; expected a value`);
      col[offset + i] = v as string;
    }
    return;
  }
  const raw = duckdb.data_chunk_get_vector(chunk.chunk, c);
  const bytes = duckdb.vector_get_data(raw, rows * col.BYTES_PER_ELEMENT);
  const dst = col.subarray(offset, offset + rows);
  new Uint8Array(dst.buffer, dst.byteOffset, dst.byteLength).set(bytes.subarray(0, dst.byteLength));
  const validity = duckdb.vector_get_validity(raw, Math.ceil(rows / 64) * 8);
  if (!validity) return;
  const isFloat = dst instanceof Float64Array || dst instanceof Float32Array;
  for (let i = 0; i < rows; i++) {
    if ((validity[i >> 3]! & (1 << (i & 7))) === 0) {
      if (!isFloat) throw new UserError(`${where()} ${offset + i} is NULL; expected a value`);
      dst[i] = NaN;
    }
  }
}

/** Number of rows of a Parquet file (from its metadata). */
export async function parquetRowCount(path: string): Promise<number> {
  if (!existsSync(path)) throw new UserError(`${path}: no such Parquet file`);
  return withConnection(async (conn) => {
    const r = await conn.runAndReadAll(`SELECT count(*)::DOUBLE AS n FROM read_parquet(${quoteString(path)})`);
    return Number(r.getColumnsJS()[0]![0]);
  });
}
