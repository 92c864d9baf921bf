// The run page's forecast-quality reports through the API: calibration, the net-of-fees backtest, walk-forward and
// the per-window export when a run has them, nothing when it does not, and an error naming a malformed report.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDashboardApp } from '../../src/dashboard/app.ts';
import { flatten } from '../../src/dashboard/run-reports.ts';
import { getJson } from './api-cases.ts';
import { TINY_PNG, backtestReport, walkForwardReport, writeRun } from './run-fixture.ts';

describe('dashboard run reports', () => {
  const root = mkdtempSync(join(tmpdir(), 'tokcast-reports-'));
  after(() => rmSync(root, { recursive: true, force: true }));
  const { report } = writeRun(join(root, 'full'), 3, { reports: true });
  writeRun(join(root, 'plain'), 2);
  const { app } = createDashboardApp({ storage: null, artifactsDir: root });
  const cell = (t: { columns: string[]; rows: unknown[][] }, row: number, col: string) => t.rows[row][t.columns.indexOf(col)];

  it('shows nothing of them for a run that has none', async () => {
    const { status, body } = await getJson(app, '/api/runs/plain');
    assert.equal(status, 200);
    assert.deepEqual(body.reports, { calibration: [], backtests: [], walk_forward: [], forecasts: [] });
    const list = (await getJson(app, '/api/runs')).body.runs;
    assert.deepEqual(list.find((r: { id: string }) => r.id === 'plain').reports, []);
    assert.deepEqual(list.find((r: { id: string }) => r.id === 'full').reports, ['calibration', 'backtest', 'walk-forward', 'forecasts']);
  });

  it('gives the backtest\'s test-split metrics per method, the comparison and the equity plot as written', async () => {
    const { body } = await getJson(app, '/api/runs/full');
    const written = backtestReport();
    assert.equal(body.reports.backtests.length, 1);
    const b = body.reports.backtests[0];
    assert.equal(b.dir, 'step_09_backtest');
    assert.equal(b.not_advice, written.not_advice);
    assert.deepEqual(b.assumptions, written.assumptions);
    assert.deepEqual(b.comparison, written.comparison);
    assert.deepEqual(b.test.rows.map((r: unknown[]) => r[0]), Object.keys(written.methods));
    Object.values(written.methods).forEach((m, i) => {
      for (const [k, v] of Object.entries(m.test)) assert.equal(cell(b.test, i, k), v, k);
      assert.equal(cell(b.test, i, 'threshold'), m.threshold);
    });
    assert.equal(b.equity, 'step_09_backtest/equity.png');
    // the path as the API gives it is what the run's file route takes
    const png = await app.request(`http://127.0.0.1/api/runs/full/file?path=${encodeURIComponent(b.equity)}`, { headers: { host: '127.0.0.1' } });
    assert.equal(png.status, 200);
    assert.equal(png.headers.get('content-type'), 'image/png');
    assert.deepEqual(Buffer.from(await png.arrayBuffer()), TINY_PNG);
  });

  it('gives one row per walk-forward fold, each fold\'s figures per method and the means with intervals over folds', async () => {
    const { body } = await getJson(app, '/api/runs/full');
    const written = walkForwardReport(3);
    const w = body.reports.walk_forward[0];
    assert.equal(w.summary, written.summary);
    assert.equal(w.not_advice, written.not_advice);
    assert.equal(w.folds.rows.length, written.folds.length);
    written.folds.forEach((f, i) => {
      assert.equal(cell(w.folds, i, 'train.hours'), f.train.hours);
      assert.equal(cell(w.folds, i, 'test.first'), f.test.first);
    });
    assert.ok(!w.folds.columns.some((c: string) => c.startsWith('metrics')));
    const rows = written.folds.flatMap((f) => Object.entries(f.metrics).map(([m, v]) => ({ fold: f.fold, method: m, ...v })));
    assert.equal(w.fold_metrics.rows.length, rows.length);
    rows.forEach((r, i) => {
      for (const [k, v] of Object.entries(r)) assert.equal(cell(w.fold_metrics, i, k), v, `${i} ${k}`);
    });
    assert.deepEqual(w.intervals.figures, ['accuracy_h1', 'log_loss_h1', 'sharpe']);
    for (const [j, [method, m]] of Object.entries(written.means).entries()) {
      assert.equal(w.intervals.rows[j].method, method);
      w.intervals.figures.forEach((f: string, k: number) => {
        const want = (m as Record<string, { mean: number | null; low: number | null; high: number | null }>)[f];
        assert.deepEqual(w.intervals.rows[j].cells[k], { estimate: want.mean, low: want.low, high: want.high }, `${method} ${f}`);
      });
    }
    assert.equal(w.overall, null);
    assert.equal(w.plot, 'step_10_walk_forward/walk_forward.png');
  });

  it('gives the calibration plot, the per-hour log loss and Brier score, and the per-window export', async () => {
    const { body } = await getJson(app, '/api/runs/full');
    assert.deepEqual(body.reports.calibration.map((c: { dir: string; image: string }) => [c.dir, c.image]), [['step_07_evaluate', 'step_07_evaluate/calibration.png']]);
    const ev = body.evaluations[0];
    for (const [i, [name, m]] of Object.entries(report!.methods).entries()) {
      assert.equal(ev.methods[i].name, name);
      assert.deepEqual(ev.methods[i].by_hour, { log_loss: m.log_loss_by_hour, brier: m.brier_by_hour });
    }
    const size = readFileSync(join(root, 'full', 'step_07_evaluate', 'forecasts.parquet')).length;
    assert.deepEqual(body.reports.forecasts, [{ dir: 'step_07_evaluate', path: 'step_07_evaluate/forecasts.parquet', bytes: size }]);
  });

  it('lists the runs nested in a step folder (walk-forward folds) with their own training', async () => {
    const fold = join(root, 'full', 'step_10_walk_forward', 'fold_1');
    const { history } = writeRun(fold, 2, { evaluation: false });
    const runs = (await getJson(app, '/api/runs')).body.runs;
    const row = runs.find((r: { id: string }) => r.id === 'full.step_10_walk_forward.fold_1');
    assert.ok(row, JSON.stringify(runs.map((r: { id: string }) => r.id)));
    assert.equal(row.name, 'full / step_10_walk_forward / fold_1');
    const { status, body } = await getJson(app, `/api/runs/${encodeURIComponent(row.id)}`);
    assert.equal(status, 200);
    assert.deepEqual(body.training.epochs, history);
    const f = await app.request(`http://127.0.0.1/api/runs/${encodeURIComponent(row.id)}/file?path=run.json`, { headers: { host: '127.0.0.1' } });
    assert.equal(f.status, 200);
  });

  it('names a malformed or misshapen report file and keeps the rest of the page', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tokcast-reports-bad-'));
    try {
      writeRun(dir, 2, { reports: true });
      writeFileSync(join(dir, 'step_09_backtest', 'backtest.json'), '{"methods": {"model": ');
      writeFileSync(join(dir, 'step_10_walk_forward', 'walk_forward.json'), JSON.stringify({ folds: 'four' }));
      const bad = createDashboardApp({ storage: null, artifactsDir: dir }).app;
      const { status, body } = await getJson(bad, '/api/runs/_');
      assert.equal(status, 200);
      assert.match(body.reports.backtests[0].error, /^step_09_backtest\/backtest\.json: not valid JSON/);
      assert.match(body.reports.walk_forward[0].error, /^step_10_walk_forward\/walk_forward\.json: unexpected shape \(folds: /);
      assert.equal(body.training.epochs.length, 2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('flattens nested figures into dotted keys', () => {
    assert.deepEqual(flatten({ a: { b: 1, c: [2, 3] }, d: 'x', e: null }), { 'a.b': 1, 'a.c.0': 2, 'a.c.1': 3, d: 'x', e: null });
  });
});
