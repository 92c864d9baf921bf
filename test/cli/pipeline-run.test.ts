// Pipeline commands against a remembered run (run.json): a csv run's inference reads the csv data, --data-dir implies
// --source csv, and every flag that contradicts the run is refused (exit 2, one line naming both values) with the
// artifacts left as they were.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadSynthetic } from '../../src/data/synthetic.ts';
import { loadCsvFolder } from '../../src/data/csv.ts';
import { readRunProfile } from '../../src/pipeline/run-profile.ts';
import { artifactPath, stepDir } from '../../src/pipeline/artifact.ts';
import { readJson } from '../../src/util/fs.ts';
import { acquireLock, lockPath, readLock } from '../../src/pipeline/lock.ts';

const tokcast = (args: string[]) => spawnSync(process.execPath, ['bin/tokcast.js', ...args], { encoding: 'utf8' });
const COINS = ['BTC', 'ETH', 'XRP'];
let root: string, csv: string, cfg: string, art: string;

/** A tiny run config (trains in about a second); the data keys come from flags. */
const CONFIG = `seed: 7
data: { coins: [BTC, ETH, XRP], target_coin: XRP, start: '2022-01-01', end: '2022-02-20' }
sequences: { window: 8 }
model: { embed_dim: 4, d_model: 8, n_heads: 2, n_layers: 1, d_ff: 16, dropout: 0.1 }
train: { epochs: 1, batch_size: 64, threads: 1 }
evaluate: { horizon: 4, bootstrap_samples: 20 }
inference: { horizon: 3 }
`;

function writeCsv(dir: string, seed: number) {
  const market = loadSynthetic({ coins: COINS, start: Date.parse('2021-12-25T00:00Z'), end: Date.parse('2022-02-20T23:00Z'), seed });
  for (const c of market) {
    const rows = ['open_time,open,high,low,close,volume'];
    for (let i = 0; i < c.openTime.length; i++) rows.push([c.openTime[i], c.open[i], c.high[i], c.low[i], c.close[i], c.volume[i]].join(','));
    writeFileSync(join(dir, `${c.coin}USDT.csv`), rows.join('\n') + '\n');
  }
}

before(() => {
  root = mkdtempSync(join(tmpdir(), 'tokcast-cli-run-'));
  csv = join(root, 'csv');
  cfg = join(root, 'tiny.yaml');
  art = join(root, 'art');
  spawnSync('mkdir', ['-p', csv]);
  writeCsv(csv, 99); // another market than the synthetic source's (seed 7)
  writeFileSync(cfg, CONFIG);
  const r = tokcast(['pipeline', 'run-all', '--config', cfg, '--artifacts-dir', art, '--source', 'csv', '--data-dir', csv, '-q']);
  assert.equal(r.status, 0, r.stderr);
});
after(() => rmSync(root, { recursive: true, force: true }));

test('run-all records the csv run in run.json', () => {
  const p = readRunProfile(art)!;
  assert.equal(p.source, 'csv');
  assert.equal(p.data_dir, resolve(csv));
  assert.deepEqual(p.coins, COINS);
  assert.deepEqual(p.data_files.map((f) => f.file), COINS.map((c) => resolve(csv, `${c}USDT.csv`)));
});

test('inference after a csv run forecasts from the csv data, with no data flag given', () => {
  const r = tokcast(['pipeline', 'inference', '--config', cfg, '--artifacts-dir', art, '-q']);
  assert.equal(r.status, 0, r.stderr);
  const stats = (readJson(artifactPath(art, 'inference')) as { stats: { predictions_file: string } }).stats;
  const p = readJson(join(stepDir(art, 'inference'), stats.predictions_file)) as { source: string; last_close: number; last_hour: string };
  assert.equal(p.source, `csv:${resolve(csv)}`);
  const xrp = loadCsvFolder({ dir: csv, coins: ['XRP'], quote: 'USDT' })[0]!;
  assert.equal(p.last_hour, '2022-02-20T23:00Z');
  assert.equal(p.last_close, xrp.close[xrp.close.length - 1]);
});

test('a flag that contradicts the run is refused with exit 2, naming both values and the ways out; nothing changes', () => {
  const other = join(root, 'other');
  spawnSync('mkdir', ['-p', other]);
  writeCsv(other, 5);
  const before = readFileSync(artifactPath(art, 'clean'));
  const cases: Array<[string[], RegExp]> = [
    [['--source', 'synthetic'], /--source synthetic \(this run: source csv\)/],
    [['--data-dir', other], /--data-dir \S+other \(this run: data_dir \S+csv\)/],
    [['--coins', 'BTC,XRP'], /--coins BTC,XRP \(this run: coins BTC,ETH,XRP\)/],
    [['--target-coin', 'ETH'], /--target-coin ETH \(this run: target_coin XRP\)/],
    [['--start', '2022-01-05'], /--start 2022-01-05 \(this run: start 2022-01-01\)/],
    [['--end', '2022-02-10'], /--end 2022-02-10 \(this run: end 2022-02-20\)/],
  ];
  for (const [flags, msg] of cases) {
    const r = tokcast(['pipeline', 'clean', '--config', cfg, '--artifacts-dir', art, '-q', ...flags]);
    assert.equal(r.status, 2, `${flags.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, msg);
    assert.match(r.stderr, /tokcast pipeline reset/);
    assert.match(r.stderr, /another --artifacts-dir/);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  }
  assert.deepEqual(readFileSync(artifactPath(art, 'clean')), before);
  // inference and evaluate: the same run's keys are refused, the coins too
  const inf = tokcast(['pipeline', 'inference', '--config', cfg, '--artifacts-dir', art, '--coins', 'BTC,ETH', '--target-coin', 'ETH', '-q']);
  assert.equal(inf.status, 2, inf.stderr);
  assert.match(inf.stderr, /--coins BTC,ETH .*--target-coin ETH/);
});

test('the same values given again are accepted; inference takes --end as the hour its data should reach', () => {
  const r = tokcast(['pipeline', 'clean', '--config', cfg, '--artifacts-dir', art, '--data-dir', csv, '--coins', 'BTC,ETH,XRP', '--start', '2022-01-01T00:00Z', '-q']);
  assert.equal(r.status, 0, r.stderr);
  const inf = tokcast(['pipeline', 'inference', '--config', cfg, '--artifacts-dir', art, '--end', '2022-02-15', '-q']);
  assert.equal(inf.status, 0, inf.stderr);
  const files = readdirSync(stepDir(art, 'inference')).filter((f) => f.startsWith('predictions_')).sort();
  const last = readJson(join(stepDir(art, 'inference'), (readJson(artifactPath(art, 'inference')) as { stats: { predictions_file: string } }).stats.predictions_file)) as { last_hour: string };
  assert.ok(files.length >= 2);
  assert.equal(last.last_hour, '2022-02-15T23:00Z');
});

test('--data-dir alone means --source csv; with another --source it is refused', () => {
  const a2 = join(root, 'a2');
  const r = tokcast(['pipeline', 'download', '--config', cfg, '--artifacts-dir', a2, '--data-dir', csv, '-q']);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(readRunProfile(a2)!.source, 'csv');
  const bad = tokcast(['pipeline', 'download', '--config', cfg, '--artifacts-dir', join(root, 'a3'), '--data-dir', csv, '--source', 'binance', '-q']);
  assert.equal(bad.status, 2, bad.stderr);
  assert.match(bad.stderr, /--data-dir .*--source csv.*--source binance/);
});

test('a command on a folder another process holds exits 2 naming the holder, and leaves the folder as it was', () => {
  const before = readFileSync(artifactPath(art, 'clean'));
  const release = acquireLock(art, 'tokcast pipeline run-all (test)');
  try {
    const r = tokcast(['pipeline', 'clean', '--config', cfg, '--artifacts-dir', art, '-q']);
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, new RegExp(`in use by pid ${process.pid} .*tokcast pipeline run-all \\(test\\)`));
  } finally {
    release();
  }
  assert.deepEqual(readFileSync(artifactPath(art, 'clean')), before);
});

/** Polls `cond` every 100 ms (no assertion on time: the limit only stops a hung test). */
async function until(cond: () => boolean, what: string, limitMs = 120_000): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > limitMs) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('two run-all on one folder: the second is refused; Ctrl-C stops the first with exit 130, no leftovers, and --resume finishes', async () => {
  const a = join(root, 'concurrent');
  const long = ['--set', 'train.epochs=100000', '--set', 'train.early_stopping.patience=100000'];
  const first = spawn(process.execPath, ['bin/tokcast.js', 'pipeline', 'run-all', '--config', cfg, '--artifacts-dir', a, '--data-dir', csv, '-q', ...long],
    { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  first.stderr.on('data', (b) => { err += String(b); });
  const exited = new Promise<number | null>((res) => first.on('exit', (code) => res(code)));
  await until(() => existsSync(join(stepDir(a, 'train'), 'checkpoint_last', 'checkpoint.json')), 'the first epoch');
  const lock = readLock(a);
  assert.ok(lock && lock !== 'unreadable' && lock.pid === first.pid, 'the first run holds the lock');
  const second = tokcast(['pipeline', 'run-all', '--config', cfg, '--artifacts-dir', a, '--data-dir', csv, '-q']);
  assert.equal(second.status, 2, second.stderr);
  assert.match(second.stderr, new RegExp(`in use by pid ${first.pid} .*pipeline run-all`));
  first.kill('SIGINT');
  assert.equal(await exited, 130, err);
  assert.match(err, /tokcast: interrupted .*train stops after the current batch/);
  assert.match(err, /tokcast: interrupted: training interrupted; the last finished epoch is saved/);
  assert.doesNotMatch(err, /\n\s+at /);
  assert.ok(!existsSync(lockPath(a)), 'the lock is released');
  const leftovers = (d: string): string[] => readdirSync(d, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? (/\.(tmp|old)$/.test(e.name) ? [e.name] : leftovers(join(d, e.name))) : /\.tmp$/.test(e.name) ? [e.name] : []);
  assert.deepEqual(leftovers(a), []);
  const epochs = (readJson(join(stepDir(a, 'train'), 'checkpoint_last', 'checkpoint.json')) as { extra: { loop: { epoch: number } } }).extra.loop.epoch;
  const resumed = tokcast(['pipeline', 'train', '--config', cfg, '--artifacts-dir', a, '--resume', '-q', '--set', 'train.early_stopping.patience=100000', '--epochs', String(epochs + 1)]);
  assert.equal(resumed.status, 0, resumed.stderr);
  assert.equal((readJson(artifactPath(a, 'train')) as { stats: { epochs_run: number } }).stats.epochs_run, epochs + 1);
});

test('SIGKILL during training: the dead lock is taken over, --resume finishes, and model.onnx equals an uninterrupted run', async () => {
  const { cpSync } = await import('node:fs');
  const { sweepLeftovers } = await import('../../src/pipeline/sweep.ts');
  const k = join(root, 'killed');
  const patience = ['--set', 'train.early_stopping.patience=100000'];
  const child = spawn(process.execPath, ['bin/tokcast.js', 'pipeline', 'run-all', '--config', cfg, '--artifacts-dir', k, '--data-dir', csv, '-q',
    '--set', 'train.epochs=100000', ...patience], { stdio: 'ignore' });
  const exited = new Promise<NodeJS.Signals | null>((res) => child.on('exit', (_c, sig) => res(sig)));
  const lastEpoch = (d: string) => {
    try { return (readJson(join(stepDir(d, 'train'), 'checkpoint_last', 'checkpoint.json')) as { extra: { loop: { epoch: number } } }).extra.loop.epoch; } catch { return 0; }
  };
  await until(() => lastEpoch(k) >= 2, 'two epochs');
  child.kill('SIGKILL'); // wherever it is: mid-batch, or writing a checkpoint
  assert.equal(await exited, 'SIGKILL');
  assert.ok(existsSync(lockPath(k)), 'a killed process leaves its lock');
  // a copy, recovered here, tells how many epochs the killed run saved; it then trains from the start for one more
  const fresh = join(root, 'fresh');
  cpSync(k, fresh, { recursive: true });
  rmSync(lockPath(fresh));
  sweepLeftovers(fresh);
  const epochs = lastEpoch(fresh) + 1;
  assert.ok(epochs >= 3);
  const resumed = tokcast(['pipeline', 'train', '--config', cfg, '--artifacts-dir', k, '--resume', '--epochs', String(epochs), '-q', ...patience]);
  assert.equal(resumed.status, 0, resumed.stderr);
  assert.match(resumed.stderr, new RegExp(`note: taking over the lock .*pid ${child.pid} .*is no longer running`));
  const whole = tokcast(['pipeline', 'train', '--config', cfg, '--artifacts-dir', fresh, '--epochs', String(epochs), '-q', ...patience]);
  assert.equal(whole.status, 0, whole.stderr);
  const onnx = (d: string) => readFileSync(join(stepDir(d, 'train'), 'model.onnx'));
  assert.ok(onnx(k).equals(onnx(fresh)), 'the resumed model is byte-identical to the uninterrupted one');
  const hist = (d: string) => (readJson(join(stepDir(d, 'train'), 'history.json')) as Array<{ val_loss: number }>).map((h) => h.val_loss);
  assert.deepEqual(hist(k), hist(fresh));
  assert.ok(!existsSync(lockPath(k)));
  assert.deepEqual(readdirSync(stepDir(k, 'train')).filter((n) => /\.(tmp|old)$/.test(n)), []);
});
