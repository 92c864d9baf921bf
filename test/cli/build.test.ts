// scripts/build-cli.mjs compiles the sources to lib/, and bin/tokcast.js runs lib/ only while it matches src/: a copy of
// the repository is built, run from lib/, then a source file changes and the same command runs from src/ through tsx.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const copy = mkdtempSync(join(tmpdir(), 'tokcast-build-'));
after(() => rmSync(copy, { recursive: true, force: true }));

function tokcast(args: string[]) {
  const r = spawnSync(process.execPath, [join(copy, 'bin', 'tokcast.js'), ...args], { cwd: copy, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test('the compiled CLI runs while it is current; a changed source falls back to the TypeScript sources', () => {
  for (const p of ['bin', 'scripts', 'src', 'package.json']) cpSync(resolve(p), join(copy, p), { recursive: true });
  symlinkSync(resolve('node_modules'), join(copy, 'node_modules'));
  const b = spawnSync(process.execPath, [join(copy, 'scripts', 'build-cli.mjs')], { encoding: 'utf8' });
  assert.equal(b.status, 0, b.stderr);
  assert.ok(existsSync(join(copy, 'lib', 'cli', 'main.js')));
  assert.ok(!readFileSync(join(copy, 'lib', 'pipeline', 'steps', 'index.js'), 'utf8').includes(".ts'"), 'module names point at .js files');

  const help = tokcast(['--help']);
  assert.equal(help.code, 0, help.err);
  assert.match(help.out, /pipeline[\s\S]*study/);
  // where the code ran from shows in the stack that --debug prints
  const fromLib = tokcast(['pipeline', 'reset', '--set', 'train.lrr=1', '--debug']);
  assert.equal(fromLib.code, 2);
  assert.match(fromLib.err, /^tokcast: error: .*"train\.lrr"/);
  assert.match(fromLib.err, /[\\/]lib[\\/]config[\\/]load\.js/);

  const edited = join(copy, 'src', 'config', 'load.ts');
  utimesSync(edited, new Date(), new Date(Date.now() + 5000));
  const fromSrc = tokcast(['pipeline', 'reset', '--set', 'train.lrr=1', '--debug']);
  assert.equal(fromSrc.code, 2);
  assert.match(fromSrc.err, /[\\/]src[\\/]config[\\/]load\.ts/);
  assert.ok(!/[\\/]lib[\\/]config[\\/]/.test(fromSrc.err), fromSrc.err);
});
