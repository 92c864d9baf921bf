// Multi-objective TPE: non-domination ranks, hypervolume, the rank + hypervolume split, below weights, and a real study.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hypervolume, nonDominationRanks, referencePoint, solveHssp, splitCompleteMultiObjective, weightsBelowMultiObjective } from '../../../../src/tune/samplers/tpe/multi-objective.ts';
import { FrozenTrial } from '../../../../src/tune/frozen-trial.ts';
import { createStudy } from '../../../../src/tune/study.ts';
import { TPESampler } from '../../../../src/tune/samplers/tpe/sampler.ts';
import { RandomSampler } from '../../../../src/tune/samplers/random.ts';
import { paretoFront } from '../../../../src/tune/pareto.ts';
import { Rng } from '../../../../src/util/rng.ts';

function trial(number: number, values: number[]): FrozenTrial {
  return new FrozenTrial({ trialId: number + 1, number, state: 'COMPLETE', values, params: {}, distributions: {} } as never);
}

test('non-domination ranks follow the fronts', () => {
  // front 0: (1,4) (2,2) (4,1); front 1: (3,3) (5,2); front 2: (5,5)
  assert.deepEqual(nonDominationRanks([[1, 4], [3, 3], [2, 2], [5, 5], [4, 1], [5, 2]]), [0, 1, 0, 2, 0, 1]);
});

test('hypervolume: boxes in 2 and 3 dimensions, dominated points add nothing', () => {
  assert.equal(hypervolume([[1, 1]], [3, 3]), 4);
  assert.equal(hypervolume([[0, 2], [2, 0]], [3, 3]), 3 + 3 - 1);
  assert.equal(hypervolume([[0, 2], [2, 0], [2, 2]], [3, 3]), 5);
  // inclusion-exclusion: 2 + 2 - 1
  assert.equal(hypervolume([[0, 1, 1], [1, 0, 1]], [2, 2, 2]), 3);
  // 3-d with a constant last objective = 2-d area x depth
  const rng = new Rng(3);
  const pts = Array.from({ length: 12 }, () => [rng.random(), rng.random()]);
  const a2 = hypervolume(pts, [1.5, 1.5]);
  assert.ok(Math.abs(hypervolume(pts.map((p) => [...p, 0.25]), [1.5, 1.5, 1]) - a2 * 0.75) < 1e-12);
  assert.deepEqual(referencePoint([[1, -2], [3, -4], [0, -1]]), [3.3000000000000003, -0.9]);
});

test('the split takes whole fronts first and tie-breaks the last one by hypervolume; weights favour the front', () => {
  const vals = [[1, 4], [3, 3], [2, 2], [5, 5], [4, 1], [5, 2], [1.05, 3.95]];
  const trials = vals.map((v, i) => trial(i, v));
  const { below, above } = splitCompleteMultiObjective(trials, 4, ['minimize', 'minimize']);
  assert.equal(below.length + above.length, trials.length);
  assert.deepEqual(below.map((t) => t.number).slice(0, 4).sort(), [0, 2, 4, 6].sort(), 'front 0 (4 trials) fills below');
  const two = splitCompleteMultiObjective(trials, 2, ['minimize', 'minimize']).below.map((t) => t.number);
  assert.equal(two.length, 2);
  assert.ok(!(two.includes(0) && two.includes(6)), `the near-duplicate pair (0, 6) adds little hypervolume: ${two}`);
  for (const b of below) for (const a of above) assert.ok(!(a.values![0] <= b.values![0] && a.values![1] <= b.values![1] && (a.values![0] < b.values![0] || a.values![1] < b.values![1])), 'no above trial dominates a below one');
  // maximised objective: sign flipped
  const flipped = splitCompleteMultiObjective(vals.map((v, i) => trial(i, [v[0], -v[1]])), 4, ['minimize', 'maximize']);
  assert.deepEqual(flipped.below.map((t) => t.number), below.map((t) => t.number));
  const w = weightsBelowMultiObjective([trial(0, [1, 3]), trial(1, [3, 1]), trial(2, [3, 3])], ['minimize', 'minimize']);
  assert.ok(w[0] > 0.5 && w[1] > 0.5 && w[2] < 1e-6, `weights ${w}`);
  assert.deepEqual(solveHssp([[0, 2], [2, 0], [1, 1]], 3, [3, 3]), [0, 1, 2]);
});

test('a two-objective study with TPE finds more of the Pareto set than random sampling', async () => {
  // f1 = x^2 + y^2, f2 = (x-2)^2 + y^2 on [-10,10]^2: the Pareto set is y = 0, 0 <= x <= 2
  const near = async (sampler: TPESampler | RandomSampler) => {
    const study = await createStudy({ directions: ['minimize', 'minimize'], sampler });
    await study.optimize((t) => {
      const x = t.suggestFloat('x', -10, 10), y = t.suggestFloat('y', -10, 10);
      return [x * x + y * y, (x - 2) ** 2 + y * y];
    }, { nTrials: 60 });
    const trials = await study.getTrials();
    assert.ok(paretoFront(trials, study.directions).length > 0);
    return trials.slice(10).filter((t) => Math.abs(t.params.y as number) < 2 && (t.params.x as number) > -1 && (t.params.x as number) < 3).length;
  };
  const tpe = [], rnd = [];
  for (const seed of [1, 2, 3]) {
    tpe.push(await near(new TPESampler({ seed, nStartupTrials: 10 })));
    rnd.push(await near(new RandomSampler({ seed })));
  }
  const sum = (a: number[]) => a.reduce((x, y) => x + y, 0);
  assert.ok(sum(tpe) > 3 * sum(rnd), `near the Pareto set after start-up: TPE ${tpe}, random ${rnd}`);
});
