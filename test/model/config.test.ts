// Tests ModelConfig validation: every rule rejects with the field named.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fuseInputWidth, validateModelConfig, type ModelConfig } from '../../src/model/config.ts';

const ok: ModelConfig = {
  V: 5, O: 5, C: 3, K: 2, T: 6, e: 4, d: 8, H: 2, N: 2, F: 16,
  dropout: 0, coin_mixing: 'concat', loss_positions: 'all', label_smoothing: 0.1, target_coin: 1,
};

test('a valid config passes and fusion widths follow the mixing mode', () => {
  assert.equal(validateModelConfig(ok), ok);
  assert.equal(fuseInputWidth(ok), 24);
  assert.equal(fuseInputWidth({ ...ok, coin_mixing: 'mean' }), 8);
});

test('bad fields are named', () => {
  const cases: [Partial<ModelConfig>, RegExp][] = [
    [{ d: 9, H: 3 }, /d must be even/],
    [{ H: 3 }, /H must be a divisor of d = 8/],
    [{ V: 0 }, /V must be a positive integer/],
    [{ K: 3 }, /K must be 1 or 2/],
    [{ target_coin: 3 }, /target_coin must be an index in \[0, 3\)/],
    [{ dropout: 1 }, /dropout/],
    [{ label_smoothing: -0.1 }, /label_smoothing/],
    [{ O: 3 }, /O must be >= V = 5/],
    [{ coin_mixing: 'sum' as 'mean' }, /coin_mixing/],
  ];
  for (const [patch, re] of cases) assert.throws(() => validateModelConfig({ ...ok, ...patch }), re);
  assert.doesNotThrow(() => validateModelConfig({ ...ok, O: 3, loss_positions: 'last' }));
});
