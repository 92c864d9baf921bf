import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CommanderError } from 'commander';
import { debugRequested, describeFailure } from '../../src/cli/failure.ts';
import { UserError } from '../../src/util/errors.ts';

test('a UserError is the user\'s: its message on one line, exit 2 (or the code it carries)', () => {
  assert.deepEqual(describeFailure(new UserError('a.yaml: invalid config: x\n  - y')), { message: 'a.yaml: invalid config: x - y', exitCode: 2, internal: false });
  assert.equal(describeFailure(new UserError('no study', { exitCode: 1 })).exitCode, 1);
});

test('anything else is a bug: exit 1 and says so', () => {
  const f = describeFailure(new TypeError("Cannot read properties of undefined (reading 'x')"));
  assert.equal(f.exitCode, 1);
  assert.ok(f.internal);
  assert.match(f.message, /^internal error: Cannot read properties .*this is a bug.*--debug/);
});

test('commander parse errors read --flag: got VALUE, expected WHAT', () => {
  const bad = new CommanderError(1, 'commander.invalidArgument', "error: option '--epochs <n>' argument '0' is invalid. expected a positive integer");
  assert.deepEqual(describeFailure(bad), { message: "--epochs: got '0', expected a positive integer", exitCode: 2, internal: false });
  const choice = new CommanderError(1, 'commander.invalidArgument', "error: option '--source <source>' argument 'x' is invalid. Allowed choices are binance, csv, synthetic.");
  assert.equal(describeFailure(choice).message, "--source: got 'x', expected one of binance, csv, synthetic");
  const unknown = new CommanderError(1, 'commander.unknownOption', "error: unknown option '--epoch'\n(Did you mean --epochs?)");
  assert.equal(describeFailure(unknown).message, "unknown option '--epoch' (did you mean --epochs?)");
});

test('a full disk, a denied write: what failed, on which file (not its temp name), exit 2', () => {
  const full = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', syscall: 'write', path: '/a/step_04/.edges.json.123.4.tmp' });
  const f = describeFailure(full);
  assert.equal(f.exitCode, 2);
  assert.match(f.message, /^cannot write \/a\/step_04\/edges\.json: no space left on device.*\(ENOSPC\)$/);
  const denied = Object.assign(new Error('EACCES'), { code: 'EACCES', syscall: 'mkdir', path: '/root/x' });
  assert.equal(describeFailure(denied).message, 'cannot create folder /root/x: permission denied (EACCES)');
  assert.equal(describeFailure(new Error('IO Error: Could not write file "x.parquet": No space left on device')).exitCode, 2);
});

test('--debug anywhere or TOKCAST_DEBUG=1 asks for stacks', () => {
  assert.ok(debugRequested(['node', 'tokcast', 'pipeline', 'train', '--debug'], {}));
  assert.ok(debugRequested(['node', 'tokcast'], { TOKCAST_DEBUG: '1' }));
  assert.ok(!debugRequested(['node', 'tokcast'], { TOKCAST_DEBUG: '0' }));
  assert.ok(!debugRequested(['node', 'tokcast'], {}));
});
