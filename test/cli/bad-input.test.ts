// Bad input through the real CLI (bin/tokcast.js as a process): each case exits 2 with exactly one line on stderr,
// `tokcast: error: ...` naming the offending value, no stack frame, nothing on stdout, and the artifacts folder untouched.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dir = mkdtempSync(join(tmpdir(), 'tokcast-badinput-'));
const art = join(dir, 'artifacts');
const broken = join(dir, 'broken-artifacts');
const RANGE = ['--start', '2022-01-01', '--end', '2022-01-04', '--coins', 'BTC,ETH', '--target-coin', 'ETH'];

function tokcast(args: string[], opts: { preload?: string; env?: Record<string, string | undefined> } = {}) {
  const pre = opts.preload ? ['--import', opts.preload] : [];
  const env = { ...process.env, TOKCAST_DEBUG: '', ...opts.env };
  const r = spawnSync(process.execPath, [...pre, 'bin/tokcast.js', ...args], { encoding: 'utf8', timeout: 60_000, env });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** path -> sha256 of every file under `root`. */
function snapshot(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out[p.slice(root.length)] = createHash('sha256').update(readFileSync(p)).digest('hex');
    }
  };
  walk(root);
  return out;
}

let downloaded: Record<string, string> = {};
const files = {
  badYaml: join(dir, 'bad.yaml'),
  badShape: join(dir, 'shape.yaml'),
  badSqlite: join(dir, 'not-a-db.sqlite'),
};

before(() => {
  const r = tokcast(['pipeline', 'download', '--artifacts-dir', art, '-q', ...RANGE]);
  assert.equal(r.code, 0, r.err);
  downloaded = snapshot(art);
  cpSync(art, broken, { recursive: true });
  writeFileSync(join(broken, 'step_01_download', 'download_artifact.json'), '{"step": "download", "version": 1,');
  writeFileSync(files.badYaml, 'train:\n  lr: [1,\n');
  writeFileSync(files.badShape, 'model:\n  d_model: 30\n  n_heads: 4\n');
  writeFileSync(files.badSqlite, 'SQLite format 2? no: just text that is not a database file at all, '.repeat(20));
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** [what, arguments, a string the message must contain (the offending value)] */
const CASES: [string, string[], string][] = [
  ['zero epochs', ['pipeline', 'train', '--epochs', '0'], "'0'"],
  ['negative epochs', ['pipeline', 'train', '--epochs=-3'], "'-3'"],
  ['fractional epochs', ['pipeline', 'train', '--epochs', '2.5'], "'2.5'"],
  ['non-numeric trials', ['pipeline', 'tune', '--num-trials', 'abc'], "'abc'"],
  ['zero jobs', ['pipeline', 'tune', '--n-jobs', '0'], "--n-jobs: got '0'"],
  ['negative timeout', ['pipeline', 'tune', '--timeout-hours=-1'], "'-1'"],
  ['NaN timeout', ['pipeline', 'tune', '--timeout-hours', 'NaN'], "'NaN'"],
  ['infinite horizon', ['pipeline', 'evaluate', '--horizon', '1e400'], "'1e400'"],
  ['fractional seed', ['pipeline', 'reset', '--seed', '1.5'], "'1.5'"],
  ['February 30th', ['pipeline', 'download', '--start', '2022-02-30'], "'2022-02-30'"],
  ['month 13', ['pipeline', 'download', '--end', '2021-13-01'], "'2021-13-01'"],
  ['slashes in a date', ['pipeline', 'download', '--start', '2022/01/01'], "'2022/01/01'"],
  ['hour 24', ['pipeline', 'download', '--end', '2022-01-01T24:00Z'], "'2022-01-01T24:00Z'"],
  ['start after end', ['pipeline', 'download', '--start', '2022-03-01', '--end', '2022-02-01'], '2022-03-01 is after data.end 2022-02-01'],
  ['unknown source', ['pipeline', 'download', '--source', 'kraken'], "'kraken'"],
  ['misspelt synthetic coin', ['pipeline', 'download', '--coins', 'BTX,ETH', '--target-coin', 'ETH'], '"BTX" (did you mean BTC?)'],
  ['target not among coins', ['pipeline', 'reset', '--coins', 'BTC,ETH', '--target-coin', 'ETX'], '"ETX"'],
  ['malformed coin symbol', ['pipeline', 'reset', '--coins', 'B$C'], '"B$C"'],
  ['missing csv folder', ['pipeline', 'download', '--source', 'csv', '--data-dir', '/nonexistent/candles'], '/nonexistent/candles'],
  ['misspelt config key', ['pipeline', 'reset', '--set', 'train.lrr=0.1'], '"train.lrr" (did you mean "train.lr"?)'],
  ['misspelt config section', ['pipeline', 'reset', '--set', 'trian.lr=0.1'], '"trian" (did you mean "train"?)'],
  ['empty coin list', ['pipeline', 'reset', '--coins', ','], 'key "data.coins": got [], expected at least 1 item'],
  ['negative learning rate', ['pipeline', 'reset', '--set', 'train.lr=-1'], 'key "train.lr": got -1, expected a number > 0'],
  ['text for a number', ['pipeline', 'reset', '--set', 'model.n_heads=x'], 'key "model.n_heads": got "x", expected a number'],
  ['too many bins', ['pipeline', 'reset', '--set', 'tokenize.num_bins=1000'], 'got 1000, expected a number <= 256'],
  ['ratio above 1', ['pipeline', 'reset', '--set', 'split.train_ratio=1.5'], 'got 1.5'],
  ['bad enum value', ['pipeline', 'reset', '--set', 'model.coin_mixing=sum'], 'got "sum", expected one of "concat", "mean"'],
  ['date in config', ['pipeline', 'reset', '--set', 'data.start=2022-02-30'], 'got "2022-02-30"'],
  ['not a URL', ['pipeline', 'reset', '--set', 'data.binance.base_url=notaurl'], '"notaurl"'],
  ['--set without =', ['pipeline', 'reset', '--set', 'noequals'], '--set noequals'],
  ['missing config file', ['pipeline', 'reset', '--config', '/nonexistent/x.yaml'], '/nonexistent/x.yaml'],
  ['config is a folder', ['pipeline', 'reset', '--config', tmpdir()], `${tmpdir()}: a folder, expected a YAML config file`],
  ['malformed YAML', ['pipeline', 'reset', '--config', files.badYaml], files.badYaml],
  ['heads do not divide width', ['pipeline', 'reset', '--config', files.badShape], 'd_model 30 is not divisible by n_heads 4'],
  ['misspelt verb', ['pipeline', 'trian'], "'trian' (did you mean train?)"],
  ['misspelt flag', ['pipeline', 'train', '--epoch', '3'], "'--epoch' (did you mean --epochs?)"],
  ['port out of range', ['dashboard', '--port', '99999'], "'99999'"],
  ['PostgreSQL port out of range', ['pipeline', 'tune', '--storage', 'postgresql://u:secret@localhost:99999/db'], "port '99999'"],
  ['unknown storage scheme', ['pipeline', 'tune', '--storage', 'mongodb://localhost/x'], "'mongodb'"],
];

for (const [what, args, names] of CASES) {
  test(`bad input: ${what} -> exit 2, one line naming ${names}`, () => {
    const r = tokcast([...args, ...(args[0] === 'pipeline' ? ['--artifacts-dir', art] : [])]);
    assert.equal(r.code, 2, `exit code ${r.code}; stderr: ${r.err}`);
    assert.equal(r.out, '');
    const lines = r.err.split('\n').filter(Boolean);
    assert.equal(lines.length, 1, `one line on stderr, got:\n${r.err}`);
    assert.match(lines[0], /^tokcast: error: /);
    assert.ok(!r.err.includes('    at '), 'no stack frame');
    assert.ok(lines[0].includes(names), `names ${names}: ${lines[0]}`);
    assert.ok(!r.err.includes('secret'), 'passwords are not echoed');
  });
}

test('after every case above, the artifacts folder is byte-identical to what download wrote', () => {
  assert.deepEqual(snapshot(art), downloaded);
});

test('a malformed artifact and a malformed SQLite file: one line naming the file, exit 2, nothing changed', () => {
  const before = snapshot(broken);
  const r = tokcast(['pipeline', 'clean', '--artifacts-dir', broken, '-q', ...RANGE]);
  assert.equal(r.code, 2, r.err);
  assert.equal(r.err.trim().split('\n').length, 1, r.err);
  assert.match(r.err, /^tokcast: error: .*step_01_download[\\/]download_artifact\.json: not valid JSON/);
  assert.deepEqual(snapshot(broken), before);
  const db = tokcast(['pipeline', 'tune', '--storage', files.badSqlite, '--artifacts-dir', art, '-q']);
  assert.notEqual(db.code, 0);
  assert.ok(!db.err.includes('    at '), db.err);
  const s = tokcast(['study', 'studies', '--storage', files.badSqlite]);
  assert.notEqual(s.code, 0);
  assert.equal(s.err.trim().split('\n').length, 1, s.err);
  assert.match(s.err, /not-a-db\.sqlite.*file is not a database/);
});

for (const [when, spare] of [['at the lock', undefined], ['while the step writes', '[\\\\/]\\.lock$']] as const) {
  test(`a full disk ${when}: one clean line naming the file, exit 2, every file already written unchanged`, () => {
    const before = snapshot(art);
    const r = tokcast(['pipeline', 'download', '--artifacts-dir', art, '-q', ...RANGE], { preload: './test/fixtures/full-disk.mjs', env: { FULL_DISK_SPARE: spare } });
    assert.equal(r.code, 2, r.err);
    const errors = r.err.split('\n').filter((l) => l.startsWith('tokcast: error:'));
    assert.equal(errors.length, 1, r.err);
    assert.match(errors[0], /cannot write \S+: no space left on device.*\(ENOSPC\)$/);
    const file = /cannot write (\S+):/.exec(errors[0])![1];
    assert.ok(file.startsWith(art), errors[0]);
    assert.equal(file === join(art, '.lock'), spare === undefined, errors[0]);
    assert.ok(!r.err.includes('    at '), r.err);
    assert.deepEqual(snapshot(art), before);
  });
}

test('--debug (or TOKCAST_DEBUG=1) adds the stack trace', () => {
  const r = tokcast(['pipeline', 'download', '--coins', 'BTX,ETH', '--target-coin', 'ETH', '--artifacts-dir', art, '--debug']);
  assert.equal(r.code, 2);
  assert.match(r.err, /^tokcast: error: .*BTX/);
  assert.ok(r.err.includes('    at '), r.err);
});
