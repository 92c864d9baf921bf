// GridSampler: each grid point once (random order, seeded), then optimize() stops; values checked against distributions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createStudy } from '../../../src/tune/study.ts';
import { GridSampler } from '../../../src/tune/samplers/grid.ts';

test('visits every grid point exactly once and stops', async () => {
  const sampler = new GridSampler({ x: [0, 0.5, 1], opt: ['adam', 'sgd'] }, { seed: 1 });
  assert.equal(sampler.size, 6);
  const study = await createStudy({ sampler });
  await study.optimize((t) => t.suggestFloat('x', 0, 1) + (t.suggestCategorical('opt', ['adam', 'sgd']) === 'sgd' ? 1 : 0), { nTrials: 100 });
  const trials = await study.getTrials();
  assert.equal(trials.length, 6);
  const seen = trials.map((t) => `${t.params.x}/${t.params.opt}`).sort();
  assert.deepEqual(seen, ['0.5/adam', '0.5/sgd', '0/adam', '0/sgd', '1/adam', '1/sgd']);
  assert.equal(await study.bestValue(), 0);
});

test('seeded order repeats; bad grids and values are UserErrors', async () => {
  const order = async (seed: number) => {
    const study = await createStudy({ sampler: new GridSampler({ n: [1, 2, 3, 4, 5, 6] }, { seed }) });
    await study.optimize((t) => t.suggestInt('n', 1, 6), { nTrials: 6 });
    return (await study.getTrials()).map((t) => t.params.n);
  };
  assert.deepEqual(await order(3), await order(3));
  assert.throws(() => new GridSampler({ x: [] }), /non-empty/);
  const study = await createStudy({ sampler: new GridSampler({ x: [5] }) });
  await assert.rejects(study.optimize((t) => t.suggestFloat('x', 0, 1), { nTrials: 1 }), /outside/);
  const s2 = await createStudy({ sampler: new GridSampler({ x: [1, 2] }, { seed: 0 }) });
  await assert.rejects(s2.optimize((t) => t.suggestFloat('y', 0, 1), { nTrials: 1 }), /not in the grid/);
});
