import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ONNX_DTYPE, allocTyped, rawBytes, tensorFrom } from '../../../src/graph/onnx/dtypes.ts';

test('dtype codes follow onnx.proto TensorProto.DataType and raw bytes are little-endian', () => {
  assert.deepEqual([ONNX_DTYPE.float32, ONNX_DTYPE.int64, ONNX_DTYPE.bool, ONNX_DTYPE.float64, ONNX_DTYPE.int32], [1, 7, 9, 11, 6]);
  const t = tensorFrom('int64', [1, -2], [2]);
  assert.ok(t.data instanceof BigInt64Array);
  assert.deepEqual(Array.from(rawBytes(t)), [1, 0, 0, 0, 0, 0, 0, 0, 254, 255, 255, 255, 255, 255, 255, 255]);
  assert.deepEqual(Array.from(rawBytes(tensorFrom('float32', [1], [1]))), [0, 0, 128, 63]);
  assert.ok(allocTyped('bool', 3) instanceof Uint8Array);
  // a view into a larger buffer serialises only its own bytes
  const big = new Float32Array([1, 2, 3, 4]);
  assert.equal(rawBytes({ dtype: 'float32', dims: [2], data: big.subarray(2) }).length, 8);
});
