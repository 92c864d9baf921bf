import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stationaryLogVolume, unconditionalVariance } from '../../src/market/params.ts';
import { coin } from './helpers.ts';

test('implied long-run log volume and unconditional variance', () => {
  const c = coin({ coin: 'A', volC: 2, volA: 0.8, volB: 0.5 });
  assert.ok(Math.abs(stationaryLogVolume(c, 0.8) - (2 + 0.4) / 0.2) < 1e-12);
  assert.ok(Math.abs(unconditionalVariance(c) - 0.01 ** 2 * (1 - 0.06 ** 2)) < 1e-15); // helper targets std 1 %
  assert.equal(unconditionalVariance({ ...c, alpha: 0.5, beta: 0.5 }), Infinity);
});
