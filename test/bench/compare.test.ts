// `npm run bench -- compare` without the PyTorch reference: it names what is missing, says so loudly, still measures
// tokcast (figures with pytorch: null) and exits 1; referenceProblem checks the folder and the Python.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { referenceProblem } from '../../bench/compare.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));

test('referenceProblem names the unset variable, a missing script, a Python without torch', () => {
  assert.match(referenceProblem(undefined, '/usr/bin/python3')!, /TOKCAST_PYTORCH_REF is not set/);
  const dir = mkdtempSync(join(tmpdir(), 'tokcast-ref-'));
  try {
    assert.match(referenceProblem(dir, '/usr/bin/python3')!, new RegExp(`TOKCAST_PYTORCH_REF=${dir}: bench_train.py not found`));
    writeFileSync(join(dir, 'bench_train.py'), '');
    assert.match(referenceProblem(dir, '/usr/bin/python3')!, /bench_infer.py not found/);
    writeFileSync(join(dir, 'bench_infer.py'), '');
    assert.match(referenceProblem(dir, process.execPath)!, /cannot import torch/, 'node is not a Python with torch');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('without the reference: a banner in capitals, tokcast figures with pytorch null, exit 1', () => {
  const env = { ...process.env };
  delete env.TOKCAST_PYTORCH_REF;
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'bench/run.ts'), 'compare', '--only', 'train', '--rounds', '1', '--steps', '1', '--warmup', '1'],
    { cwd: root, env, encoding: 'utf8' });
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /THE PYTORCH REFERENCE IS ABSENT: TOKCAST_PYTORCH_REF is not set.*NO RATIOS/);
  const figs = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.deepEqual(figs.map((f) => f.name), ['compare_train_step']);
  assert.equal(figs[0]!.pytorch, null);
  assert.equal(figs[0]!.speed_ratio, null);
  assert.match(String(figs[0]!.reference_absent), /TOKCAST_PYTORCH_REF is not set/);
  const tk = figs[0]!.tokcast as { ms_per_step: { median: number }; execution_provider_used: string };
  assert.ok(tk.ms_per_step.median > 0);
  assert.equal(tk.execution_provider_used, 'cpu');
});

test('a bad flag is one line naming it, exit 2', () => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'bench/run.ts'), 'compare', '--rounds', 'x'], { cwd: root, encoding: 'utf8' });
  assert.equal(r.status, 2);
  assert.equal(r.stderr.trim(), 'bench compare: --rounds x: expected a whole number >= 1');
});
