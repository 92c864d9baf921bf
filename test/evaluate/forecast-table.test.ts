import { test } from 'node:test';
import assert from 'node:assert/strict';
import { forecastColumns, realisedReturns } from '../../src/evaluate/forecast-table.ts';

test('one row per (window, hour) with times, truth, realised return and every method column', () => {
  const T = 3, V = 3, H = 2, N = 2, t0 = Float64Array.from([Date.UTC(2024, 0, 1, 0), Date.UTC(2024, 0, 1, 1)]);
  const returns = Float64Array.from({ length: 10 }, (_, i) => i / 100);
  const realised = realisedReturns(returns, [0, 1], N, T, H);
  assert.deepEqual([...realised], [0.03, 0.04, 0.04, 0.05]); // window at row 0 forecasts rows 3 and 4
  const probs = Float64Array.from({ length: N * H * V }, (_, i) => i);
  const cols = forecastColumns([{
    split: 'test', N, H, t0, truth: Uint8Array.from([0, 1, 2, 255]), realised,
    methods: { model: { pred: Uint8Array.from([2, 2, 1, 0]), probs }, persistence: { pred: Uint8Array.from([1, 1, 0, 0]), probs: null } },
  }], T, V);
  assert.deepEqual(Object.keys(cols), ['split', 'window_start', 'origin', 'target_hour', 'hour', 'true_token', 'realised_return',
    'model_pred', 'model_p0', 'model_p1', 'model_p2', 'persistence_pred']);
  assert.deepEqual(cols.window_start, ['2024-01-01T00:00Z', '2024-01-01T00:00Z', '2024-01-01T01:00Z', '2024-01-01T01:00Z']);
  assert.deepEqual(cols.origin, ['2024-01-01T02:00Z', '2024-01-01T02:00Z', '2024-01-01T03:00Z', '2024-01-01T03:00Z']);
  assert.deepEqual(cols.target_hour, ['2024-01-01T03:00Z', '2024-01-01T04:00Z', '2024-01-01T04:00Z', '2024-01-01T05:00Z']);
  assert.deepEqual([...(cols.hour as Uint8Array)], [1, 2, 1, 2]);
  assert.deepEqual([...(cols.model_p1 as Float64Array)], [1, 4, 7, 10]);
  assert.deepEqual([...(cols.persistence_pred as Uint8Array)], [1, 1, 0, 0]);
  assert.throws(() => forecastColumns([{ split: 'a', N, H, t0, truth: new Uint8Array(4), realised, methods: { model: { pred: new Uint8Array(4), probs } } },
    { split: 'b', N, H, t0, truth: new Uint8Array(4), realised, methods: {} }], T, V), /split b lacks method model/);
});
