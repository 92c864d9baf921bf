// What pipeline tune prints: per-trial lines (state, value, best, params, elapsed, ETA) and the end summary.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FrozenTrial } from '../../../src/tune/frozen-trial.ts';
import { CategoricalDistribution, FloatDistribution } from '../../../src/tune/distributions.ts';
import { formatParam, formatSeconds, summaryLines, trialLine, RELIABLE_IMPORTANCE_TRIALS } from '../../../src/pipeline/tuning/progress.ts';
import { runTuning, type TuningObjective } from '../../../src/pipeline/tuning/run.ts';
import { loadConfig } from '../../../src/config/load.ts';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function trial(number: number, state: 'COMPLETE' | 'PRUNED' | 'FAIL', value: number | null, seconds: number): FrozenTrial {
  const start = new Date(Date.UTC(2026, 0, 1, 0, 0, 0));
  return new FrozenTrial({
    trialId: number, number, state, values: value === null ? null : [value], datetimeStart: start, datetimeComplete: new Date(start.getTime() + seconds * 1000),
    params: { lr: 0.00123456, n_layers: 3, opt: 'adam' }, distributions: {}, userAttrs: {}, systemAttrs: {}, intermediateValues: new Map(),
  });
}

test('formatting: 4 significant digits, durations in s / m s / h m', () => {
  assert.deepEqual([formatParam(0.00123456), formatParam(3), formatParam('adam'), formatParam(true), formatParam(1234.5678)], ['0.001235', '3', '"adam"', 'true', '1235']);
  assert.deepEqual([formatSeconds(9.4), formatSeconds(75), formatSeconds(3725), formatSeconds(-1)], ['9s', '1m15s', '1h02m', '-']);
});

test('a trial line names number, state, value, best so far, params, elapsed and an ETA from this run\'s pace', () => {
  const line = trialLine({ trial: trial(3, 'COMPLETE', 1.23456, 42), finished: 4, target: 10, bestValue: 1.2 }, 200);
  assert.equal(line, 'trial 3 COMPLETE value 1.2346 (best 1.2000) lr=0.001235 n_layers=3 opt="adam" | 42s | 4/10, ETA 5m00s');
  assert.match(trialLine({ trial: trial(9, 'FAIL', null, 5), finished: 10, target: 10, bestValue: null }, 100), /^trial 9 FAIL lr=.* \| 5s \| 10\/10, done$/);
  const fixed = trial(4, 'PRUNED', 2, 1);
  fixed.distributions.opt = new CategoricalDistribution(['adam']);
  fixed.distributions.lr = new FloatDistribution(1e-4, 1e-2, { log: true });
  assert.match(trialLine({ trial: fixed, finished: 1, target: 2, bestValue: 2 }, 1), /lr=0\.001235 n_layers=3 \|/, 'a one-value parameter is left out');
});

test('the summary gives best value and params, counts by state, importances (warned below 20 trials) and the outputs', async () => {
  const quad: TuningObjective = async (_t, ctx) => (Math.log10(ctx.params.lr as number) + 3) ** 2 + (ctx.params.dropout as number);
  for (const n of [8, RELIABLE_IMPORTANCE_TRIALS]) {
    const dir = mkdtempSync(join(tmpdir(), 'tokcast-progress-'));
    const r = await runTuning({ config: loadConfig(null), sequencesArtifact: '', outputDir: dir, numTrials: n, epochsPerTrial: 1, storage: 'memory', objective: quad });
    const lines = summaryLines(r.results, dir);
    assert.match(lines[0], new RegExp(`: ${n} trials \\(${n} complete, 0 pruned, 0 failed\\); this run \\d+s, stopped by num trials$`));
    assert.match(lines[1], new RegExp(`^best: trial ${r.results.best_trial!.number} value ${Number(r.results.best_value).toFixed(4)} lr=`));
    assert.match(lines[2], /^importance: \w+ \d\.\d\d/);
    assert.equal(/unreliable/.test(lines[2]), n < RELIABLE_IMPORTANCE_TRIALS, lines[2]);
    assert.equal(lines[3], `outputs: ${dir} (tuning_results.json, trials_history.json, charts)`);
  }
});
