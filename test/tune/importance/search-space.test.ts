import { test } from 'node:test';
import assert from 'node:assert/strict';
import { collectImportanceData, encodeTrials, intersectionSearchSpace } from '../../../src/tune/importance/search-space.ts';
import { FloatDistribution } from '../../../src/tune/distributions.ts';
import { fixture, fixtureTrials } from './fixture.ts';

const byName = (name: string) => fixture.cases.find((c) => c.name === name)!;

test('filtering case: conditional d is excluded, PRUNED/FAIL and the inf-valued trial are not used', () => {
  const c = byName('filtering');
  const trials = fixtureTrials(c);
  const data = collectImportanceData(trials);
  assert.deepEqual(data.distributions.map(([n]) => n), ['a', 'b', 'c']);
  const expected = c.trials.filter((t) => t.state === 'COMPLETE' && typeof t.value === 'number').map((t) => t.number);
  assert.ok(expected.length < c.trials.filter((t) => t.state === 'COMPLETE').length, 'the fixture has a non-finite COMPLETE trial');
  assert.deepEqual(data.trials.map((t) => t.number), expected);
  assert.ok(data.trials.every((t) => t.state === 'COMPLETE' && Number.isFinite(t.value)));
  assert.deepEqual([...data.y], c.fanova_exact_trees.y);
});

test('encoding reproduces Optuna\'s design matrix, bounds and column groups for every case', () => {
  for (const c of fixture.cases) {
    const data = collectImportanceData(fixtureTrials(c));
    const e = c.fanova_exact_trees;
    assert.deepEqual(data.distributions.map(([n]) => n), e.param_order, c.name);
    const enc = encodeTrials(data.trials, data.distributions);
    assert.deepEqual(enc.columnsOf, e.encoded_columns, c.name);
    assert.deepEqual(enc.bounds, e.bounds, c.name);
    assert.deepEqual(enc.X.map((r) => [...r]), e.X, c.name);
  }
});

test('explicit params: a parameter present in only some trials is evaluated on those trials', () => {
  const trials = fixtureTrials(byName('filtering'));
  const data = collectImportanceData(trials, ['d', 'a']);
  assert.deepEqual(data.distributions.map(([n]) => n), ['a', 'd']);
  assert.ok(data.trials.length > 2 && data.trials.every((t) => 'd' in t.params));
  assert.throws(() => collectImportanceData(trials, ['nope']), /no COMPLETE trial has all/);
});

test('errors: fewer than two COMPLETE trials; differing distributions with explicit params', () => {
  const d1 = new FloatDistribution(0, 1), d2 = new FloatDistribution(0, 2);
  const mk = (value: number, d = d1, state = 'COMPLETE') => ({ state, value, params: { x: 0.5 }, distributions: { x: d } });
  assert.throws(() => collectImportanceData([]), /no COMPLETE trials/);
  assert.throws(() => collectImportanceData([mk(1), mk(2, d1, 'PRUNED')]), /only one COMPLETE/);
  assert.throws(() => collectImportanceData([mk(1), mk(2, d2)], ['x']), /different distributions/);
  // without params, a parameter whose range changed simply drops out of the intersection space
  assert.equal(intersectionSearchSpace([mk(1), mk(2, d2)]).size, 0);
  assert.equal(intersectionSearchSpace([mk(1), mk(2, d2, 'FAIL')]).size, 1);
});
