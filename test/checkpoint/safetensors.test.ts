// Tests the safetensors reader/writer: round trips, byte layout, corrupt files, the file Python's safetensors wrote
// (test/fixtures/interop), the format rules on our files, and (when python3 has safetensors) a live cross-check.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { decodeSafetensors, encodeSafetensors, readSafetensors, writeSafetensors, type Dtype, type SafeTensor } from '../../src/checkpoint/safetensors.ts';
import { fixturePath, readFixtureJson } from '../fixtures/data.ts';

function sample(): Record<string, SafeTensor> {
  return {
    'embed.price': { dtype: 'F32', shape: [3, 2], data: new Float32Array([1.5, -2, 3.25, 0, 1e-7, -1e30]) },
    'z.f64': { dtype: 'F64', shape: [2], data: new Float64Array([Math.PI, -0.1]) },
    'ids': { dtype: 'I64', shape: [1, 3], data: new BigInt64Array([1n, -2n, 9007199254740993n]) },
    'i32': { dtype: 'I32', shape: [2, 1], data: new Int32Array([-7, 2147483647]) },
    'i8': { dtype: 'I8', shape: [3], data: new Int8Array([-128, 0, 127]) },
    'u8': { dtype: 'U8', shape: [], data: new Uint8Array([200]) },
    'empty': { dtype: 'F32', shape: [0, 4], data: new Float32Array(0) },
  };
}

test('round trip keeps names, dtypes, shapes, values and metadata', () => {
  const dir = mkdtempSync(join(tmpdir(), 'st-'));
  const path = join(dir, 'a.safetensors');
  writeSafetensors(path, sample(), { format: 'pt', step: '3' });
  const back = readSafetensors(path);
  assert.deepEqual(back.metadata, { format: 'pt', step: '3' });
  for (const [name, t] of Object.entries(sample())) {
    const b = back.tensors[name];
    assert.equal(b.dtype, t.dtype, name);
    assert.deepEqual(b.shape, t.shape, name);
    assert.equal(b.data.constructor, t.data.constructor, name);
    assert.deepEqual(Array.from(b.data as ArrayLike<number | bigint>), Array.from(t.data as ArrayLike<number | bigint>), name);
  }
});

test('byte layout: LE u64 size, space padding to 8, data contiguous in order', () => {
  const bytes = encodeSafetensors(sample(), { a: 'b' });
  const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
  assert.equal((8 + n) % 8, 0);
  const text = Buffer.from(bytes.subarray(8, 8 + n)).toString('utf8');
  assert.match(text, /^\{.*\} *$/);
  const h = JSON.parse(text);
  let off = 0;
  for (const name of Object.keys(sample())) {
    const [b, e] = h[name].data_offsets;
    assert.equal(b, off, name);
    off = e;
  }
  assert.equal(off, bytes.length - 8 - n);
  // first F32 value sits right after the header, little-endian
  assert.equal(new DataView(bytes.buffer).getFloat32(8 + n, true), 1.5);
});

test('writer rejects wrong element counts and array types', () => {
  assert.throws(() => encodeSafetensors({ a: { dtype: 'F32', shape: [2, 2], data: new Float32Array(3) } }), /4 elements/);
  assert.throws(() => encodeSafetensors({ a: { dtype: 'F32', shape: [1], data: new Float64Array(1) } }), /Float32Array/);
});

function withHeader(header: object, dataLen: number): Uint8Array {
  const json = Buffer.from(JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + dataLen);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  return out;
}

test('corrupt files are refused with the file name and the reason', () => {
  const dir = mkdtempSync(join(tmpdir(), 'st-'));
  const good = join(dir, 'good.safetensors');
  writeSafetensors(good, sample());
  const bytes = readFileSync(good);
  const bad = join(dir, 'bad.safetensors');
  writeFileSync(bad, bytes.subarray(0, bytes.length - 3));
  assert.throws(() => readSafetensors(bad), (e: Error) => e.message.includes(bad) && /truncated/.test(e.message));
  writeFileSync(bad, bytes.subarray(0, 5));
  assert.throws(() => readSafetensors(bad), /truncated/);
  const hugeSize = Buffer.from(bytes);
  hugeSize.writeBigUInt64LE(1n << 40n, 0);
  writeFileSync(bad, hugeSize);
  assert.throws(() => readSafetensors(bad), /header size/);
  assert.throws(() => decodeSafetensors(withHeader({ a: { dtype: 'Q7', shape: [1], data_offsets: [0, 4] } }, 4), 'f.st'), /f\.st.*unknown dtype/);
  assert.throws(() => decodeSafetensors(withHeader({ a: { dtype: 'F32', shape: [2], data_offsets: [0, 4] } }, 4)), /needs 8 bytes/);
  assert.throws(() => decodeSafetensors(withHeader({ a: { dtype: 'F32', shape: [1], data_offsets: [4, 8] } }, 8)), /hole/);
  assert.throws(() => decodeSafetensors(withHeader({
    a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] }, b: { dtype: 'F32', shape: [1], data_offsets: [4, 8] },
  }, 8)), /overlaps/);
  assert.throws(() => decodeSafetensors(withHeader({ a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] } }, 6)), /trailing/);
  assert.throws(() => decodeSafetensors(withHeader({ a: { dtype: 'F32', shape: [1, -1], data_offsets: [0, 4] } }, 4)), /bad shape/);
  assert.throws(() => decodeSafetensors(withHeader({ __metadata__: { a: 1 } }, 0)), /metadata "a"/);
  const notJson = withHeader({ a: 1 }, 0);
  notJson[9] = 0x7d;
  assert.throws(() => decodeSafetensors(notJson), /JSON/);
  assert.throws(() => readSafetensors(join(dir, 'missing.safetensors')), /missing\.safetensors: cannot read/);
});

const PY = `
import sys, json
from safetensors.numpy import load_file, save_file
import numpy as np
d = load_file(sys.argv[1])
out = {k: {"dtype": str(v.dtype), "shape": list(v.shape), "values": [int(x) if v.dtype.kind in "iu" else float(x) for x in v.reshape(-1)]} for k, v in d.items()}
save_file({"w": np.arange(6, dtype=np.float32).reshape(2, 3), "n": np.array([-5, 6], dtype=np.int64)}, sys.argv[2], metadata={"by": "python"})
print(json.dumps(out))
`;

test('Python safetensors loads our files and we load its files', (t) => {
  const probe = spawnSync('python3', ['-c', 'import safetensors.numpy, numpy'], { encoding: 'utf8' });
  if (probe.status !== 0) {
    t.skip('python3 with the safetensors and numpy packages is not installed; cross-check skipped');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'st-'));
  const ours = join(dir, 'ours.safetensors');
  const theirs = join(dir, 'theirs.safetensors');
  const tensors = sample();
  writeSafetensors(ours, tensors, { format: 'np' });
  const r = spawnSync('python3', ['-c', PY, ours, theirs], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const got = JSON.parse(r.stdout);
  for (const [name, t0] of Object.entries(tensors)) {
    assert.deepEqual(got[name].shape, t0.shape, name);
    const want = Array.from(t0.data as ArrayLike<number | bigint>, (v) => Number(v));
    assert.deepEqual(got[name].values, want, name);
  }
  const back = readSafetensors(theirs);
  assert.deepEqual(back.metadata, { by: 'python' });
  assert.deepEqual(Array.from(back.tensors.w.data as Float32Array), [0, 1, 2, 3, 4, 5]);
  assert.deepEqual(back.tensors.w.shape, [2, 3]);
  assert.deepEqual(Array.from(back.tensors.n.data as BigInt64Array), [-5n, 6n]);
});

// ---- interop without Python: the file the Python library wrote (test/fixtures/interop) and the format rules ----

interface PyTensor { dtype: string; shape: number[]; values: (number | boolean)[] }
const pyJson = readFixtureJson<{ metadata: Record<string, string>; tensors: Record<string, PyTensor> }>('interop', 'python-written.json');
const pyBytes = new Uint8Array(readFileSync(fixturePath('interop', 'python-written.safetensors')));
const NUMPY_TO_ST: Record<string, Dtype> = { float32: 'F32', float64: 'F64', float16: 'F16', int64: 'I64', int32: 'I32', uint8: 'U8', bool: 'BOOL' };

/** IEEE 754 half (raw 16-bit word) to a number. */
function halfToNumber(h: number): number {
  const s = h & 0x8000 ? -1 : 1, e = (h >> 10) & 0x1f, f = h & 0x3ff;
  if (e === 0) return s * f * 2 ** -24;
  if (e === 31) return f ? NaN : s * Infinity;
  return s * (1 + f / 1024) * 2 ** (e - 15);
}

/** The values of a tensor as plain numbers (F16 decoded, BOOL as 0/1, integers exact below 2^53 or powers of 2). */
function numbersOf(t: SafeTensor): number[] {
  const raw = Array.from(t.data as ArrayLike<number | bigint>, (v) => Number(v));
  return t.dtype === 'F16' ? raw.map(halfToNumber) : raw;
}

const ST_BYTES: Record<string, number> = { F64: 8, F32: 4, F16: 2, BF16: 2, I64: 8, I32: 4, I16: 2, I8: 1, U64: 8, U32: 4, U16: 2, U8: 1, BOOL: 1 };

/**
 * The safetensors format rules, checked on raw bytes independently of src/checkpoint: u64 LE header size N; the
 * header is JSON padded with spaces so the data starts at a multiple of 8; string metadata; known dtype names;
 * each tensor's byte range is prod(shape) * dtype size; ranges start at 0, touch without gaps or overlaps, and end
 * at the end of the file. Returns the problems found (empty = valid).
 */
function formatProblems(bytes: Uint8Array): string[] {
  const problems: string[] = [];
  const n = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
  if ((8 + n) % 8 !== 0) problems.push(`data starts at ${8 + n}, not a multiple of 8`);
  const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + n));
  const body = text.replace(/ +$/, '');
  if (!body.startsWith('{') || !body.endsWith('}')) problems.push('header is not a JSON object followed by space padding');
  const header = JSON.parse(body) as Record<string, { dtype: string; shape: number[]; data_offsets: [number, number] } | Record<string, unknown>>;
  const ranges: [number, number, string][] = [];
  for (const [name, v] of Object.entries(header)) {
    if (name === '__metadata__') {
      for (const [k, s] of Object.entries(v)) if (typeof s !== 'string') problems.push(`metadata ${k} is not a string`);
      continue;
    }
    const t = v as { dtype: string; shape: number[]; data_offsets: [number, number] };
    if (!(t.dtype in ST_BYTES)) { problems.push(`${name}: unknown dtype ${t.dtype}`); continue; }
    if (!t.shape.every((d) => Number.isInteger(d) && d >= 0)) problems.push(`${name}: bad shape ${JSON.stringify(t.shape)}`);
    const [b, e] = t.data_offsets;
    const want = t.shape.reduce((a, d) => a * d, 1) * ST_BYTES[t.dtype]!;
    if (e - b !== want) problems.push(`${name}: ${e - b} bytes for ${t.dtype}${JSON.stringify(t.shape)}, expected ${want}`);
    ranges.push([b, e, name]);
  }
  ranges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let at = 0;
  for (const [b, e, name] of ranges) {
    if (b !== at) problems.push(`${name}: starts at ${b}, the previous tensor ends at ${at}`);
    at = e;
  }
  if (8 + n + at !== bytes.length) problems.push(`tensors end at ${8 + n + at}, the file has ${bytes.length} bytes`);
  return problems;
}

test('the file written by Python safetensors loads with every tensor equal to its JSON', () => {
  assert.deepEqual(formatProblems(pyBytes), [], 'the reference file follows the rules this test checks');
  const f = decodeSafetensors(pyBytes, 'python-written.safetensors');
  assert.deepEqual(f.metadata, pyJson.metadata);
  assert.deepEqual(Object.keys(f.tensors).sort(), Object.keys(pyJson.tensors).sort());
  for (const [name, want] of Object.entries(pyJson.tensors)) {
    const t = f.tensors[name]!;
    assert.equal(t.dtype, NUMPY_TO_ST[want.dtype], name);
    assert.deepEqual(t.shape, want.shape, name);
    assert.deepEqual(numbersOf(t), want.values.map(Number), name);
  }
  assert.equal(f.tensors.i64!.data.constructor, BigInt64Array);
  assert.equal((f.tensors.i64!.data as BigInt64Array)[0], -(2n ** 62n));
});

test('tokcast writes files that follow the format rules, byte for byte like the Python library', () => {
  // the Python tensors rebuilt from the JSON, in the reference's order (by alignment, then name)
  const order = Object.entries(JSON.parse(new TextDecoder().decode(pyBytes.subarray(8, 8 + Number(new DataView(pyBytes.buffer, pyBytes.byteOffset).getBigUint64(0, true))))) as Record<string, unknown>)
    .map(([k]) => k).filter((k) => k !== '__metadata__');
  const rebuilt: Record<string, SafeTensor> = {};
  const original = decodeSafetensors(pyBytes);
  for (const name of order) {
    const want = pyJson.tensors[name]!;
    const dtype = NUMPY_TO_ST[want.dtype]!;
    const vals = want.values.map(Number);
    const data = dtype === 'F16' ? original.tensors[name]!.data // raw half words: no JS half encoder to compare against
      : dtype === 'I64' ? BigInt64Array.from(want.values.map((v) => BigInt(v as number)))
      : dtype === 'F64' ? Float64Array.from(vals) : dtype === 'F32' ? Float32Array.from(vals) : dtype === 'I32' ? Int32Array.from(vals) : Uint8Array.from(vals);
    rebuilt[name] = { dtype, shape: want.shape, data };
  }
  const ours = encodeSafetensors(rebuilt, pyJson.metadata);
  assert.deepEqual(formatProblems(ours), []);
  assert.deepEqual(Buffer.from(ours).equals(Buffer.from(pyBytes)), true, 'same tensors and metadata, same bytes as the reference writer');
  // and files in any other tensor order or without metadata still follow the rules
  assert.deepEqual(formatProblems(encodeSafetensors(sample())), []);
  assert.deepEqual(formatProblems(encodeSafetensors(sample(), { format: 'pt', note: 'x'.repeat(13) })), []);
});
