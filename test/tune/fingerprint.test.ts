// Study fingerprints: the default study name follows the data, the objective and the search space; a study recorded for
// other ones is refused, naming what differs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FloatDistribution, IntDistribution } from '../../src/tune/distributions.ts';
import { FINGERPRINT_KEY, checkFingerprint, fingerprintDifferences, fingerprintDigest, studyFingerprint } from '../../src/tune/fingerprint.ts';

const space = { lr: new FloatDistribution(1e-4, 1e-2, { log: true }), n_layers: new IntDistribution(1, 4) };
const base = studyFingerprint('aa'.repeat(32), { metric: 'val_nll_min', epochs_per_trial: 10 }, space);

test('the digest ignores key order and changes with the data, the objective or the search space', () => {
  const reordered = studyFingerprint('aa'.repeat(32), { metric: 'val_nll_min', epochs_per_trial: 10 }, { n_layers: space.n_layers, lr: space.lr });
  assert.equal(fingerprintDigest(reordered), fingerprintDigest(base));
  assert.match(fingerprintDigest(base), /^[0-9a-f]{12}$/);
  const variants = [
    studyFingerprint('bb'.repeat(32), base.objective, space),
    studyFingerprint(base.data, { metric: 'val_nll_min', epochs_per_trial: 11 }, space),
    studyFingerprint(base.data, { metric: 'val_acc', epochs_per_trial: 10 }, space),
    studyFingerprint(base.data, base.objective, { ...space, lr: new FloatDistribution(1e-4, 1e-1, { log: true }) }),
    studyFingerprint(base.data, base.objective, { lr: space.lr }),
  ];
  assert.equal(new Set([base, ...variants].map(fingerprintDigest)).size, 6);
  assert.deepEqual(fingerprintDifferences(base, variants[0]).map((d) => d.split(' ')[0]), ['data']);
  assert.match(fingerprintDifferences(base, variants[1])[0], /epochs_per_trial \(study: 10, this run: 11\)/);
  assert.deepEqual(fingerprintDifferences(base, variants[3]), ['search space (lr)']);
  assert.deepEqual(fingerprintDifferences(base, variants[4]), ['search space (n_layers)']);
  assert.deepEqual(fingerprintDifferences(base, reordered), []);
});

test('checkFingerprint records it on a new study, accepts the same one, refuses another or an unrecorded study with trials', () => {
  assert.deepEqual(checkFingerprint('s', {}, 0, base), base);
  assert.equal(checkFingerprint('s', { [FINGERPRINT_KEY]: base as never }, 5, base), null);
  const other = studyFingerprint('cc'.repeat(32), { metric: 'val_nll_min', epochs_per_trial: 3 }, space);
  assert.throws(() => checkFingerprint('s', { [FINGERPRINT_KEY]: base as never }, 5, other), /study "s" was made for other data \(study: aaaaaaaaaaaa, this run: cccccccccccc\); objective epochs_per_trial/);
  assert.throws(() => checkFingerprint('old', {}, 3, base), /study "old" has 3 trials but no recorded/);
});
