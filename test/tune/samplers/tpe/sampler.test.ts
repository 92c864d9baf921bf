// One complete TPE decision against Optuna 4.9 (`tpe_step`): estimators, acquisition and argmax, univariate and joint.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ParzenEstimator, defaultWeights } from '../../../../src/tune/samplers/tpe/parzen.ts';
import { FloatDistribution, IntDistribution } from '../../../../src/tune/distributions.ts';
import { argmaxAcquisition, observations } from '../../../../src/tune/samplers/tpe/sampler.ts';
import { defaultGamma, splitTrials } from '../../../../src/tune/samplers/tpe/split.ts';
import { close, columns, frozen, space, tpe } from './fixture.ts';

const s = tpe.tpe_step;
const sp = space(s.space);
const history = s.history.map((r: unknown) => frozen(r, sp));
const { below, above } = splitTrials(history, defaultGamma(history.length), 'minimize');
const params = { priorWeight: 1, considerMagicClip: true, considerEndpoints: false, weights: defaultWeights, multivariate: false };

test('univariate decision per parameter: log l, log g, acquisition, argmax, chosen value', () => {
  for (const [name, u] of Object.entries<any>(s.univariate)) {
    const one = { [name]: sp[name] };
    const l = new ParzenEstimator(observations(below, one), one, params);
    const g = new ParzenEstimator(observations(above, one), one, params);
    const cand = columns(s.candidates, one);
    const lb = u.below.tie_sensitive ? u.below.log_pdf_stable_ties : u.below.log_pdf;
    const la = u.above.tie_sensitive ? u.above.log_pdf_stable_ties : u.above.log_pdf;
    close(l.logPdf(cand), lb, 1e-9, 0, `${name} below`);
    close(g.logPdf(cand), la, 1e-9, 0, `${name} above`);
    const acq = Array.from(l.logPdf(cand), (v, j) => v - g.logPdf(cand)[j]);
    close(acq, u.acquisition_stable_ties ?? u.acquisition, 2e-9, 0, `${name} acquisition`);
    const arg = argmaxAcquisition(l, g, cand);
    assert.equal(arg, u.argmax_stable_ties ?? u.argmax, name);
    assert.deepEqual({ [name]: sp[name].toExternal(cand[name][arg]) }, u.chosen);
  }
});

test('multivariate decision: joint estimators, acquisition, argmax and chosen configuration', () => {
  const m = s.multivariate;
  const mp = { ...params, multivariate: true };
  const l = new ParzenEstimator(observations(below, sp), sp, mp);
  const g = new ParzenEstimator(observations(above, sp), sp, mp);
  const cand = columns(s.candidates, sp);
  close(l.logPdf(cand), m.below.log_pdf_stable_ties ?? m.below.log_pdf, 1e-9, 0, 'joint below');
  close(g.logPdf(cand), m.above.log_pdf_stable_ties ?? m.above.log_pdf, 1e-9, 0, 'joint above');
  const arg = argmaxAcquisition(l, g, cand);
  assert.equal(arg, m.argmax);
  const chosen = Object.fromEntries(Object.keys(sp).map((k) => [k, sp[k].toExternal(cand[k][arg])]));
  assert.deepEqual(chosen, m.chosen);
});

import { createStudy } from '../../../../src/tune/study.ts';
import { TPESampler } from '../../../../src/tune/samplers/tpe/sampler.ts';
import { RandomSampler } from '../../../../src/tune/samplers/random.ts';
import { BRANIN_MIN, HARTMANN6_ARGMIN, HARTMANN6_MIN, branin, hartmann6, objectives } from '../functions.ts';
import type { Sampler } from '../../../../src/tune/samplers/sampler.ts';

async function bestOf(sampler: Sampler, objective: (t: any) => number, nTrials: number): Promise<number> {
  const study = await createStudy({ sampler });
  await study.optimize(objective, { nTrials });
  return study.bestValue();
}

test('test functions have their published minima', () => {
  assert.ok(Math.abs(branin(Math.PI, 2.275) - BRANIN_MIN) < 1e-5);
  assert.ok(Math.abs(branin(-Math.PI, 12.275) - BRANIN_MIN) < 1e-5);
  assert.ok(Math.abs(hartmann6(HARTMANN6_ARGMIN) - HARTMANN6_MIN) < 1e-4);
});

test('TPE beats random search clearly at 100 trials (Branin, Hartmann-6, mixed training surrogate; 10 seeds)', async () => {
  const minima = { branin: BRANIN_MIN, hartmann6: HARTMANN6_MIN, training: 0.3 };
  for (const [name, objective] of Object.entries(objectives)) {
    let tpeRegret = 0, randRegret = 0, wins = 0;
    for (let seed = 0; seed < 10; seed++) {
      const a = await bestOf(new TPESampler({ seed }), objective as never, 100);
      const b = await bestOf(new RandomSampler({ seed }), objective as never, 100);
      const min = minima[name as keyof typeof minima];
      tpeRegret += a - min;
      randRegret += b - min;
      if (a < b) wins++;
    }
    assert.ok(tpeRegret < 0.6 * randRegret, `${name}: mean regret TPE ${tpeRegret / 10} vs random ${randRegret / 10}`);
    assert.ok(wins >= 7, `${name}: TPE better on ${wins}/10 seeds`);
  }
});

test('startup trials are the RandomSampler draws with the same seed; invalid options are rejected', async () => {
  const params = async (sampler: Sampler) => {
    const study = await createStudy({ sampler });
    await study.optimize(objectives.training, { nTrials: 10 });
    return (await study.getTrials()).map((t) => t.params);
  };
  assert.deepEqual(await params(new TPESampler({ seed: 5 })), await params(new RandomSampler({ seed: 5 })));
  assert.throws(() => new TPESampler({ group: true, multivariate: false }), /group/);
  assert.throws(() => new TPESampler({ nStartupTrials: -1 }), /n_startup_trials/);
  assert.throws(() => new TPESampler({ priorWeight: -1 }), /prior_weight/);
});

test('independent and group modes handle conditional search spaces', async () => {
  for (const opts of [{ multivariate: false }, { multivariate: true, group: true }, { multivariate: true }]) {
    const study = await createStudy({ sampler: new TPESampler({ seed: 1, nStartupTrials: 5, ...opts }) });
    await study.optimize((t) => {
      const kind = t.suggestCategorical('kind', ['a', 'b']);
      if (kind === 'a') return (t.suggestFloat('xa', -5, 5) - 1) ** 2;
      return 1 + (t.suggestInt('nb', 0, 20) - 7) ** 2 + t.suggestFloat('yb', 0, 1);
    }, { nTrials: 40 });
    const trials = await study.getTrials();
    assert.equal(trials.filter((t) => t.state === 'COMPLETE').length, 40);
    assert.ok((await study.bestValue()) < 0.5, JSON.stringify(opts));
  }
});

test('constant liar: a running trial publishes its joint params and counts as an "above" observation before suggesting', async () => {
  const study = await createStudy({ sampler: new TPESampler({ seed: 4, nStartupTrials: 3, multivariate: true, constantLiar: true }) });
  await study.optimize((t) => t.suggestFloat('x', 0, 1) + t.suggestInt('n', 1, 5), { nTrials: 8 });
  const pending = await study.ask(); // relative params sampled, nothing suggested yet
  const stored = await study.getTrial(pending.number);
  const rel = stored.systemAttrs['tpe:relative_params'] as Record<string, number>;
  assert.deepEqual(Object.keys(rel).sort(), ['n', 'x']);
  assert.deepEqual(stored.params, {});
  const sp = { x: new FloatDistribution(0, 1), n: new IntDistribution(1, 5) };
  assert.deepEqual(observations([stored], sp), { x: [rel.x], n: [rel.n] });
  assert.equal(pending.suggestFloat('x', 0, 1), rel.x); // the trial itself uses them
  const plain = await createStudy({ sampler: new TPESampler({ seed: 4, nStartupTrials: 3, multivariate: true }) }); // constant liar off by default
  await plain.optimize((t) => t.suggestFloat('x', 0, 1), { nTrials: 5 });
  const q = await plain.ask();
  assert.equal((await plain.getTrial(q.number)).systemAttrs['tpe:relative_params'], undefined);
});
