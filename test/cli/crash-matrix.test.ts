// The crash matrix: run-all killed with SIGKILL at each step's write (download, clean, split, tokenize, sequences, the
// checkpoint_best and checkpoint_last saves, the model.onnx export, evaluate, backtest, inference), then the killed step run
// again (training with --resume where a checkpoint_last was saved) leaves that step and the ones before it as an
// uninterrupted run does: every binary file byte-identical, every JSON file equal but for times and checksums,
// and no leftovers (temp files, swap folders, the lock). The later steps only read these, so they are not rerun.
// The kill comes from a test preload (test/fixtures/kill-at-rename.mjs) at the rename that would publish the chosen file.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { artifactPath } from '../../src/pipeline/artifact.ts';
import { readJson } from '../../src/util/fs.ts';

const PRELOAD = resolve('test/fixtures/kill-at-rename.mjs');
const STEPS = ['download', 'clean', 'split', 'tokenize', 'sequences', 'train', 'evaluate', 'backtest', 'inference'] as const;
type Step = (typeof STEPS)[number];

/** A tiny run: three synthetic coins over 20 days, a one-layer model, two epochs (the whole run takes a few seconds). */
const CONFIG = `seed: 7
data: { source: synthetic, coins: [BTC, ETH, XRP], target_coin: XRP, start: '2022-01-01', end: '2022-01-20' }
sequences: { window: 8 }
model: { embed_dim: 4, d_model: 8, n_heads: 2, n_layers: 1, d_ff: 16, dropout: 0.1 }
train: { epochs: 2, batch_size: 64, threads: 1, early_stopping: { patience: 100 } }
evaluate: { horizon: 4, bootstrap_samples: 20 }
inference: { horizon: 3 }
`;

let root: string, cfg: string, work: string, ref: string;

function tokcast(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, ['--import', PRELOAD, 'bin/tokcast.js', ...args], { encoding: 'utf8', env: { ...process.env, ...env } });
}

/** Every file under `dir`, relative, with the inference's time-stamped file name made constant. */
function files(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const n of readdirSync(d)) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(relative(dir, p));
    }
  };
  walk(dir);
  return out.sort();
}
const canonical = (name: string) => name.replace(/predictions_\d{8}T\d{6}Z\.json/g, 'predictions_<time>.json');

/** Fields that differ between two identical runs: wall-clock times, speeds, and the checksums over them. */
const VOLATILE = new Set(['now', 'hours_before_now', 'data_age_hours', 'samples_per_s', 'checksum', 'hashes', 'resumed', 'started_at', 'finished_at']);
const volatile = (k: string) => VOLATILE.has(k) || k.includes('created_at') || /(^|_)seconds(_|$)/.test(k);
function stable(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(stable);
  if (v !== null && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).filter(([k]) => !volatile(k)).map(([k, x]) => [k, stable(x)]));
  }
  return typeof v === 'string' ? canonical(v) : v;
}

/** Safetensors: the tensors byte for byte, the header's metadata equal. */
function sameAs(refFile: string, gotFile: string, name: string) {
  const a = readFileSync(refFile), b = readFileSync(gotFile);
  if (name.endsWith('.json')) {
    assert.deepEqual(stable(JSON.parse(b.toString('utf8'))), stable(JSON.parse(a.toString('utf8'))), `${name} differs from the uninterrupted run's`);
  } else {
    assert.ok(a.equals(b), `${name} is not byte-identical to the uninterrupted run's`);
  }
}

before(() => {
  root = mkdtempSync(join(tmpdir(), 'tokcast-crash-'));
  cfg = join(root, 'tiny.yaml');
  writeFileSync(cfg, CONFIG);
  // every run uses the same folder, so the paths recorded in artifacts agree; the reference is moved aside
  work = join(root, 'artifacts');
  ref = join(root, 'reference');
  const r = tokcast(['pipeline', 'run-all', '--config', cfg, '--artifacts-dir', work, '-q']);
  assert.equal(r.status, 0, r.stderr);
  renameSync(work, ref);
});
after(() => rmSync(root, { recursive: true, force: true }));

interface Case { what: string; at: string; nth?: number; from: Step; resume?: boolean }
const CASES: Case[] = [
  { what: "download's parquet", at: '/step_01_download/download\\.parquet$', from: 'download' },
  { what: "download's artifact (its last write)", at: '/step_01_download/download_artifact\\.json$', from: 'download' },
  { what: "clean's parquet", at: '/step_02_clean/clean\\.parquet$', from: 'clean' },
  { what: "split's parquet", at: '/step_03_split/split\\.parquet$', from: 'split' },
  { what: "tokenize's edges.json (after tokens.parquet)", at: '/step_04_tokenize/edges\\.json$', from: 'tokenize' },
  { what: "sequences' validation windows (after the training ones)", at: '/step_05_sequences/sequences_val\\.safetensors$', from: 'sequences' },
  { what: 'the first checkpoint_best save (its folder swap)', at: '/step_06_train/checkpoint_best$', from: 'train' },
  { what: 'the first checkpoint_last save (its folder swap)', at: '/step_06_train/checkpoint_last$', from: 'train', resume: true },
  { what: "the second checkpoint_last save's manifest", at: '/step_06_train/checkpoint_last\\.tmp/checkpoint\\.json$', nth: 2, from: 'train', resume: true },
  { what: 'the second checkpoint_last save, old folder moved aside', at: '/step_06_train/checkpoint_last\\.old$', from: 'train', resume: true },
  { what: 'the export of model.onnx', at: '/step_06_train/model\\.onnx$', from: 'train', resume: true },
  { what: "evaluate's eval_results.json", at: '/step_07_evaluate/eval_results\\.json$', from: 'evaluate' },
  { what: "backtest's backtest.json", at: '/step_09_backtest/backtest\\.json$', from: 'backtest' },
  { what: "inference's predictions", at: '/step_08_inference/predictions_[^/]*\\.json$', from: 'inference' },
];

for (const c of CASES) {
  test(`SIGKILL at ${c.what}, then 'pipeline ${c.from}${c.resume ? ' --resume' : ''}': its artifacts equal an uninterrupted run's, no leftovers`, () => {
    rmSync(work, { recursive: true, force: true });
    const killed = tokcast(['pipeline', 'run-all', '--config', cfg, '--artifacts-dir', work, '-q'],
      { TOKCAST_TEST_KILL_AT: c.at, TOKCAST_TEST_KILL_NTH: String(c.nth ?? 1) });
    assert.equal(killed.signal, 'SIGKILL', `the run was not killed at ${c.at} (exit ${killed.status}): ${killed.stderr}`);
    assert.ok(!existsSync(artifactPath(work, c.from)), `a killed ${c.from} leaves no artifact`);
    assert.ok(files(work).some((f) => /\.(tmp|old)(\/|$)/.test(f)), 'the kill left the temp file it was about to rename');
    const args = ['pipeline', c.from, '--config', cfg, '--artifacts-dir', work, '-q', ...(c.resume ? ['--resume'] : [])];
    const r = tokcast(args);
    assert.equal(r.status, 0, `${args.join(' ')}: ${r.stderr}`);
    if (c.from === 'train') assert.equal((readJson(artifactPath(work, 'train')) as { stats: { resumed: boolean } }).stats.resumed, c.resume === true);
    // the files of the steps up to the killed one (steps run in the order of STEPS, reset and run.json first)
    const done = (f: string) => { const m = /^step_\d\d_([a-z]+)\//.exec(f); return !m || m[1] === 'reset' || STEPS.indexOf(m[1] as Step) <= STEPS.indexOf(c.from); };
    const want = files(ref).filter(done), got = files(work);
    assert.deepEqual(got.map(canonical), want.map(canonical), 'the same files as the uninterrupted run, and no leftovers');
    assert.ok(!existsSync(join(work, '.lock')));
    for (let i = 0; i < want.length; i++) sameAs(join(ref, want[i]!), join(work, got[i]!), canonical(want[i]!));
  });
}
