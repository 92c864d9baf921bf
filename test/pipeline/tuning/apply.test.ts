import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { applyBestParams, applyParamsToConfig, applyParamsToYamlText } from '../../../src/pipeline/tuning/apply.ts';
import { loadConfig } from '../../../src/config/load.ts';

const best = { lr: 0.00012345, weight_decay: 0.05, dropout: 0.2, label_smoothing: 0.03, batch_size: 128, embed_dim: 64, n_layers: 3, n_heads: 8, d_ff: 256, token_noise_prob: 0.02 };

test('applying to the repo config.yaml changes only the tuned keys and keeps every comment and the key order', () => {
  const text = readFileSync('config.yaml', 'utf8');
  const { text: out, applied, skipped } = applyParamsToYamlText(text, best);
  assert.deepEqual(skipped, []);
  assert.equal(applied.length, Object.keys(best).length);
  const before = parse(text), after = parse(out);
  assert.equal(after.train.lr, 0.00012345);
  assert.equal(after.model.n_heads, 8);
  assert.equal(after.train.batch_size, 128);
  // everything else is identical
  for (const [p, v] of Object.entries(best)) {
    const a = applied.find((x) => x.param === p)!;
    const [sec, key] = a.key.split('.');
    assert.equal(after[sec][key], v);
    before[sec][key] = v;
  }
  assert.deepEqual(after, before);
  // every line that does not hold a tuned key is byte-identical, comments keep their column
  const tl = text.split('\n'), ol = out.split('\n');
  assert.equal(ol.length, tl.length);
  const changed = tl.map((l, i) => [l, ol[i]]).filter(([a, b]) => a !== b);
  assert.equal(changed.length, applied.filter((a) => a.from !== a.to).length);
  for (const [a, b] of changed) {
    assert.equal(/^\s*([a-z_]+):/.exec(a)?.[1], /^\s*([a-z_]+):/.exec(b)?.[1]);
    if (a.includes('#') && b.length <= a.length) assert.equal(b.indexOf('#'), a.indexOf('#'));
  }
});

test('applyBestParams reads tuning_results.json, writes the file, and the result loads as a valid config', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tokcast-apply-'));
  const cfg = join(dir, 'config.yaml');
  writeFileSync(cfg, '# mine\nmodel:\n  d_model: 128 # width\n  dropout: 0.1\n');  // no train section: lr is added
  const results = join(dir, 'tuning_results.json');
  writeFileSync(results, JSON.stringify({ best_trial: { number: 3, value: 0.9, params: { dropout: 0.3, n_layers: 5, lr: 0.002, custom_knob: 1 } } }));
  const r = applyBestParams(cfg, results);
  assert.deepEqual(r.skipped, ['custom_knob']);
  const text = readFileSync(cfg, 'utf8');
  assert.match(text, /^# mine\nmodel:\n {2}d_model: 128 # width\n {2}dropout: 0.3\n/);
  const c = loadConfig(cfg);
  assert.equal(c.model.n_layers, 5);
  assert.equal(c.train.lr, 0.002);
});

test('an invalid result is refused before writing; a missing best trial is a UserError', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tokcast-apply-'));
  const cfg = join(dir, 'config.yaml');
  writeFileSync(cfg, 'model:\n  d_model: 100\n');
  assert.throws(() => applyBestParams(cfg, { n_heads: 8 }), /n_heads/);
  assert.equal(readFileSync(cfg, 'utf8'), 'model:\n  d_model: 100\n');
  const results = join(dir, 'r.json');
  writeFileSync(results, JSON.stringify({ best_trial: null }));
  assert.throws(() => applyBestParams(cfg, results), /no best_trial/);
});

test('applyParamsToConfig sets trial params on a copy of the config', () => {
  const base = loadConfig(null);
  const c = applyParamsToConfig(base, { lr: 0.0042, d_ff: 1024, unknown: 3 });
  assert.equal(c.train.lr, 0.0042);
  assert.equal(c.model.d_ff, 1024);
  assert.notEqual(base.train.lr, 0.0042);
});
