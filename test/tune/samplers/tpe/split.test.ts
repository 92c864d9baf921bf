// Parity of TPE's below/above split with Optuna 4.9 (test/fixtures/hpo/tpe-4.9.0.json `splits` and `tpe_step.split`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultGamma, hyperoptDefaultGamma, splitTrials } from '../../../../src/tune/samplers/tpe/split.ts';
import { frozen, tpe } from './fixture.ts';

const gammas: Record<string, (n: number) => number> = {
  default_gamma: defaultGamma, hyperopt_default_gamma: hyperoptDefaultGamma, half: (n) => Math.floor(n / 2), all: (n) => n,
};

test('gamma functions', () => {
  assert.deepEqual([0, 10, 11, 240, 241, 1000].map(defaultGamma), [0, 1, 2, 24, 25, 25]);
  assert.deepEqual([1, 16, 17, 10000, 100000].map(hyperoptDefaultGamma), [1, 1, 2, 25, 25]);
});

test('splits match Optuna for every history, direction, gamma and constant-liar setting', () => {
  let checked = 0;
  for (const c of tpe.splits) {
    const trials = c.trials.map((r: unknown) => frozen(r));
    for (const r of c.results) {
      const pool = trials.filter((t: any) => t.state === 'COMPLETE' || t.state === 'PRUNED' || (r.constant_liar && t.state === 'RUNNING'));
      const n = pool.filter((t: any) => t.state !== 'RUNNING').length;
      assert.equal(n, r.n);
      const nBelow = gammas[r.gamma](n);
      assert.equal(nBelow, r.n_below);
      const { below, above } = splitTrials(pool, nBelow, c.direction);
      const what = `${c.history}/${c.direction}/${r.gamma}/liar=${r.constant_liar}`;
      assert.deepEqual(below.map((t) => t.number), r.below, what);
      assert.deepEqual(above.map((t) => t.number), r.above, what);
      checked++;
    }
  }
  assert.equal(checked, 32);
});

test('tpe_step split (40 trials, default gamma)', () => {
  const s = tpe.tpe_step;
  const { below, above } = splitTrials(s.history.map((r: unknown) => frozen(r)), defaultGamma(s.history.length), 'minimize');
  assert.deepEqual(below.map((t) => t.number), s.split.below);
  assert.deepEqual(above.map((t) => t.number), s.split.above);
});
