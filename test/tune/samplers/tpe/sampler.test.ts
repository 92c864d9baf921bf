// One complete TPE decision against Optuna 4.9 (`tpe_step`): estimators, acquisition and argmax, univariate and joint.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ParzenEstimator, defaultWeights } from '../../../../src/tune/samplers/tpe/parzen.ts';
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
