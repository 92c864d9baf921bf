// QMCSampler (Halton): even coverage of the first trial's search space, seeded scrambling, mixed parameter types.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createStudy } from '../../../src/tune/study.ts';
import { QMCSampler } from '../../../src/tune/samplers/qmc.ts';

test('64 Halton points spread evenly: base-2 quarters exactly, base-3 thirds within one, no empty 4x4 cell', async () => {
  const study = await createStudy({ sampler: new QMCSampler({ seed: 1 }) });
  await study.optimize((t) => t.suggestFloat('x', 0, 1) + t.suggestFloat('y', 0, 1), { nTrials: 65 });
  const trials = (await study.getTrials()).slice(1); // trial 0 is random: it fixes the search space
  const counts = new Array(16).fill(0);
  for (const t of trials) counts[Math.floor((t.params.x as number) * 4) * 4 + Math.floor((t.params.y as number) * 4)]++;
  assert.ok(counts.every((c) => c >= 2 && c <= 6), JSON.stringify(counts));
  for (let q = 0; q < 4; q++) assert.equal(trials.filter((t) => Math.floor((t.params.x as number) * 4) === q).length, 16);
  for (let q = 0; q < 3; q++) {
    const n = trials.filter((t) => Math.floor((t.params.y as number) * 3) === q).length;
    assert.ok(n === 21 || n === 22, `third ${q}: ${n}`);
  }
  assert.deepEqual([trials[0].params.x, trials[0].params.y], [0.25, 2 / 3]); // Halton point 2 in bases 2 and 3
});

test('scrambling is seeded; ints, log ints and categoricals stay in their domains and cover the choices', async () => {
  const run = async (seed: number) => {
    const study = await createStudy({ sampler: new QMCSampler({ seed, scramble: true }) });
    await study.optimize((t) => {
      t.suggestInt('n', 1, 6);
      t.suggestInt('w', 16, 512, { log: true });
      t.suggestCategorical('c', ['a', 'b', 'c']);
      return 0;
    }, { nTrials: 31 });
    return (await study.getTrials()).map((t) => t.params);
  };
  const a = await run(3);
  assert.deepEqual(a, await run(3));
  assert.notDeepEqual(a, await run(4));
  for (const p of a) {
    assert.ok(Number.isInteger(p.n) && (p.n as number) >= 1 && (p.n as number) <= 6);
    assert.ok(Number.isInteger(p.w) && (p.w as number) >= 16 && (p.w as number) <= 512);
  }
  for (const c of ['a', 'b', 'c']) assert.ok(a.filter((p) => p.c === c).length >= 6, c);
  assert.throws(() => new QMCSampler({ qmcType: 'sobol' as never }), /halton/);
});
