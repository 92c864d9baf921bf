// Server-side views of a large study: beyond MAX_CURVES learning curves the running and most recent are drawn and
// every trial is summarised per step (quartiles, median), and the running best is the list of its improvements.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { InMemoryStorage } from '../../src/tune/storage/memory.ts';
import { MAX_CURVES, studyHistory, studyIntermediate, type StudySnapshot } from '../../src/dashboard/study-view.ts';

/** Linear-interpolation quantile of `xs` (the definition numpy uses by default). */
function q(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  const i = (s.length - 1) * p;
  return s[Math.floor(i)] + (s[Math.ceil(i)] - s[Math.floor(i)]) * (i - Math.floor(i));
}

describe('dashboard study views of a large study', () => {
  const N = MAX_CURVES + 57;
  let snap: StudySnapshot;
  before(async () => {
    const s = new InMemoryStorage();
    const id = await s.createNewStudy(['minimize'], 'large');
    for (let i = 0; i < N; i++) {
      const steps = i % 3 === 0 ? 2 : 5;
      const iv = new Map<number, number>();
      for (let k = 0; k < steps; k++) iv.set(k, ((i * 37) % 101) / 10 + 1 / (k + 1));
      if (i === 5) iv.set(1, NaN);
      const state = i === 10 ? 'RUNNING' : steps === 2 ? 'PRUNED' : 'COMPLETE';
      await s.createNewTrial(id, { state, values: state === 'COMPLETE' ? [((i * 53) % 97) / 7] : null, intermediateValues: iv });
    }
    snap = { id, name: 'large', directions: ['minimize'], userAttrs: {}, systemAttrs: {}, trials: await s.getAllTrials(id), signature: 'x' };
  });

  it('draws MAX_CURVES curves, the running one included, and summarises every trial per step', () => {
    const v = studyIntermediate(snap);
    assert.equal(v.total_curves, N);
    assert.equal(v.shown_curves, MAX_CURVES);
    assert.ok(v.trials.some((t) => t.number === 10 && t.state === 'RUNNING'));
    assert.ok(v.trials.some((t) => t.number === N - 1));
    for (const row of v.per_step) {
      const xs = snap.trials.map((t) => t.intermediateValues.get(row.step)).filter((x): x is number => x !== undefined && Number.isFinite(x));
      assert.equal(row.n, xs.length, `step ${row.step}`);
      assert.equal(row.min, Math.min(...xs));
      assert.equal(row.max, Math.max(...xs));
      for (const [k, p] of [['q25', 0.25], ['median', 0.5], ['q75', 0.75]] as const) assert.ok(Math.abs(row[k] - q(xs, p)) < 1e-12, `step ${row.step} ${k}`);
    }
    const layers = (v.spec as { layer: { data: { values: unknown[] }; mark: { type: string } }[] }).layer;
    assert.deepEqual(layers[0].data.values, v.per_step);
    assert.equal(layers[0].mark.type, 'area');
    assert.deepEqual(layers[layers.length - 1].data.values, v.per_step);
  });

  it('lists the trials that improved the running best, and the chart\'s step line ends at the last COMPLETE trial', () => {
    const h = studyHistory(snap);
    let best = Infinity;
    const expected: { number: number; best: number }[] = [];
    for (const t of snap.trials) if (t.state === 'COMPLETE' && t.values![0] < best) expected.push({ number: t.number, best: (best = t.values![0]) });
    assert.deepEqual(h.best, expected);
    const line = (h.spec as { layer: { data: { values: { trial: number; value: number }[] } }[] }).layer[1].data.values;
    const lastComplete = snap.trials.filter((t) => t.state === 'COMPLETE').pop()!;
    assert.deepEqual(line[line.length - 1], { trial: lastComplete.number, value: expected[expected.length - 1].best, series: 'best value' });
    assert.equal(line.length, expected.length + (expected[expected.length - 1].number === lastComplete.number ? 0 : 1));
  });
});
