import { test } from 'node:test';
import assert from 'node:assert/strict';
import { forecastAutoregressive, type PredictFn } from '../../src/evaluate/forecast.ts';

// a fake model: predicts (last target price token + 1) mod O, with certainty; and records what it saw
const dims = { T: 3, C: 2, K: 2, O: 3, targetCoin: 1 };
function fake(seen: Uint8Array[]): PredictFn {
  return async (x, B) => {
    seen.push(x.slice());
    const out = new Float32Array(B * 3);
    for (let i = 0; i < B; i++) {
      const last = x[i * 12 + 2 * 4 + 1 * 2 + 0];
      out[i * 3 + ((last + 1) % 3)] = 1;
    }
    return out;
  };
}

test('predicted tokens are fed back as the target price token and the window slides', async () => {
  // one window: hours 0..2, per hour [c0k0, c0k1, c1k0, c1k1]
  const x = Uint8Array.from([0, 1, 2, 0, /**/ 1, 1, 0, 2, /**/ 2, 0, 1, 1]);
  const seen: Uint8Array[] = [];
  const f = await forecastAutoregressive(fake(seen), x, 1, dims, 3, { policy: 'persist' });
  assert.deepEqual([...f.pred], [2, 0, 1]);
  // second call sees hours 1,2 and a new hour with persisted tokens but the target price replaced by 2
  assert.deepEqual([...seen[1]], [1, 1, 0, 2, 2, 0, 1, 1, 2, 0, 2, 1]);
  assert.equal(f.probs[0 * 3 + 2], 1);
});

test('mode policy fills the new hour from the mode tokens; batches give the same result as one by one', async () => {
  const x = Uint8Array.from([0, 1, 2, 0, 1, 1, 0, 2, 2, 0, 1, 1, /**/ 2, 2, 2, 2, 1, 1, 1, 1, 0, 0, 0, 0]);
  const seen: Uint8Array[] = [];
  const mode = Uint8Array.from([1, 1, 1, 1]);
  const a = await forecastAutoregressive(fake(seen), x, 2, dims, 2, { policy: 'mode', modeTokens: mode });
  assert.deepEqual([...seen[1].subarray(8, 12)], [1, 1, 2, 1]);
  const b = await forecastAutoregressive(fake([]), x, 2, dims, 2, { policy: 'mode', modeTokens: mode, batchSize: 1 });
  assert.deepEqual(a.pred, b.pred);
});
