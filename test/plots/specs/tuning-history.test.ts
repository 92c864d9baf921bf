import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderSvg } from '../../../src/plots/render.ts';
import { runningBest, tuningHistorySpec, type HistoryTrial } from '../../../src/plots/specs/tuning-history.ts';

const trials: HistoryTrial[] = [
  { number: 0, state: 'COMPLETE', value: 3 },
  { number: 1, state: 'PRUNED', value: 1 },
  { number: 2, state: 'COMPLETE', value: 2 },
  { number: 3, state: 'FAIL', value: null },
  { number: 4, state: 'COMPLETE', value: 2.5 },
  { number: 5, state: 'COMPLETE', value: Infinity },
];

test('running best ignores pruned, failed and non-finite trials and follows the direction', () => {
  assert.deepEqual(runningBest(trials, 'minimize'), [{ number: 0, best: 3 }, { number: 2, best: 2 }, { number: 4, best: 2 }]);
  assert.deepEqual(runningBest(trials, 'maximize').map((b) => b.best), [3, 3, 3]);
});

test('history chart renders values, pruned points and the best line', async () => {
  const svg = await renderSvg(tuningHistorySpec(trials, 'minimize'));
  for (const label of ['Optimization history', 'best value', 'pruned (last value)', 'objective (minimize)']) assert.ok(svg.includes(label), label);
});
