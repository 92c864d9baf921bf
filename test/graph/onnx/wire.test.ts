import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PbWriter } from '../../../src/graph/onnx/wire.ts';

const hex = (u: Uint8Array) => Buffer.from(u).toString('hex');

test('varints, negative int64, fixed32 floats and nested messages follow the protobuf encoding', () => {
  // examples from protobuf.dev encoding guide: 150 -> 96 01 on field 1
  assert.equal(hex(new PbWriter().int(1, 150).finish()), '089601');
  // -1 as int64 is ten bytes
  assert.equal(hex(new PbWriter().int(2, -1).finish()), '10ffffffffffffffffff01');
  // 2^40: five empty 7-bit groups, then 2^5
  assert.equal(hex(new PbWriter().int(1, 2 ** 40).finish()), '08808080808020');
  assert.equal(hex(new PbWriter().float(2, 1).finish()), '150000803f');
  assert.equal(hex(new PbWriter().string(2, 'testing').finish()), '120774657374696e67');
  assert.equal(hex(new PbWriter().message(3, new PbWriter().int(1, 150)).finish()), '1a03089601');
  assert.equal(hex(new PbWriter().packedInts(4, [3, 270, 86942]).finish()), '2206038e029ea705');
  const big = new Uint8Array(1000).fill(7);
  const out = new PbWriter().int(1, 1).bytes(9, big).int(2, 5).finish();
  assert.equal(out.length, 2 + 3 + 1000 + 2);
  assert.equal(hex(out.subarray(0, 5)), '08014ae807');
  assert.equal(hex(out.subarray(1005)), '1005');
});
