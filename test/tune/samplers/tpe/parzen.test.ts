// Parity of the Parzen estimator with Optuna 4.9 (test/fixtures/hpo/tpe-4.9.0.json: univariate, multivariate; stable-tie variants).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ParzenEstimator, defaultWeights, type ParzenParams } from '../../../../src/tune/samplers/tpe/parzen.ts';
import { Rng } from '../../../../src/util/rng.ts';
import { FloatDistribution, IntDistribution, CategoricalDistribution } from '../../../../src/tune/distributions.ts';
import { close, columns, space, tpe } from './fixture.ts';

const base: ParzenParams = { priorWeight: 1, considerMagicClip: true, considerEndpoints: false, weights: defaultWeights, multivariate: false };

function checkEstimator(pe: ParzenEstimator, est: Record<string, any>, names: string[], what: string): void {
  close(pe.weights, est.weights, 0, 1e-12, `${what} weights`);
  for (const name of names) {
    const p = est[name] ?? est.p;
    const k = pe.kernels[name];
    if (p.kind === 'categorical') {
      assert.equal(k.kind, 'categorical');
      if (k.kind === 'categorical') p.probs.forEach((row: number[], i: number) => close(k.probs[i], row, 1e-15, 1e-12, `${what} ${name} probs[${i}]`));
    } else {
      assert.equal(k.kind, 'numerical');
      if (k.kind === 'numerical') {
        close(k.mus, p.mus, 1e-15, 1e-12, `${what} ${name} mus`);
        close(k.sigmas, p.sigmas, 1e-15, 1e-12, `${what} ${name} sigmas`);
      }
    }
  }
}

test('univariate estimators and log densities match Optuna 4.9 (all dist types, 0/1/4/30 observations)', () => {
  let n = 0;
  for (const c of tpe.univariate) {
    const sp = space({ x: c.distribution });
    const obs = columns(c.observations.map((x: unknown) => ({ x })), sp);
    const pe = new ParzenEstimator(obs, sp, base);
    const what = `${c.dist_type}/${c.observations.length}`;
    checkEstimator(pe, c.tie_sensitive ? c.estimator_stable_ties : c.estimator, ['x'], what);
    const lp = pe.logPdf(columns(c.points.map((x: unknown) => ({ x })), sp));
    close(lp, c.tie_sensitive ? c.log_pdf_stable_ties : c.log_pdf, 1e-9, 0, `${what} log_pdf`);
    n++;
  }
  assert.equal(n, 28);
});

test('multivariate estimators and joint log densities match Optuna 4.9', () => {
  for (const c of tpe.multivariate) {
    const sp = space(c.space);
    const pe = new ParzenEstimator(columns(c.observations, sp), sp, { ...base, multivariate: true });
    const est = c.tie_sensitive ? c.estimator_stable_ties : c.estimator;
    const what = `multivariate/${c.observations.length}`;
    checkEstimator(pe, { weights: est.weights, ...(est.p ?? est) }, Object.keys(sp), what);
    close(pe.logPdf(columns(c.points, sp)), c.tie_sensitive ? c.log_pdf_stable_ties : c.log_pdf, 1e-9, 0, `${what} log_pdf`);
  }
});

test('default weights ramp the oldest observations', () => {
  assert.deepEqual(defaultWeights(0), []);
  assert.deepEqual(defaultWeights(3), [1, 1, 1]);
  const w = defaultWeights(30);
  assert.equal(w.length, 30);
  assert.ok(Math.abs(w[0] - 1 / 30) < 1e-15 && w[4] === 1 && w[29] === 1 && w[1] > w[0]);
});

test('samples stay in the domain, on the grid, and follow the estimator', () => {
  const sp = {
    f: new FloatDistribution(-3, 5), fl: new FloatDistribution(1e-4, 1, { log: true }), fs: new FloatDistribution(0, 1, { step: 0.1 }),
    i: new IntDistribution(1, 10), il: new IntDistribution(16, 1024, { log: true }), c: new CategoricalDistribution(['a', 'b', 'c']),
  };
  const obs = { f: [4.9, 4.8, 4.95], fl: [1e-3, 2e-3, 5e-4], fs: [0.3, 0.3, 0.4], i: [2, 2, 3], il: [100, 120, 90], c: [2, 2, 2] };
  const pe = new ParzenEstimator(obs, sp, base);
  const s = pe.sample(new Rng(1), 4000);
  for (let j = 0; j < 4000; j++) {
    assert.ok(s.f[j] >= -3 && s.f[j] <= 5);
    assert.ok(s.fl[j] >= 1e-4 && s.fl[j] <= 1);
    assert.ok(sp.fs.contains(s.fs[j]) || Math.abs(Math.round(s.fs[j] * 10) - s.fs[j] * 10) < 1e-9);
    assert.ok(Number.isInteger(s.i[j]) && s.i[j] >= 1 && s.i[j] <= 10);
    assert.ok(Number.isInteger(s.il[j]) && s.il[j] >= 16 && s.il[j] <= 1024);
  }
  // 3 of 4 components put mass 2/3 on choice 2 (weight 3/4): P(c) = 3/4*(2/3... ) -> expected from probs
  const expectedC = pe.weights.reduce((acc, w, i) => acc + w * (pe.kernels.c.kind === 'categorical' ? pe.kernels.c.probs[i][2] : 0), 0);
  const fracC = Array.from(s.c).filter((x) => x === 2).length / 4000;
  assert.ok(Math.abs(fracC - expectedC) < 0.03, `${fracC} vs ${expectedC}`);
  // empirical frequencies of the int parameter match exp(logPdf) (a probability mass)
  const grid = Array.from({ length: 10 }, (_, k) => k + 1);
  const mass = pe.logPdf({ f: grid.map(() => 0), fl: grid.map(() => 0.01), fs: grid.map(() => 0.5), i: grid, il: grid.map(() => 64), c: grid.map(() => 0) });
  void mass;
  const iOnly = new ParzenEstimator({ i: obs.i }, { i: sp.i }, base);
  const pm = Array.from(iOnly.logPdf({ i: grid }), Math.exp);
  assert.ok(Math.abs(pm.reduce((a, b) => a + b, 0) - 1) < 1e-9);
  const si = iOnly.sample(new Rng(2), 20000).i;
  for (const g of grid) {
    const f = Array.from(si).filter((x) => x === g).length / 20000;
    assert.ok(Math.abs(f - pm[g - 1]) < 0.015, `P(${g}) ${f} vs ${pm[g - 1]}`);
  }
});

test('skipping negligible components leaves log densities within 1e-12 of a brute-force mixture (500 observations)', async () => {
  const { logGaussMass } = await import('../../../../src/tune/samplers/tpe/truncnorm.ts');
  const sp = {
    f: new FloatDistribution(-3, 5), il: new IntDistribution(16, 1024, { log: true }), i: new IntDistribution(1, 10),
    s: new FloatDistribution(0, 1, { step: 0.1 }), c: new CategoricalDistribution(['a', 'b', 'c']),
  };
  const rng = new Rng(11);
  const m = 500;
  const obs = {
    f: Array.from({ length: m }, () => rng.uniform(-3, 5)), il: Array.from({ length: m }, () => 16 + rng.int(1009)),
    i: Array.from({ length: m }, () => 1 + rng.int(10)), s: Array.from({ length: m }, () => rng.int(11) / 10), c: Array.from({ length: m }, () => rng.int(3)),
  };
  for (const multivariate of [true, false]) {
    const pe = new ParzenEstimator(obs, sp, { ...base, multivariate });
    const pts = pe.sample(rng, 40);
    const got = pe.logPdf(pts);
    for (let j = 0; j < 40; j++) {
      const terms: number[] = [];
      for (let i = 0; i < pe.weights.length; i++) {
        let v = Math.log(pe.weights[i]);
        for (const [name, k] of Object.entries(pe.kernels)) {
          const x = pts[name][j];
          if (k.kind === 'categorical') { v += Math.log(k.probs[i][x]); continue; }
          const mu = k.mus[i], sg = k.sigmas[i];
          const logZ = logGaussMass((k.lo - mu) / sg, (k.hi - mu) / sg);
          if (k.step === null) {
            const t = k.log ? Math.log(x) : x;
            v += -0.5 * ((t - mu) / sg) ** 2 - 0.5 * Math.log(2 * Math.PI) - Math.log(sg) - logZ;
          } else {
            const a = k.log ? Math.log(x - k.step / 2) : x - k.step / 2, b = k.log ? Math.log(x + k.step / 2) : x + k.step / 2;
            v += logGaussMass((Math.max(a, k.lo) - mu) / sg, (Math.min(b, k.hi) - mu) / sg) - logZ;
          }
        }
        terms.push(v);
      }
      const mx = Math.max(...terms);
      const ref = mx + Math.log(terms.reduce((acc, t) => acc + Math.exp(t - mx), 0));
      assert.ok(Math.abs(got[j] - ref) < 1e-12 * Math.max(1, Math.abs(ref)), `multivariate=${multivariate} point ${j}: ${got[j]} vs ${ref}`);
    }
  }
});

test('continuous samples follow the estimator density (empirical CDF vs integrated exp(logPdf)), linear and log', () => {
  for (const d of [new FloatDistribution(-3, 5), new FloatDistribution(1e-4, 1, { log: true })]) {
    const obs = d.log ? [1e-3, 2e-3, 0.5, 3e-4] : [4.9, -2.5, 0.1, 0.2];
    const pe = new ParzenEstimator({ x: obs }, { x: d }, base);
    const n = 40000;
    const xs = Array.from(pe.sample(new Rng(5), n).x).sort((a, b) => a - b);
    // density w.r.t. ln x for log distributions: integrate over t = ln x
    const lo = d.log ? Math.log(d.low) : d.low, hi = d.log ? Math.log(d.high) : d.high;
    const grid = Array.from({ length: 4001 }, (_, k) => lo + ((hi - lo) * k) / 4000);
    const dens = Array.from(pe.logPdf({ x: grid.map((t) => (d.log ? Math.exp(t) : t)) }), Math.exp);
    let cdf = 0, maxGap = 0, j = 0;
    for (let k = 1; k < grid.length; k++) {
      cdf += ((dens[k - 1] + dens[k]) / 2) * (grid[k] - grid[k - 1]);
      const edge = d.log ? Math.exp(grid[k]) : grid[k];
      while (j < n && xs[j] <= edge) j++;
      maxGap = Math.max(maxGap, Math.abs(j / n - cdf));
    }
    assert.ok(Math.abs(cdf - 1) < 1e-3, `density integrates to ${cdf}`);
    assert.ok(maxGap < 0.012, `KS distance ${maxGap} (log=${d.log})`); // 1.63/sqrt(n) = 0.008 at the 1% level
  }
});
