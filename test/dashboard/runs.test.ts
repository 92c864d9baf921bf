// Runs in an artifacts folder through the API: profile, steps and their state, training curves, evaluation, market
// statistics; malformed files become errors naming the file; no path can leave the folder.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDashboardApp } from '../../src/dashboard/app.ts';
import { discoverRuns, ROOT_RUN } from '../../src/dashboard/runs.ts';
import { getJson } from './api-cases.ts';
import { epochRow, writeRun } from './run-fixture.ts';

describe('dashboard runs API', () => {
  const root = mkdtempSync(join(tmpdir(), 'tokcast-runs-'));
  const outside = mkdtempSync(join(tmpdir(), 'tokcast-outside-'));
  after(() => { rmSync(root, { recursive: true, force: true }); rmSync(outside, { recursive: true, force: true }); });
  const { history, report } = writeRun(root, 4, { malformed: true });
  writeRun(join(root, 'second-run'), 2, { evaluation: false });
  writeFileSync(join(outside, 'secret.txt'), 'top secret');
  symlinkSync(join(outside, 'secret.txt'), join(root, 'step_06_train', 'escape.txt'));
  symlinkSync(outside, join(root, 'step_06_train', 'escape_dir'));
  symlinkSync(join(root, 'step_06_train', 'history.json'), join(root, 'step_06_train', 'inside_link.json'));
  const { app } = createDashboardApp({ storage: null, artifactsDir: root });

  it('finds the folder itself and each sub-folder with step folders as runs', () => {
    assert.deepEqual(discoverRuns(root).map((r) => r.id), [ROOT_RUN, 'second-run']);
  });

  it('shows the profile, the steps with their state, and names the malformed artifact file', async () => {
    const { status, body } = await getJson(app, '/api/runs/_');
    assert.equal(status, 200);
    assert.equal(body.profile.value.command, 'pipeline run-all');
    const tok = body.steps.find((s: any) => s.dir === 'step_04_tokenize');
    assert.equal(tok.state, 'invalid');
    assert.match(tok.error, /step_04_tokenize\/tokenize_artifact\.json: not valid JSON/);
    assert.equal(body.steps.find((s: any) => s.dir === 'step_06_train').state, 'done');
    const list = (await getJson(app, '/api/runs')).body.runs;
    assert.deepEqual(list.map((r: any) => r.epochs), [4, 2]);
  });

  it('calls training running while history.json has epochs its artifact does not count, and done once it does', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tokcast-train-state-'));
    try {
      writeRun(dir, 3);
      const b = createDashboardApp({ storage: null, artifactsDir: dir }).app;
      const state = async () => (await getJson(b, '/api/runs/_')).body.steps.find((s: any) => s.dir === 'step_06_train').state;
      const later = new Date(Date.now() + 60_000);
      // copied or touched after the artifact, same epochs: still done
      utimesSync(join(dir, 'step_06_train', 'history.json'), later, later);
      assert.equal(await state(), 'done');
      // a resumed run writing a fourth epoch
      writeFileSync(join(dir, 'step_06_train', 'history.json'), JSON.stringify([1, 2, 3, 4].map(epochRow)));
      utimesSync(join(dir, 'step_06_train', 'history.json'), later, later);
      assert.equal(await state(), 'running');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('gives the training history per epoch and the evaluation report as written', async () => {
    const { body } = await getJson(app, '/api/runs/_');
    assert.deepEqual(body.training.epochs, history);
    assert.ok(body.training.specs.curves && body.training.specs.lr);
    const ev = body.evaluations[0];
    assert.equal(ev.dir, 'step_07_evaluate');
    assert.deepEqual(ev.methods.map((m: any) => m.name), Object.keys(report!.methods));
    assert.deepEqual(ev.methods[0].accuracy_by_hour.map((a: any) => a.estimate), report!.methods.model.accuracy_by_hour.map((a) => a.estimate));
    assert.deepEqual(ev.comparison, report!.comparison);
    assert.deepEqual(ev.headline, report!.headline);
    assert.equal(body.pretraining.files[0].value.real.kurtosis, 7.1);
  });

  it('reports a malformed history.json as an error naming the file, keeping the rest of the page', async () => {
    const bad = mkdtempSync(join(tmpdir(), 'tokcast-bad-'));
    try {
      mkdirSync(join(bad, 'step_06_train'));
      writeFileSync(join(bad, 'step_06_train', 'history.json'), '[{"epoch": 1,');
      writeFileSync(join(bad, 'run.json'), 'not json');
      const b = createDashboardApp({ storage: null, artifactsDir: bad }).app;
      const { status, body } = await getJson(b, '/api/runs/_');
      assert.equal(status, 200);
      assert.match(body.training.error, /step_06_train\/history\.json: not valid JSON/);
      assert.match(body.profile.error, /run\.json: not valid JSON/);
      writeFileSync(join(bad, 'step_06_train', 'history.json'), '{"epoch": 1}');
      assert.match((await getJson(b, '/api/runs/_')).body.training.error, /expected an array of epoch records/);
    } finally {
      rmSync(bad, { recursive: true, force: true });
    }
  });

  it('serves files inside the folder, following links that stay inside', async () => {
    const r = await app.request('http://127.0.0.1/api/runs/_/file?path=step_06_train/inside_link.json', { headers: { host: '127.0.0.1' } });
    assert.equal(r.status, 200);
    assert.deepEqual(JSON.parse(await r.text()), history);
    const sub = await app.request('http://127.0.0.1/api/runs/second-run/file?path=run.json', { headers: { host: '127.0.0.1' } });
    assert.equal(sub.status, 200);
  });

  it('refuses .., encoded .., absolute paths and links that leave the folder', async () => {
    const bad = [
      '../' + 'x', '..%2F..%2Fetc%2Fpasswd', '%2e%2e/%2e%2e/etc/passwd', '%2E%2E%2Fsecret.txt', 'step_06_train/../../etc/passwd',
      '/etc/passwd', '%2Fetc%2Fpasswd', 'step_06_train/escape.txt', 'step_06_train/escape_dir/secret.txt', 'step_06_train%5C..%5C..%5Cetc', '.', 'C:%5Cwindows',
      `..%2F${encodeURIComponent(outside.split('/').pop()!)}%2Fsecret.txt`, 'step_06_train/%00history.json',
    ];
    for (const p of bad) {
      const r = await app.request(`http://127.0.0.1/api/runs/_/file?path=${p}`, { headers: { host: '127.0.0.1' } });
      const text = await r.text();
      assert.equal(r.status, 400, `${p}: ${r.status} ${text}`);
      assert.ok(!text.includes('top secret') && !text.includes('root:'), p);
    }
    for (const run of ['..', '%2e%2e', '..%2F..', 'step_06_train']) {
      const r = await app.request(`http://127.0.0.1/api/runs/${run}/file?path=run.json`, { headers: { host: '127.0.0.1' } });
      assert.ok(r.status === 404, `run ${run}: ${r.status}`);
    }
    const missing = await app.request('http://127.0.0.1/api/runs/_/file?path=step_06_train/nope.json', { headers: { host: '127.0.0.1' } });
    assert.equal(missing.status, 404);
  });

  it('answers that no storage is configured with a 503 banner, not a crash', async () => {
    const r = await getJson(app, '/api/studies');
    assert.equal(r.status, 503);
    assert.equal(r.body.storage_down, true);
  });
});
