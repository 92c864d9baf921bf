// Search-space helpers (intersection over finished trials, group decomposition) and the per-trial random streams.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { groupDecomposedSearchSpace, intersectionSearchSpace } from '../../../src/tune/samplers/sampler.ts';
import { FrozenTrial, type TrialState } from '../../../src/tune/frozen-trial.ts';
import { CategoricalDistribution, FloatDistribution, IntDistribution, type Distribution, type ParamValue } from '../../../src/tune/distributions.ts';
import { createStudy, loadStudy } from '../../../src/tune/study.ts';
import { InMemoryStorage } from '../../../src/tune/storage/memory.ts';
import { RandomSampler } from '../../../src/tune/samplers/random.ts';
import { TPESampler } from '../../../src/tune/samplers/tpe/sampler.ts';

let n = 0;
function trial(state: TrialState, dists: Record<string, Distribution>): FrozenTrial {
  const params = Object.fromEntries(Object.entries(dists).map(([k, d]) => [k, d.kind === 'categorical' ? d.choices[0] : d.low]));
  return new FrozenTrial({ trialId: n, number: n++, state, values: null, datetimeStart: null, datetimeComplete: null, params, distributions: dists, userAttrs: {}, systemAttrs: {}, intermediateValues: new Map() });
}

test('intersection keeps parameters with identical distributions in every COMPLETE/PRUNED trial, sorted, no single points', () => {
  const x = new FloatDistribution(0, 1), y = new IntDistribution(0, 5), c = new CategoricalDistribution(['a']);
  const trials = [
    trial('COMPLETE', { y, x, c, z: new FloatDistribution(0, 2) }),
    trial('PRUNED', { x, y, c, z: new FloatDistribution(0, 3) }),
    trial('FAIL', { x }), trial('RUNNING', {}),
  ];
  assert.deepEqual(Object.keys(intersectionSearchSpace(trials)), ['x', 'y']);
  assert.deepEqual(Object.keys(intersectionSearchSpace(trials, { includePruned: false })), ['c', 'x', 'y', 'z'].filter((k) => k !== 'c'));
  assert.deepEqual(intersectionSearchSpace([]), {});
});

test('group decomposition splits parameters that do not always co-occur', () => {
  const k = new CategoricalDistribution(['a', 'b']), xa = new FloatDistribution(0, 1), nb = new IntDistribution(0, 9), yb = new FloatDistribution(0, 1);
  const groups = groupDecomposedSearchSpace([trial('COMPLETE', { k, xa }), trial('COMPLETE', { k, nb, yb }), trial('PRUNED', { k, xa }), trial('FAIL', { q: xa })]);
  const names = groups.map((g) => Object.keys(g).join(',')).sort();
  assert.deepEqual(names, ['k', 'nb,yb', 'xa']);
});

// Independent per-trial streams (trialRng): workers, restarts and neighbouring seeds never replay a configuration.
const SPACE = { x: new FloatDistribution(-5, 10), y: new FloatDistribution(0, 15), k: new IntDistribution(1, 64, { log: true }) };
const key = (p: Record<string, unknown>) => JSON.stringify(p);
const branin = (p: Record<string, ParamValue>) => {
  const x = p.x as number, y = p.y as number;
  return (y - (5.1 / (4 * Math.PI ** 2)) * x * x + (5 / Math.PI) * x - 6) ** 2 + 10 * (1 - 1 / (8 * Math.PI)) * Math.cos(x) + 10;
};

async function run(seed: number, n: number, name = 'seeded'): Promise<Record<string, ParamValue>[]> {
  const study = await createStudy({ studyName: name, sampler: new TPESampler({ seed, nStartupTrials: 10 }) });
  const out: Record<string, ParamValue>[] = [];
  for (let i = 0; i < n; i++) {
    const t = await study.ask(SPACE);
    out.push(t.params);
    await study.tell(t, branin(t.params));
  }
  return out;
}

test('4 workers with one seed on one study (each its own sampler, as separate processes are) ask 80 distinct configurations', async () => {
  for (const make of [(seed: number) => new TPESampler({ seed, nStartupTrials: 10 }), (seed: number) => new RandomSampler({ seed })]) {
    const storage = new InMemoryStorage();
    await createStudy({ storage, studyName: 'shared' });
    const workers = await Promise.all([0, 1, 2, 3].map(() => loadStudy({ storage, studyName: 'shared', sampler: make(42) })));
    const asked: string[] = [];
    for (let round = 0; round < 20; round++) {
      const trials = [];
      for (const w of workers) trials.push(await w.ask(SPACE));
      for (let i = 0; i < trials.length; i++) {
        asked.push(key(trials[i].params));
        await workers[i].tell(trials[i], branin(trials[i].params));
      }
    }
    assert.equal(asked.length, 80);
    assert.equal(new Set(asked).size, 80);
  }
});

test('a restarted worker (new sampler, same seed) continues the study without replaying its asks', async () => {
  const storage = new InMemoryStorage();
  const asked: string[] = [];
  for (let restart = 0; restart < 3; restart++) {
    const study = await createStudy({ storage, studyName: 'restarts', loadIfExists: true, sampler: new TPESampler({ seed: 42, nStartupTrials: 10 }) });
    for (let i = 0; i < 8; i++) {
      const t = await study.ask(SPACE);
      asked.push(key(t.params));
      await study.tell(t, branin(t.params));
    }
  }
  assert.equal(new Set(asked).size, 24);
});

test('one seed in one process repeats exactly; seeds S and S+1, or two study names, share no start-up trial', async () => {
  const a = await run(7, 15), again = await run(7, 15);
  assert.deepEqual(again, a);
  const next = await run(8, 15), other = await run(7, 15, 'other-study');
  for (const b of [next, other]) {
    const seen = new Set(a.slice(0, 10).map(key));
    assert.equal(b.slice(0, 10).filter((p) => seen.has(key(p))).length, 0);
    const xs = new Set(a.slice(0, 10).map((p) => p.x));
    assert.equal(b.slice(0, 10).filter((p) => xs.has(p.x)).length, 0, 'not even one coordinate shifted over');
  }
  // unnamed studies get a random name; with a seed they still repeat
  const unnamed = async () => {
    const study = await createStudy({ sampler: new RandomSampler({ seed: 3 }) });
    return (await study.ask(SPACE)).params;
  };
  assert.deepEqual(await unnamed(), await unnamed());
});

test('a fresh sampler for every ask (as each `study ask` process builds one) asks exactly what one long-lived sampler asks', async () => {
  const asks = async (perAsk: boolean) => {
    const storage = new InMemoryStorage();
    const first = await createStudy({ storage, studyName: 'cli', sampler: new TPESampler({ seed: 5, nStartupTrials: 5 }) });
    const out: Record<string, ParamValue>[] = [];
    for (let i = 0; i < 15; i++) {
      const study = perAsk ? await loadStudy({ storage, studyName: 'cli', sampler: new TPESampler({ seed: 5, nStartupTrials: 5 }) }) : first;
      const t = await study.ask(SPACE);
      out.push(t.params);
      await study.tell(t, branin(t.params));
    }
    return out;
  };
  assert.deepEqual(await asks(true), await asks(false));
});
