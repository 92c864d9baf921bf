import { test } from 'node:test';
import assert from 'node:assert/strict';
import { didYouMean, editDistance, nearest } from '../../src/util/suggest.ts';

test('edit distance counts insertions, deletions, substitutions and adjacent swaps', () => {
  assert.equal(editDistance('train', 'train'), 0);
  assert.equal(editDistance('trian', 'train'), 1);
  assert.equal(editDistance('BTX', 'BTC'), 1);
  assert.equal(editDistance('lr', 'lrr'), 1);
  assert.equal(editDistance('', 'abc'), 3);
  assert.equal(editDistance('kitten', 'sitting'), 3);
});

test('the nearest candidates within a third of the word, case-insensitive; none when nothing is close', () => {
  assert.deepEqual(nearest('btx', ['BTC', 'ETH', 'BNB']), ['BTC']);
  assert.deepEqual(nearest('XYZQ', ['BTC', 'ETH']), []);
  assert.equal(didYouMean('ETX', ['BTC', 'ETH']), ' (did you mean ETH?)');
  assert.equal(didYouMean('SOLANA', ['BTC', 'ETH']), '');
});
