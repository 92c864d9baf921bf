// `tokcast dashboard` as a user runs it: loopback by default, a warning for any other address, one-line errors with
// exit 2 for bad flags and storage URLs (never showing a password), a banner instead of a crash for a storage that
// cannot be read yet, and a clean stop on SIGTERM.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BIN = 'bin/tokcast.js';

function runOnce(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, 'dashboard', ...args], { encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Starts the dashboard, waits for its URL line, hands it to `fn`, then stops it with SIGTERM. */
async function serving(args: string[], fn: (url: string, stderr: () => string) => Promise<void>): Promise<number | null> {
  const p = spawn(process.execPath, [BIN, 'dashboard', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  p.stderr.on('data', (b) => { err += b; });
  const exited = new Promise<number | null>((resolve) => p.on('exit', (code) => resolve(code)));
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no URL line within 60 s; stderr: ${err}`)), 60_000);
      p.stdout.on('data', (b) => {
        out += b;
        const m = /tokcast dashboard: (http:\/\/\S+)/.exec(out);
        if (m) { clearTimeout(timer); resolve(m[1]); }
      });
      p.on('exit', (code) => { clearTimeout(timer); reject(new Error(`exited ${code} before serving; stderr: ${err}`)); });
    });
    await fn(url, () => err);
  } finally {
    p.kill('SIGTERM');
  }
  return exited;
}

describe('tokcast dashboard (command line)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tokcast-dash-cli-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('listens on 127.0.0.1 by default, answers read-only, and stops cleanly on SIGTERM', async () => {
    const code = await serving(['--port', '0', '--artifacts-dir', dir, '--storage', join(dir, 'nope.db')], async (url, stderr) => {
      assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
      const info = await (await fetch(`${url}api/info`)).json() as { read_only: boolean; storage_error: string };
      assert.equal(info.read_only, true);
      // a storage that cannot be read yet is a banner on the page and a warning, not a crash
      assert.match(info.storage_error, /nope\.db' does not exist/);
      assert.match(stderr(), /warning: .*nope\.db' does not exist/);
      assert.equal((await fetch(`${url}api/studies`, { method: 'DELETE' })).status, 405);
      assert.ok(!/not loopback/.test(stderr()));
    });
    assert.equal(code, 0);
  });

  it('warns when told to listen on an address other machines can reach', async () => {
    const code = await serving(['--port', '0', '--host', '0.0.0.0', '--artifacts-dir', dir, '--storage', 'memory'], async (url, stderr) => {
      assert.match(url, /^http:\/\/0\.0\.0\.0:\d+\/$/);
      assert.match(stderr(), /warning: listening on 0\.0\.0\.0, not loopback/);
      // bound beyond loopback, so any Host name is answered
      assert.equal((await fetch(url.replace('0.0.0.0', '127.0.0.1') + 'api/info')).status, 200);
    });
    assert.equal(code, 0);
  });

  for (const [what, args, pattern] of [
    ['a port that is not a number', ['--port', 'abc'], /^tokcast: error: --port: .*'abc'.*\[0, 65535\]\n$/],
    ['a port out of range', ['--port', '70000'], /^tokcast: error: --port: .*'70000'.*\[0, 65535\]\n$/],
    ['a storage URL of an unknown kind, without its password', ['--port', '0', '--storage', 'mysql://user:hunter2@db.example/x'], /^tokcast: error: storage URL 'mysql:\/\/user:\*\*\*@db\.example\/x': unsupported scheme 'mysql'.*\n$/],
    ['an address that is not this machine\'s', ['--port', '0', '--host', '203.0.113.9', '--storage', 'memory'], /\ntokcast: error: --host '203\.0\.113\.9': not an address of this machine\n$/],
  ] as [string, string[], RegExp][]) {
    it(`refuses ${what} with one line and exit 2`, () => {
      const r = runOnce(...args, '--artifacts-dir', dir);
      assert.equal(r.status, 2, r.stderr);
      assert.match(r.stderr, pattern);
      assert.ok(!r.stderr.includes('hunter2'), 'password printed');
      assert.ok(!/\n\s+at /.test(r.stderr), `stack trace printed: ${r.stderr}`);
    });
  }
});
