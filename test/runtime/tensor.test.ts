import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bool, float32, float64, fromOrt, int64, scalarOf, toNumbers, toOrt } from '../../src/runtime/tensor.ts';

test('host tensors round-trip through ort tensors without losing int64 or dtype', () => {
  const i = int64([1, -5, 2 ** 53], [3]);
  assert.deepEqual(Array.from(i.data as BigInt64Array), [1n, -5n, 2n ** 53n]);
  const back = fromOrt(toOrt(i));
  assert.equal(back.dtype, 'int64');
  assert.deepEqual(toNumbers(back), [1, -5, 2 ** 53]);
  assert.equal(fromOrt(toOrt(float64([0.1], [1]))).dtype, 'float64');
  assert.deepEqual(Array.from(bool([true, 0, 1], [3]).data as Uint8Array), [1, 0, 1]);
  assert.equal(scalarOf(float32([2.5], [])), 2.5);
  assert.throws(() => toOrt(float32([1, 2, 3], [2, 2])), /3 values for dims \[2,2\]/);
  assert.throws(() => scalarOf(float32([1, 2], [2])), /2 elements/);
});
