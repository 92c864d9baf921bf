import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, configHash, parseSet } from '../../src/config/load.ts';

function tmpYaml(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'tokcast-cfg-'));
  const p = join(dir, 'config.yaml');
  writeFileSync(p, text);
  return p;
}

test('defaults fill every section', () => {
  const cfg = loadConfig(null);
  assert.equal(cfg.data.target_coin, 'XRP');
  assert.equal(cfg.sequences.window, 24);
  assert.equal(cfg.tokenize.num_bins, 3);
  assert.equal(cfg.train.plateau.factor, 0.5);
  assert.equal(cfg.tune.pruner.n_warmup_steps, 3);
});

test('an unknown key fails naming its full path', () => {
  const p = tmpYaml('train:\n  lrr: 0.1\n');
  assert.throws(() => loadConfig(p), (e: Error) => e.message.includes('"train.lrr"') && e.message.includes(p));
});

test('a wrong type or range names the key, the value and what was expected', () => {
  const p = tmpYaml('train:\n  lr: -1\nmodel:\n  coin_mixing: sum\n');
  assert.throws(() => loadConfig(p), (e: Error) => {
    assert.match(e.message, /key "train.lr": got -1, expected/);
    assert.match(e.message, /key "model.coin_mixing": got "sum"/);
    return true;
  });
});

test('cross-field rules: target coin in coins, heads divide width', () => {
  assert.throws(() => loadConfig(null, { 'data.coins': ['BTC', 'ETH'], 'data.target_coin': 'XRP' }), /data.target_coin/);
  assert.throws(() => loadConfig(null, { 'model.d_model': 30, 'model.n_heads': 4 }), /n_heads/);
});

test('overrides win over the file, and change the hash', () => {
  const p = tmpYaml('seed: 1\ntrain:\n  epochs: 3\n');
  const a = loadConfig(p);
  const b = loadConfig(p, { 'train.epochs': 5, [parseSet('train.lr=0.002')[0]]: parseSet('train.lr=0.002')[1] });
  assert.equal(a.train.epochs, 3);
  assert.equal(b.train.epochs, 5);
  assert.equal(b.train.lr, 0.002);
  assert.notEqual(configHash(a), configHash(b));
  assert.equal(configHash(a), configHash(loadConfig(p)));
});

test('a missing explicit config file is an error', () => {
  assert.throws(() => loadConfig('/nonexistent/x.yaml'), /config file not found/);
});

test('config.yaml at the repo root lists every key of the schema with its default', async () => {
  const { parse } = await import('yaml');
  const { readFileSync } = await import('node:fs');
  const raw = parse(readFileSync('config.yaml', 'utf8'));
  const defaults = loadConfig(null);
  const paths = (o: unknown, pre = ''): string[] => o && typeof o === 'object' && !Array.isArray(o)
    ? Object.entries(o as Record<string, unknown>).flatMap(([k, v]) => {
      const p = pre ? `${pre}.${k}` : k;
      return v && typeof v === 'object' && !Array.isArray(v) && !('low' in (v as object)) ? paths(v, p) : [p];
    })
    : [];
  assert.deepEqual(paths(raw).sort(), paths(defaults).sort());
  assert.deepEqual(loadConfig('config.yaml'), defaults, 'the file states the defaults');
  loadConfig('config.demo.yaml');
});
