// Tests the safetensors reader/writer: round trips, byte layout, corrupt files, and a cross-check with Python.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { decodeSafetensors, encodeSafetensors, readSafetensors, writeSafetensors, type SafeTensor } from '../../src/checkpoint/safetensors.ts';

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
