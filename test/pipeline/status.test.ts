// Folder status: every step done / stale / missing, with the reason a step is stale (an input ran again, a file is gone,
// the csv data changed since step 1 read it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { folderStatus } from '../../src/pipeline/status.ts';
import { stepDir } from '../../src/pipeline/artifact.ts';
import { makeContext } from '../../src/pipeline/context.ts';
import { runClean } from '../../src/pipeline/steps/clean.ts';
import { runDownload } from '../../src/pipeline/steps/download.ts';
import { loadSynthetic } from '../../src/data/synthetic.ts';
import { tinyPipeline, tinyConfig } from './steps/tiny-pipeline.ts';
import { writeCsvFolder, removeTempDirs } from './fresh-fixture.ts';
import { formatStatus } from '../../src/cli/commands/pipeline-status.ts';
import { acquireLock } from '../../src/pipeline/lock.ts';

const state = (dir: string) => Object.fromEntries(folderStatus(dir).steps.map((s) => [s.step, s.state]));

test('after steps 1-5: those done, the rest missing; rerunning clean makes split, tokenize and sequences stale', async () => {
  const ctx = await tinyPipeline();
  const dir = ctx.artifactsDir;
  assert.deepEqual(state(dir), {
    download: 'done', clean: 'done', split: 'done', tokenize: 'done', sequences: 'done',
    pretrain: 'missing', tune: 'missing', train: 'missing', evaluate: 'missing', backtest: 'missing', inference: 'missing', walk_forward: 'missing',
  });
  await runClean(ctx);
  const s = folderStatus(dir).steps;
  const by = Object.fromEntries(s.map((x) => [x.step, x]));
  assert.equal(by.clean!.state, 'done');
  assert.equal(by.split!.state, 'stale');
  assert.match(by.split!.why!, /clean ran again after it/);
  assert.equal(by.tokenize!.state, 'stale');
  assert.equal(by.sequences!.state, 'stale');
  assert.match(by.sequences!.why!, /input (split|tokenize) is stale/);
  // a listed file gone: stale, naming it
  rmSync(join(stepDir(dir, 'clean'), 'clean.parquet'));
  const clean = folderStatus(dir).steps.find((x) => x.step === 'clean')!;
  assert.equal(clean.state, 'stale');
  assert.match(clean.why!, /clean\.parquet: missing \(written by clean\)/);
  const lines = formatStatus(dir, folderStatus(dir));
  assert.match(lines.join('\n'), /source +synthetic \(seed 7\)/);
  assert.match(lines.join('\n'), /step_02_clean +stale/);
  assert.match(lines.join('\n'), /step_06_train +missing/);
  assert.doesNotMatch(lines.join('\n'), /^lock:/m);
  const release = acquireLock(dir, 'tokcast pipeline train');
  assert.match(formatStatus(dir, folderStatus(dir)).join('\n'), new RegExp(`^lock: held by pid ${process.pid} .*tokcast pipeline train`, 'm'));
  release();
  rmSync(dir, { recursive: true, force: true });
});

test('csv: a data file edited after step 1 makes download (and what follows) stale, naming the file', async () => {
  const market = loadSynthetic({ coins: ['BTC', 'ETH', 'XRP'], start: Date.parse('2022-01-01T00:00Z'), end: Date.parse('2022-02-20T23:00Z'), seed: 4 });
  const csv = writeCsvFolder(market);
  const dir = mkdtempSync(join(tmpdir(), 'tokcast-status-'));
  const ctx = makeContext(tinyConfig({ data: { source: 'csv', data_dir: csv } }), undefined, dir);
  await runDownload(ctx);
  await runClean(ctx);
  assert.equal(state(dir).download, 'done');
  appendFileSync(join(csv, 'ETHUSDT.csv'), '');
  assert.equal(state(dir).download, 'done', 'same bytes: still done');
  appendFileSync(join(csv, 'ETHUSDT.csv'), `${Date.parse('2022-02-21T00:00Z')},1,1,1,1,1\n`);
  const s = folderStatus(dir).steps;
  assert.equal(s[0]!.state, 'stale');
  assert.match(s[0]!.why!, /data changed since it was read: \S*ETHUSDT\.csv/);
  assert.equal(s[1]!.state, 'stale');
  rmSync(dir, { recursive: true, force: true });
  removeTempDirs();
});
