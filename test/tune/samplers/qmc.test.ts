// QMCSampler: Sobol by default with scipy's points (Optuna's engine), Halton on request; even coverage, seeded scrambling,
// mixed parameter types (categoricals sampled at random, as Optuna).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createStudy } from '../../../src/tune/study.ts';
import { QMCSampler } from '../../../src/tune/samplers/qmc.ts';
import { Sobol } from '../../../src/tune/samplers/sobol.ts';
import { readFixtureJson } from '../../fixtures/data.ts';

test('64 Halton points spread evenly: base-2 quarters exactly, base-3 thirds within one, no empty 4x4 cell', async () => {
  const study = await createStudy({ sampler: new QMCSampler({ seed: 1, qmcType: 'halton' }) });
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
  assert.deepEqual([1, 2].map((i) => [trials[i].params.x, trials[i].params.y]), [[0.5, 1 / 3], [0.25, 2 / 3]]); // Halton points 1, 2 (Optuna starts at 0)
});

test('scrambling is seeded; ints, log ints and categoricals stay in their domains and cover the choices', async () => {
  for (const qmcType of ['sobol', 'halton'] as const) {
  const run = async (seed: number) => {
    const study = await createStudy({ sampler: new QMCSampler({ seed, scramble: true, qmcType }) });
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
  }
  assert.throws(() => new QMCSampler({ qmcType: 'lhs' as never }), /sobol.*halton/);
});

test('Sobol (the default): each point equals scipy.stats.qmc.Sobol\'s, in trial order from index 0; scrambled stays a balanced net', async () => {
  const fx = readFixtureJson<{ d: number; points: number[][] }>('hpo', 'sobol-scipy.json');
  const s = new Sobol(fx.d);
  fx.points.forEach((p, i) => assert.deepEqual(s.point(i), p, `point ${i}`));
  const study = await createStudy({ sampler: new QMCSampler() });
  await study.optimize((t) => t.suggestFloat('x', 0, 1) + t.suggestFloat('y', 0, 1) + t.suggestFloat('z', 0, 1), { nTrials: 33 });
  const trials = (await study.getTrials()).slice(1); // trial 0 is random: it fixes the search space
  trials.forEach((t, i) => assert.deepEqual([t.params.x, t.params.y, t.params.z], fx.points[i].slice(0, 3), `trial ${i + 1}`));
  for (const seed of [1, 2]) {
    const sc = new Sobol(3, seed);
    const pts = Array.from({ length: 32 }, (_, i) => sc.point(i));
    assert.notDeepEqual(pts[0], [0, 0, 0]);
    for (let k = 0; k < 3; k++) for (let q = 0; q < 4; q++) assert.equal(pts.filter((p) => Math.floor(p[k] * 4) === q).length, 8, `seed ${seed} dim ${k} quarter ${q}`);
    assert.deepEqual(new Sobol(3, seed).point(5), pts[5]);
  }
  assert.notDeepEqual(new Sobol(3, 1).point(3), new Sobol(3, 2).point(3));
});
