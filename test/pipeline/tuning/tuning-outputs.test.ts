import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FrozenTrial, type TrialState } from '../../../src/tune/frozen-trial.ts';
import { CategoricalDistribution, FloatDistribution } from '../../../src/tune/distributions.ts';
import { bestTrial, trialRecord, writeTuningOutputs } from '../../../src/pipeline/tuning/tuning-outputs.ts';
import { Rng } from '../../../src/util/rng.ts';

const space = { lr: new FloatDistribution(1e-4, 1e-1, { log: true }), act: new CategoricalDistribution(['relu', 'gelu']) };

function makeTrial(number: number, state: TrialState, value: number | null, curve: number[], params = { lr: 0.01, act: 'relu' }): FrozenTrial {
  const start = new Date(Date.UTC(2026, 0, 1, 0, number));
  return new FrozenTrial({
    trialId: number + 1, number, state, values: value === null ? null : [value],
    datetimeStart: start, datetimeComplete: state === 'RUNNING' ? null : new Date(start.getTime() + 1500),
    params, distributions: space, userAttrs: {}, systemAttrs: {},
    intermediateValues: new Map(curve.map((v, i) => [i, v])),
  });
}

test('trial records: non-finite numbers as strings, intermediate values keyed by step, duration', () => {
  const r = trialRecord(makeTrial(3, 'PRUNED', NaN, [2, Infinity, NaN]));
  assert.equal(r.value, 'nan');
  assert.deepEqual(r.intermediate_values, { 0: 2, 1: 'inf', 2: 'nan' });
  assert.equal(r.duration_seconds, 1.5);
  assert.equal(r.datetime_start, '2026-01-01T00:03:00.000Z');
});

test('best trial: COMPLETE only, direction respected, first wins ties, infinities allowed', () => {
  const ts = [makeTrial(0, 'COMPLETE', 2, []), makeTrial(1, 'PRUNED', 0.1, [0.1]), makeTrial(2, 'COMPLETE', 1, []), makeTrial(3, 'COMPLETE', 1, []), makeTrial(4, 'FAIL', null, [])];
  assert.equal(bestTrial(ts, 'minimize')?.number, 2);
  assert.equal(bestTrial(ts, 'maximize')?.number, 0);
  assert.equal(bestTrial([makeTrial(0, 'FAIL', null, [])], 'minimize'), null);
});

test('writeTuningOutputs writes both JSON files and three PNGs with consistent counts and importances', async () => {
  const rng = new Rng(2);
  const trials: FrozenTrial[] = [];
  for (let i = 0; i < 24; i++) {
    const lr = Math.exp(rng.uniform(Math.log(1e-4), Math.log(1e-1)));
    const act = rng.random() < 0.5 ? 'relu' : 'gelu';
    const target = (Math.log10(lr) + 2.5) ** 2 + (act === 'gelu' ? 0.05 : 0);
    const curve = Array.from({ length: 6 }, (_, s) => target + 1 / (s + 1));
    const state: TrialState = i % 7 === 6 ? 'PRUNED' : i === 10 ? 'FAIL' : 'COMPLETE';
    const c = state === 'PRUNED' ? curve.slice(0, 3) : curve;
    trials.push(makeTrial(i, state, state === 'FAIL' ? null : c[c.length - 1], c, { lr, act }));
  }
  const dir = mkdtempSync(join(tmpdir(), 'tokcast-tune-out-'));
  const startedAt = new Date(Date.UTC(2026, 0, 1)), finishedAt = new Date(Date.UTC(2026, 0, 1, 0, 30));
  const { files } = await writeTuningOutputs(dir, trials.slice().reverse(), { studyName: 's', direction: 'minimize', searchSpace: space, startedAt, finishedAt, stoppedBy: 'num_trials', settings: { num_trials: 24 } });
  assert.deepEqual(files.map((f) => f.slice(dir.length + 1)).sort(), ['intermediate_values.png', 'param_importance.png', 'trials_history.json', 'tuning_history.png', 'tuning_results.json']);
  for (const f of files.filter((f) => f.endsWith('.png'))) assert.deepEqual([...readFileSync(f).subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
  const hist = JSON.parse(readFileSync(join(dir, 'trials_history.json'), 'utf8'));
  assert.deepEqual(hist.trials.map((t: { number: number }) => t.number), Array.from({ length: 24 }, (_, i) => i));
  const res = JSON.parse(readFileSync(join(dir, 'tuning_results.json'), 'utf8'));
  assert.deepEqual(res.n_trials, { total: 24, complete: 20, pruned: 3, failed: 1, running: 0 });
  const completeValues = trials.filter((t) => t.state === 'COMPLETE').map((t) => t.values![0]);
  assert.equal(res.best_value, Math.min(...completeValues));
  assert.equal(res.timing.elapsed_seconds, 1800);
  assert.equal(res.search_space.lr.attributes.log, true);
  assert.equal(Object.keys(res.param_importances)[0], 'lr', 'lr drives the value');
  assert.equal(res.param_importances_error, null);
});

test('importance failure (too few completed trials) is recorded, charts are still written', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tokcast-tune-out-'));
  const t = [makeTrial(0, 'COMPLETE', 1, [1]), makeTrial(1, 'PRUNED', 2, [2])];
  const { results } = await writeTuningOutputs(dir, t, { studyName: 's', direction: 'minimize', searchSpace: space, startedAt: new Date(), finishedAt: new Date(), stoppedBy: 'timeout', settings: {} });
  assert.equal(results.param_importances, null);
  assert.match(String(results.param_importances_error), /only one COMPLETE/);
  assert.deepEqual(results.best_params, { lr: 0.01, act: 'relu' });
});
