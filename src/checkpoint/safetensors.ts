// Reads and writes the safetensors format (huggingface/safetensors, docs "Format"): u64 LE header size N,
// N bytes of UTF-8 JSON padded with spaces to 8-byte alignment, then the tensors' bytes, contiguous, LE, row-major.
import { readFileSync } from 'node:fs';
import { endianness } from 'node:os';
import { writeFileAtomic } from '../util/fs.ts';
import { UserError } from '../util/errors.ts';

/** Safetensors dtype names (the subset of the format that maps onto JS typed arrays; F16/BF16 are raw 16-bit words). */
export type Dtype = 'F64' | 'F32' | 'F16' | 'BF16' | 'I64' | 'I32' | 'I16' | 'I8' | 'U64' | 'U32' | 'U16' | 'U8' | 'BOOL';

export type TypedArray =
  | Float64Array | Float32Array | BigInt64Array | BigUint64Array | Int32Array | Uint32Array
  | Int16Array | Uint16Array | Int8Array | Uint8Array;

/** One named tensor: `data` holds prod(shape) elements in row-major order. */
export interface SafeTensor {
  dtype: Dtype;
  shape: number[];
  data: TypedArray;
}

export interface SafetensorsFile {
  tensors: Record<string, SafeTensor>;
  metadata: Record<string, string>;
}

type ArrayCtor = { new (buf: ArrayBuffer, off?: number, len?: number): TypedArray; BYTES_PER_ELEMENT: number; name: string };

// dtype -> (bytes per element, typed array used to hold it)
const DTYPES: Record<Dtype, ArrayCtor> = {
  F64: Float64Array, F32: Float32Array, F16: Uint16Array, BF16: Uint16Array,
  I64: BigInt64Array, I32: Int32Array, I16: Int16Array, I8: Int8Array,
  U64: BigUint64Array, U32: Uint32Array, U16: Uint16Array, U8: Uint8Array, BOOL: Uint8Array,
};

const MAX_HEADER = 100_000_000; // the reference implementation's limit

if (endianness() !== 'LE') throw new Error('safetensors.ts assumes a little-endian host');

function isDtype(s: unknown): s is Dtype {
  return typeof s === 'string' && Object.prototype.hasOwnProperty.call(DTYPES, s);
}

function elementCount(shape: number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Serialises tensors (in the given key order) and string metadata into safetensors bytes. */
export function encodeSafetensors(tensors: Record<string, SafeTensor>, metadata?: Record<string, string>): Uint8Array {
  const header: Record<string, unknown> = {};
  if (metadata && Object.keys(metadata).length > 0) {
    for (const [k, v] of Object.entries(metadata)) {
      if (typeof v !== 'string') throw new TypeError(`safetensors metadata "${k}" must be a string, got ${typeof v}`);
    }
    header.__metadata__ = metadata;
  }
  let offset = 0;
  const parts: Uint8Array[] = [];
  for (const [name, t] of Object.entries(tensors)) {
    if (name === '__metadata__') throw new TypeError('safetensors: "__metadata__" is reserved and cannot name a tensor');
    if (!isDtype(t.dtype)) throw new TypeError(`safetensors: tensor "${name}" has unknown dtype ${String(t.dtype)}`);
    if (!t.shape.every((s) => Number.isInteger(s) && s >= 0)) {
      throw new TypeError(`safetensors: tensor "${name}" has a bad shape [${t.shape.join(', ')}]`);
    }
    const ctor = DTYPES[t.dtype];
    if (!(t.data instanceof ctor)) {
      throw new TypeError(`safetensors: tensor "${name}" with dtype ${t.dtype} needs a ${ctor.name}, got ${t.data.constructor.name}`);
    }
    const n = elementCount(t.shape);
    if (t.data.length !== n) {
      throw new TypeError(`safetensors: tensor "${name}" has shape [${t.shape.join(', ')}] (${n} elements) but ${t.data.length} values`);
    }
    const bytes = new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
    header[name] = { dtype: t.dtype, shape: t.shape, data_offsets: [offset, offset + bytes.length] };
    parts.push(bytes);
    offset += bytes.length;
  }
  let json = Buffer.from(JSON.stringify(header), 'utf8');
  const pad = (8 - (json.length % 8)) % 8;
  if (pad > 0) json = Buffer.concat([json, Buffer.alloc(pad, 0x20)]);
  const out = new Uint8Array(8 + json.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  let pos = 8 + json.length;
  for (const p of parts) {
    out.set(p, pos);
    pos += p.length;
  }
  return out;
}

/** Parses safetensors bytes, validating header, dtypes, shapes and offsets; `source` names the file in errors. */
export function decodeSafetensors(bytes: Uint8Array, source = '<buffer>'): SafetensorsFile {
  const fail = (what: string): never => {
    throw new UserError(`${source}: not a valid safetensors file: ${what}`);
  };
  if (bytes.length < 8) fail(`truncated: ${bytes.length} bytes, the 8-byte header size is missing`);
  const n64 = new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true);
  if (n64 > BigInt(MAX_HEADER)) fail(`header size ${n64} exceeds the ${MAX_HEADER}-byte limit`);
  const n = Number(n64);
  if (8 + n > bytes.length) fail(`truncated: header says ${n} bytes of JSON but the file has only ${bytes.length - 8} after the size`);
  const headerBytes = bytes.subarray(8, 8 + n);
  if (headerBytes[0] !== 0x7b) fail('header does not start with "{"');
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(headerBytes));
  } catch (e) {
    fail(`header is not valid UTF-8 JSON (${(e as Error).message})`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) fail('header is not a JSON object');
  const h = header as Record<string, unknown>;
  const data = bytes.subarray(8 + n);
  const metadata: Record<string, string> = {};
  if (h.__metadata__ !== undefined) {
    const m = h.__metadata__;
    if (typeof m !== 'object' || m === null || Array.isArray(m)) fail('"__metadata__" is not an object');
    for (const [k, v] of Object.entries(m as Record<string, unknown>)) {
      if (typeof v !== 'string') fail(`metadata "${k}" is not a string`);
      metadata[k] = v as string;
    }
  }
  const entries: { name: string; dtype: Dtype; shape: number[]; begin: number; end: number }[] = [];
  for (const [name, info] of Object.entries(h)) {
    if (name === '__metadata__') continue;
    if (typeof info !== 'object' || info === null) fail(`tensor "${name}" has no info object`);
    const { dtype, shape, data_offsets: offs } = info as Record<string, unknown>;
    if (!isDtype(dtype)) fail(`tensor "${name}" has unknown dtype ${JSON.stringify(dtype)}`);
    if (!Array.isArray(shape) || !shape.every((s) => Number.isSafeInteger(s) && s >= 0)) {
      fail(`tensor "${name}" has a bad shape ${JSON.stringify(shape)}`);
    }
    if (!Array.isArray(offs) || offs.length !== 2 || !offs.every((o) => Number.isSafeInteger(o) && o >= 0) || offs[0] > offs[1]) {
      fail(`tensor "${name}" has bad data_offsets ${JSON.stringify(offs)}`);
    }
    const [begin, end] = offs as number[];
    const want = elementCount(shape as number[]) * DTYPES[dtype as Dtype].BYTES_PER_ELEMENT;
    if (end - begin !== want) {
      fail(`tensor "${name}" (${dtype} [${(shape as number[]).join(', ')}]) needs ${want} bytes but data_offsets [${begin}, ${end}] span ${end - begin}`);
    }
    entries.push({ name, dtype: dtype as Dtype, shape: shape as number[], begin, end });
  }
  // tensors must tile the byte buffer exactly: no holes, no overlap
  const sorted = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let expected = 0;
  for (const e of sorted) {
    if (e.begin !== expected) {
      fail(e.begin < expected
        ? `tensor "${e.name}" overlaps the previous tensor (starts at ${e.begin}, previous ends at ${expected})`
        : `hole in the data: tensor "${e.name}" starts at ${e.begin}, expected ${expected}`);
    }
    expected = e.end;
  }
  if (expected > data.length) fail(`truncated: tensors need ${expected} data bytes but the file has ${data.length}`);
  if (expected < data.length) fail(`${data.length - expected} trailing bytes after the last tensor`);
  const tensors: Record<string, SafeTensor> = {};
  for (const e of entries) {
    const copy = new Uint8Array(e.end - e.begin); // fresh, aligned buffer (Buffer.slice would alias)
    copy.set(data.subarray(e.begin, e.end));
    const ctor = DTYPES[e.dtype];
    tensors[e.name] = { dtype: e.dtype, shape: e.shape, data: new ctor(copy.buffer, 0, (e.end - e.begin) / ctor.BYTES_PER_ELEMENT) };
  }
  return { tensors, metadata };
}

/** Writes a safetensors file atomically (readers never see half a file). */
export function writeSafetensors(path: string, tensors: Record<string, SafeTensor>, metadata?: Record<string, string>): void {
  writeFileAtomic(path, encodeSafetensors(tensors, metadata));
}

/** Reads and validates a safetensors file; errors name the file and what is wrong. */
export function readSafetensors(path: string): SafetensorsFile {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new UserError(`${path}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  return decodeSafetensors(bytes, path);
}
