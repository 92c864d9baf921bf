import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const tokcast = (args: string[]) => spawnSync(process.execPath, ['bin/tokcast.js', ...args], { encoding: 'utf8' });

test('a bad config fails before any work, naming the key, with exit code 2', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tokcast-cli-'));
  const cfg = join(dir, 'bad.yaml');
  writeFileSync(cfg, 'model:\n  n_heads: 0\n');
  const r = tokcast(['pipeline', 'reset', '--config', cfg, '--artifacts-dir', join(dir, 'art')]);
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /model\.n_heads/);
  assert.ok(!existsSync(join(dir, 'art')), 'nothing written');
});

test('flags override config keys (target coin must be among coins)', () => {
  const r = tokcast(['pipeline', 'reset', '--coins', 'BTC,ETH', '--target-coin', 'SOL', '--artifacts-dir', join(tmpdir(), 'x-tokcast')]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /data\.target_coin.*SOL/);
});

test('reset through the CLI writes its artifact', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tokcast-cli-'));
  const r = tokcast(['pipeline', 'reset', '--artifacts-dir', dir, '--quiet']);
  assert.equal(r.status, 0, r.stderr);
  assert.ok(existsSync(join(dir, 'step_00_reset', 'reset_artifact.json')));
});
