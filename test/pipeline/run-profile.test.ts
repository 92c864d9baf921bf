// The run profile: what step 1 records (csv files with their hashes), and how a later step's config is resolved
// against it: the run's data keys win over the config file, a contradicting flag is refused naming both values.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { validateConfig } from '../../src/config/load.ts';
import { profileFromConfig, readRunProfile, resolveWithProfile, runProfilePath, writeRunProfile } from '../../src/pipeline/run-profile.ts';
import { TOOL_VERSION } from '../../src/util/version.ts';

const tmp = () => mkdtempSync(join(tmpdir(), 'tokcast-profile-'));
const csvDir = () => {
  const d = tmp();
  for (const c of ['BTC', 'ETH', 'XRP']) writeFileSync(join(d, `${c}USDT.csv`), `open_time,open,high,low,close,volume\n0,1,1,1,${c.length},1\n`);
  return d;
};
const cfg = (data: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  validateConfig({ seed: 3, ...extra, data: { coins: ['BTC', 'ETH', 'XRP'], target_coin: 'XRP', start: '2022-01-01', end: '2022-02-01', ...data } });

test('a csv profile records the folder, every file read with its sha256, the dates as hours, the tool version', () => {
  const d = csvDir();
  const p = profileFromConfig(cfg({ source: 'csv', data_dir: d }), 'h1');
  assert.equal(p.source, 'csv');
  assert.equal(p.data_dir, resolve(d));
  assert.deepEqual(p.data_files.map((f) => f.coin), ['BTC', 'ETH', 'XRP']);
  for (const f of p.data_files) {
    const bytes = readFileSync(f.file);
    assert.equal(f.sha256, createHash('sha256').update(bytes).digest('hex'));
    assert.equal(f.bytes, bytes.length);
  }
  assert.equal(p.first_hour, '2022-01-01T00:00Z');
  assert.equal(p.last_hour, '2022-02-01T23:00Z');
  assert.equal(p.tool_version, TOOL_VERSION);
  assert.equal(p.config_hash, 'h1');
  writeFileSync(join(d, 'XRPUSDT.csv'), 'open_time,open,high,low,close,volume\n0,1,1,1,9,1\n');
  assert.notEqual(profileFromConfig(cfg({ source: 'csv', data_dir: d }), 'h1').data_hash, p.data_hash, 'an edited file changes the data hash');
});

test('the profile round-trips through run.json; a damaged one is refused naming the file and the way out', () => {
  const dir = tmp();
  assert.equal(readRunProfile(dir), null);
  const p = profileFromConfig(cfg({ source: 'synthetic' }), 'h');
  writeRunProfile(dir, p);
  assert.deepEqual(readRunProfile(dir), p);
  assert.equal(p.synthetic_seed, 3, 'the synthetic market is seeded by the global seed when data.synthetic.seed is null');
  writeFileSync(runProfilePath(dir), readFileSync(runProfilePath(dir), 'utf8').replace('"synthetic"', '"ftp"'));
  assert.throws(() => readRunProfile(dir), (e: Error) => e.name === 'UserError' && e.message.includes('run.json') && /source/.test(e.message) && /pipeline reset/.test(e.message));
  writeFileSync(runProfilePath(dir), '{"format": ');
  assert.throws(() => readRunProfile(dir), /run\.json.*not valid JSON/);
});

test('a later step takes the data keys from the profile (the csv run), whatever the config file says', () => {
  const d = csvDir();
  const profile = profileFromConfig(cfg({ source: 'csv', data_dir: d }), 'h');
  const plain = cfg({ source: 'synthetic', coins: ['BTC', 'XRP'], start: '2021-01-01' });
  const r = resolveWithProfile(plain, profile, {});
  assert.equal(r.config.data.source, 'csv');
  assert.equal(r.config.data.data_dir, resolve(d));
  assert.deepEqual(r.config.data.coins, ['BTC', 'ETH', 'XRP']);
  assert.equal(r.config.data.start, '2022-01-01');
  assert.deepEqual(r.fromProfile.map((f) => f.key).sort(), ['coins', 'data_dir', 'source', 'start']);
  // the same run given again: nothing changes, the config object is kept (its hash too)
  const same = cfg({ source: 'csv', data_dir: d, start: '2022-01-01T00:00Z' });
  const r2 = resolveWithProfile(same, profile, { source: '--source', data_dir: '--data-dir', start: '--start' });
  assert.equal(r2.config, same);
  assert.deepEqual(r2.fromProfile, []);
});

test('every contradicting flag is refused: both values, the flag, and the two ways out', () => {
  const d = csvDir(), other = csvDir();
  const profile = profileFromConfig(cfg({ source: 'csv', data_dir: d }), 'h');
  const cases: Array<[Record<string, unknown>, Record<string, string>, RegExp]> = [
    [{ source: 'synthetic' }, { source: '--source' }, /--source synthetic \(this run: source csv\)/],
    [{ source: 'csv', data_dir: other }, { data_dir: '--data-dir' }, new RegExp(`--data-dir ${other} \\(this run: data_dir ${resolve(d)}\\)`)],
    [{ source: 'csv', data_dir: d, coins: ['BTC', 'XRP'] }, { coins: '--coins' }, /--coins BTC,XRP \(this run: coins BTC,ETH,XRP\)/],
    [{ source: 'csv', data_dir: d, target_coin: 'ETH' }, { target_coin: '--target-coin' }, /--target-coin ETH \(this run: target_coin XRP\)/],
    [{ source: 'csv', data_dir: d, start: '2022-01-02' }, { start: '--start' }, /--start 2022-01-02 \(this run: start 2022-01-01\)/],
    [{ source: 'csv', data_dir: d, end: '2022-01-31' }, { end: '--set data.end' }, /--set data.end 2022-01-31 \(this run: end 2022-02-01\)/],
  ];
  for (const [data, given, msg] of cases) {
    assert.throws(() => resolveWithProfile(cfg(data), profile, given, [], '/x/art'), (e: Error) => {
      assert.equal(e.name, 'UserError');
      assert.match(e.message, msg);
      assert.match(e.message, /^\/x\/art\/run\.json: /);
      assert.match(e.message, /`tokcast pipeline reset`/);
      assert.match(e.message, /another --artifacts-dir/);
      return true;
    }, JSON.stringify(given));
  }
});

test('free keys may differ when given (out-of-sample data, inference --end) and come from the profile otherwise', () => {
  const d = csvDir();
  const profile = profileFromConfig(cfg({ source: 'csv', data_dir: d }), 'h');
  const oos = resolveWithProfile(cfg({ source: 'synthetic', start: '2023-01-01', end: '2023-02-01' }), profile,
    { source: '--source', start: '--start', end: '--end' }, ['source', 'data_dir', 'start', 'end']);
  assert.equal(oos.config.data.source, 'synthetic');
  assert.equal(oos.config.data.start, '2023-01-01');
  const inf = resolveWithProfile(cfg({ source: 'synthetic', end: '2022-01-20' }), profile, { end: '--end' }, ['start', 'end']);
  assert.equal(inf.config.data.source, 'csv', 'not given: from the profile');
  assert.equal(inf.config.data.end, '2022-01-20');
  assert.throws(() => resolveWithProfile(cfg({ source: 'csv', data_dir: d, coins: ['BTC', 'XRP'] }), profile, { coins: '--coins' }, ['start', 'end']), /--coins/);
});

test('the synthetic run keeps its market seed when a later step gets another --seed', () => {
  const profile = profileFromConfig(cfg({ source: 'synthetic' }), 'h');
  const later = resolveWithProfile(cfg({ source: 'synthetic' }, { seed: 11 }), profile, {});
  assert.equal(later.config.data.synthetic.seed, 3);
  assert.equal(later.config.seed, 11);
});
