// What --resume compares: the settings and data a checkpoint was trained with against the current ones, and the
// saved training state's schema (a negative epoch or a history that does not match is refused).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateConfig } from '../../src/config/load.ts';
import { parseLoopState, resumeDifferences, resumeFingerprint } from '../../src/pipeline/resume-check.ts';

const cfg = (extra: Record<string, Record<string, unknown>> = {}) => validateConfig({ seed: 1, ...extra });
const w = { sequences_created_at: '2026-01-01T00:00:00.000Z', data_hash: 'abc' };

test('model, data and training keys that differ are listed with both values; epochs and threads may differ', () => {
  const saved = resumeFingerprint(cfg(), w);
  assert.deepEqual(resumeDifferences(saved, resumeFingerprint(cfg({ train: { epochs: 99, threads: 3 } }), w)), []);
  const d = resumeDifferences(saved, resumeFingerprint(cfg({ model: { d_model: 64 }, train: { lr: 0.01 }, data: { coins: ['BTC', 'XRP'] } }), w));
  assert.deepEqual(d.map((x) => x.split(' ')[0]), ['data.coins', 'model.d_model', 'train.lr']);
  assert.match(d[1]!, /^model\.d_model 64 \(checkpoint: 128\)$/);
  const other = resumeDifferences(saved, resumeFingerprint(cfg(), { sequences_created_at: '2026-02-01T00:00:00.000Z', data_hash: 'def' }));
  assert.equal(other.length, 2);
  assert.match(other.join('; '), /data files .*"def" \(checkpoint: "abc"\).*sequences .*2026-02-01/);
});

const state = (o: Record<string, unknown> = {}) => ({
  epoch: 2, globalStep: 10, stoppedEarly: false, bestEpoch: 1, bestValLoss: 1.05,
  schedule: { baseLr: 0.001, plateauBest: 1.05, plateauBad: 1, stopBest: 1.05, stopBad: 1, reductions: 0 },
  history: [{ epoch: 1, val_loss: 1.05 }, { epoch: 2, val_loss: 1.07 }], ...o,
});

test('the saved training state is checked: negative or inconsistent values are refused naming the key and file', () => {
  assert.equal(parseLoopState(state(), 'ck.json').epoch, 2);
  assert.equal(parseLoopState(state({ bestValLoss: null }), 'ck.json').bestValLoss, null, 'Infinity saved as null');
  const bad: Array<[Record<string, unknown>, RegExp]> = [
    [{ epoch: -1 }, /loop\.epoch/],
    [{ epoch: 3 }, /loop\.history: history must hold one row per finished epoch/],
    [{ globalStep: 1.5 }, /loop\.globalStep/],
    [{ bestEpoch: 5 }, /loop\.bestEpoch/],
    [{ schedule: { baseLr: -1 } }, /loop\.schedule/],
  ];
  for (const [o, msg] of bad) {
    assert.throws(() => parseLoopState(state(o), '/a/checkpoint_last/checkpoint.json'), (e: Error) => {
      assert.equal(e.name, 'UserError');
      assert.match(e.message, /^\/a\/checkpoint_last\/checkpoint\.json: not a valid training state/);
      assert.match(e.message, msg);
      return true;
    }, JSON.stringify(o));
  }
  assert.throws(() => parseLoopState(undefined, 'x'), /not a valid training state/);
});
