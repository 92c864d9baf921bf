// logReturns / logVolumeChanges / volumeFloor: values, NaN at segment starts and marked rows, floor from masked rows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { logReturns, logVolumeChanges, volumeFloor, VOLUME_FLOOR_FRACTION } from '../../src/tokenize/returns.ts';

test('log returns of close within a segment; NaN at each segment start and on marked rows', () => {
  const close = new Float64Array([100, 110, 99, 99, 120, 60, 66]);
  const seg = new Int32Array([0, 0, 0, 1, 1, -1, 2]);
  const r = logReturns(close, seg);
  assert.ok(Number.isNaN(r[0]!) && Number.isNaN(r[3]!) && Number.isNaN(r[5]!) && Number.isNaN(r[6]!));
  assert.equal(r[1], Math.log(110 / 100));
  assert.equal(r[2], Math.log(99 / 110));
  assert.equal(r[4], Math.log(120 / 99));
});

test('volume change uses the floor so zero-volume hours stay finite', () => {
  const v = new Float64Array([10, 0, 0, 30]);
  const seg = new Int32Array([0, 0, 0, 0]);
  const d = logVolumeChanges(v, seg, 0.5);
  assert.ok(Number.isNaN(d[0]!));
  assert.equal(d[1], Math.log(0.5 / 10.5));
  assert.equal(d[2], 0);
  assert.equal(d[3], Math.log(30.5 / 0.5));
  assert.throws(() => logVolumeChanges(v, seg, 0), /floor/);
});

test('volume floor = fraction x median positive volume of the masked (training) rows only', () => {
  const v = new Float64Array([0, 4, 2, 8, 1000, 2000]);
  const train = new Uint8Array([1, 1, 1, 1, 0, 0]);
  assert.equal(volumeFloor(v, train), VOLUME_FLOOR_FRACTION * 4);
  assert.equal(volumeFloor(v, new Uint8Array([0, 1, 1, 0, 0, 0])), VOLUME_FLOOR_FRACTION * 3);
  assert.equal(volumeFloor(new Float64Array([0, 0]), new Uint8Array([1, 1])), 1);
});
