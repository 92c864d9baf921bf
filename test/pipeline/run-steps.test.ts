// Each step's context in a folder with a run profile: the profile's data keys, and which keys a step may take from flags.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateConfig } from '../../src/config/load.ts';
import { silentReporter } from '../../src/util/reporter.ts';
import { profileFromConfig, writeRunProfile } from '../../src/pipeline/run-profile.ts';
import { stepContext } from '../../src/pipeline/run-steps.ts';

const dir = mkdtempSync(join(tmpdir(), 'tokcast-steps-'));
const cfg = (data: Record<string, unknown>) => validateConfig({ artifacts_dir: dir, data: { coins: ['BTC', 'XRP'], target_coin: 'XRP', start: '2022-01-01', end: '2022-02-01', ...data } });
writeRunProfile(dir, profileFromConfig(cfg({}), 'h'));

test('evaluate takes other dates only out of sample, and says so; inference takes --end; reset ignores the profile', () => {
  const later = cfg({ start: '2022-03-01', end: '2022-03-10' });
  const given = { start: '--start', end: '--end' } as const;
  assert.throws(() => stepContext('evaluate', { config: later, reporter: silentReporter, given }), /--start 2022-03-01 .*add --out-of-sample/);
  const oos = stepContext('evaluate', { config: later, reporter: silentReporter, given, stepOpts: { outOfSample: true } });
  assert.equal(oos.config.data.start, '2022-03-01');
  assert.throws(() => stepContext('clean', { config: later, reporter: silentReporter, given }), /--end 2022-03-10 \(this run: end 2022-02-01\)/);
  const inf = stepContext('inference', { config: cfg({ end: '2022-01-20' }), reporter: silentReporter, given: { end: '--end' } });
  assert.equal(inf.config.data.end, '2022-01-20');
  assert.throws(() => stepContext('inference', { config: cfg({ source: 'csv', data_dir: dir }), reporter: silentReporter, given: { data_dir: '--data-dir' } }), /use --csv DIR/);
  assert.equal(stepContext('reset', { config: later, reporter: silentReporter, given }).config.data.start, '2022-03-01');
});

test('a step run without data flags gets the run\'s keys and a note naming them', () => {
  const notes: string[] = [];
  const ctx = stepContext('tokenize', { config: cfg({ coins: ['BTC', 'ETH', 'XRP'] }), reporter: { ...silentReporter, log: (m) => notes.push(m) } });
  assert.deepEqual(ctx.config.data.coins, ['BTC', 'XRP']);
  assert.equal(notes.length, 1);
  assert.match(notes[0]!, /^tokenize: this run's coins BTC,XRP \(run\.json; the config says BTC,ETH,XRP\)/);
});
