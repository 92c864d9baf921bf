// Seeds a storage with the studies the dashboard tests read: every trial state, both directions, a multi-objective
// study, +-Infinity and NaN intermediate values, a +Infinity objective value and a study with no trials.
import type { Storage } from '../../src/tune/storage/storage.ts';
import { CategoricalDistribution, FloatDistribution, IntDistribution } from '../../src/tune/distributions.ts';

export const SPACE = {
  lr: new FloatDistribution(1e-4, 1e-1, { log: true }),
  layers: new IntDistribution(1, 4),
  act: new CategoricalDistribution(['relu', 'gelu']),
};

function params(i: number) {
  return { lr: 1e-4 * 10 ** ((i % 7) / 2.5), layers: 1 + (i % 4), act: i % 3 === 0 ? 'gelu' : 'relu' };
}

const t0 = Date.UTC(2026, 0, 1, 12, 0, 0);
const at = (s: number) => new Date(t0 + s * 1000);

export interface Seeded { min: number; max: number; multi: number; empty: number; runningTrialId: number }

/** Creates the four studies; returns their ids and the running trial of the minimise study. */
export async function seedStudies(s: Storage): Promise<Seeded> {
  const min = await s.createNewStudy(['minimize'], 'seeded-min');
  await s.setStudyUserAttr(min, 'purpose', 'dashboard test');
  const complete = [0.9, 0.7, 0.75, 0.5, 0.62, 0.55, 0.41, 0.8];
  let n = 0;
  for (const v of complete) {
    const i = n++;
    await s.createNewTrial(min, { state: 'COMPLETE', values: [v], params: params(i), distributions: SPACE,
      intermediateValues: new Map([[0, v + 0.3], [1, v + 0.1], [2, v]]), datetimeStart: at(i * 60), datetimeComplete: at(i * 60 + 30 + i),
      userAttrs: { note: `complete ${i}` }, systemAttrs: { seed: i } });
  }
  await s.createNewTrial(min, { state: 'COMPLETE', values: [Infinity], params: params(n), distributions: SPACE, datetimeStart: at(n * 60), datetimeComplete: at(n * 60 + 5) }); n++;
  await s.createNewTrial(min, { state: 'PRUNED', params: params(n), distributions: SPACE,
    intermediateValues: new Map([[0, 1.4], [1, NaN], [2, 1.2]]), datetimeStart: at(n * 60), datetimeComplete: at(n * 60 + 20) }); n++;
  await s.createNewTrial(min, { state: 'PRUNED', params: params(n), distributions: SPACE,
    intermediateValues: new Map([[0, Infinity], [1, 1.5]]), datetimeStart: at(n * 60), datetimeComplete: at(n * 60 + 12) }); n++;
  await s.createNewTrial(min, { state: 'FAIL', params: params(n), distributions: SPACE, datetimeStart: at(n * 60), datetimeComplete: at(n * 60 + 3),
    systemAttrs: { fail_reason: 'out of memory' } }); n++;
  const running = await s.createNewTrial(min, { state: 'RUNNING', params: params(n), distributions: SPACE,
    intermediateValues: new Map([[0, 0.95], [1, -Infinity]]), datetimeStart: at(n * 60) }); n++;
  await s.createNewTrial(min, { state: 'WAITING', params: { lr: 0.01 }, distributions: { lr: SPACE.lr } });

  const max = await s.createNewStudy(['maximize'], 'seeded-max');
  for (let i = 0; i < 6; i++) {
    await s.createNewTrial(max, { state: 'COMPLETE', values: [[0.2, 0.6, 0.4, 0.61, 0.3, 0.5][i]], params: params(i), distributions: SPACE,
      datetimeStart: at(i * 10), datetimeComplete: at(i * 10 + 5) });
  }
  await s.createNewTrial(max, { state: 'PRUNED', params: params(6), distributions: SPACE, intermediateValues: new Map([[0, 0.1]]), datetimeStart: at(70), datetimeComplete: at(75) });

  const multi = await s.createNewStudy(['minimize', 'maximize'], 'seeded-multi');
  // (loss, accuracy): front = trials 0 (0.2, 0.5), 2 (0.4, 0.8), 4 (0.6, 0.9); 1, 3, 5 are dominated
  const pairs = [[0.2, 0.5], [0.3, 0.4], [0.4, 0.8], [0.5, 0.7], [0.6, 0.9], [0.7, 0.85]];
  for (let i = 0; i < pairs.length; i++) {
    await s.createNewTrial(multi, { state: 'COMPLETE', values: pairs[i], params: params(i), distributions: SPACE, datetimeStart: at(i), datetimeComplete: at(i + 1) });
  }
  await s.createNewTrial(multi, { state: 'FAIL', params: params(9), distributions: SPACE, datetimeStart: at(20), datetimeComplete: at(21) });

  const empty = await s.createNewStudy(['minimize'], 'seeded-empty');
  return { min, max, multi, empty, runningTrialId: running.trialId };
}
