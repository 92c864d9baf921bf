// Dashboard API over a study database written by Python Optuna 4.9 itself (test/fixtures/optuna-storage), checked
// against what Optuna reads back from that file through its own API (optuna-4.9.sqlite.json): the studies list,
// best trial / Pareto front, every trial's state, values (infinities included), params in their external form,
// intermediate values, attrs and times, and the charts built from it.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Hono } from 'hono';
import { createDashboardApp } from '../../src/dashboard/app.ts';
import { openDashboardStorage, type DashboardStorage } from '../../src/dashboard/storage.ts';
import { fixturePath, readFixtureJson } from '../fixtures/data.ts';
import { getJson } from './api-cases.ts';

interface OptunaTrial {
  number: number; state: string; values: (number | string)[] | null; params: Record<string, unknown>;
  intermediate_values: Record<string, number | string>; user_attrs: Record<string, unknown>; system_attrs: Record<string, unknown>;
  datetime_start: string | null; datetime_complete: string | null;
}
interface OptunaStudy {
  study_name: string; directions: string[]; best_trial_number: number | null; best_trials: number[] | null;
  user_attrs: Record<string, unknown>; system_attrs: Record<string, unknown>; trials: OptunaTrial[];
}

const optuna = readFixtureJson<{ optuna_version: string; studies: OptunaStudy[] }>('optuna-storage', 'optuna-4.9.sqlite.json');
/** Optuna writes naive UTC datetimes with microseconds; the API gives ISO-8601 UTC with milliseconds. */
const utc = (s: string | null) => (s === null ? null : new Date(`${s}Z`).toISOString());

describe('dashboard API on a study database written by Optuna 4.9', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tokcast-dash-optuna-'));
  const path = join(dir, 'optuna.sqlite');
  let ds: DashboardStorage;
  let app: Hono;
  let close: () => void;
  let ids: Map<string, number>;

  before(async () => {
    copyFileSync(fixturePath('optuna-storage', 'optuna-4.9.sqlite'), path);
    ds = await openDashboardStorage(path);
    ({ app, close } = createDashboardApp({ storage: ds, artifactsDir: dir, webDir: join(dir, 'no-web') }));
    const { body } = await getJson(app, '/api/studies');
    ids = new Map(body.studies.map((s: { name: string; id: number }) => [s.name, s.id]));
  });
  after(async () => {
    close?.();
    await ds?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists Optuna\'s studies with their directions, trial counts by state and best values', async () => {
    const { status, body } = await getJson(app, '/api/studies');
    assert.equal(status, 200);
    assert.deepEqual(body.studies.map((s: { name: string }) => s.name).sort(), optuna.studies.map((s) => s.study_name).sort());
    for (const o of optuna.studies) {
      const row = body.studies.find((s: { name: string }) => s.name === o.study_name);
      assert.deepEqual(row.directions, o.directions.map((d) => d.toLowerCase()), o.study_name);
      assert.equal(row.n_trials, o.trials.length, o.study_name);
      for (const st of ['COMPLETE', 'PRUNED', 'FAIL', 'RUNNING', 'WAITING']) {
        assert.equal(row.states[st], o.trials.filter((t) => t.state === st).length, `${o.study_name} ${st}`);
      }
      if (o.best_trial_number !== null) {
        assert.equal(row.best_trial, o.best_trial_number, o.study_name);
        assert.deepEqual(row.best_value, o.trials.find((t) => t.number === o.best_trial_number)!.values![0], o.study_name);
      } else {
        assert.equal(row.best_value, null);
        assert.equal(row.pareto_size, o.best_trials!.length);
      }
      const times = o.trials.flatMap((t) => [t.datetime_start, t.datetime_complete]).filter((x): x is string => x !== null).map((x) => Date.parse(`${x}Z`));
      assert.equal(row.last_activity, new Date(Math.max(...times)).toISOString(), o.study_name);
    }
  });

  it('gives each study\'s attrs, best values and Pareto front as Optuna reads them', async () => {
    for (const o of optuna.studies) {
      const { status, body } = await getJson(app, `/api/studies/${ids.get(o.study_name)}`);
      assert.equal(status, 200);
      assert.deepEqual(body.user_attrs, o.user_attrs, o.study_name);
      if (o.best_trials) assert.deepEqual(body.pareto_front, [...o.best_trials].sort((a, b) => a - b), o.study_name);
      else assert.deepEqual(body.best_values, o.trials.find((t) => t.number === o.best_trial_number)!.values!, o.study_name);
    }
  });

  it('gives every trial\'s state, values, params, intermediate values, attrs and times as Optuna reads them', async () => {
    let checked = 0;
    for (const o of optuna.studies) {
      for (const t of o.trials) {
        const { status, body } = await getJson(app, `/api/studies/${ids.get(o.study_name)}/trials/${t.number}`);
        const what = `${o.study_name} trial ${t.number}`;
        assert.equal(status, 200, what);
        assert.equal(body.state, t.state, what);
        assert.deepEqual(body.values, t.values === null ? null : t.values, what);
        assert.deepEqual(body.params, t.params, what);
        assert.deepEqual(body.user_attrs, t.user_attrs, what);
        assert.deepEqual(body.system_attrs, t.system_attrs, what);
        assert.deepEqual(body.intermediate_values, Object.entries(t.intermediate_values).map(([step, value]) => ({ step: Number(step), value: value })).sort((a, b) => a.step - b.step), what);
        assert.equal(body.datetime_start, utc(t.datetime_start), what);
        assert.equal(body.datetime_complete, utc(t.datetime_complete), what);
        checked++;
      }
    }
    assert.equal(checked, optuna.studies.reduce((n, s) => n + s.trials.length, 0));
  });

  it('pages the trial table in Optuna\'s trial order and filters it by state', async () => {
    const o = optuna.studies.find((s) => s.study_name === 'mixed-space')!;
    const id = ids.get(o.study_name);
    const { body } = await getJson(app, `/api/studies/${id}/trials?limit=5&offset=5`);
    assert.equal(body.total, o.trials.length);
    assert.deepEqual(body.rows.map((r: { number: number }) => r.number), o.trials.map((t) => t.number).sort((a, b) => a - b).slice(5, 10));
    const pruned = await getJson(app, `/api/studies/${id}/trials?state=PRUNED`);
    assert.deepEqual(pruned.body.rows.map((r: { number: number }) => r.number), o.trials.filter((t) => t.state === 'PRUNED').map((t) => t.number).sort((a, b) => a - b));
  });

  it('draws history, intermediate values, importance, parallel coordinates and slices from Optuna\'s trials', async () => {
    const o = optuna.studies.find((s) => s.study_name === 'mixed-space')!;
    const id = ids.get(o.study_name);
    const { body } = await getJson(app, `/api/studies/${id}`);
    const done = o.trials.filter((t) => t.state === 'COMPLETE');
    assert.deepEqual(body.history.points.filter((p: { state: string }) => p.state === 'COMPLETE').map((p: { number: number }) => p.number), done.map((t) => t.number).sort((a, b) => a - b));
    assert.equal(body.intermediate.total_curves, o.trials.filter((t) => Object.keys(t.intermediate_values).length > 0).length);
    for (const c of body.intermediate.trials) assert.equal(c.pruned, o.trials.find((t) => t.number === c.number)!.state === 'PRUNED');
    const imp = (await getJson(app, `/api/studies/${id}/importance`)).body;
    assert.equal(imp.error, undefined, imp.error);
    const shared = Object.keys(done[0].params).filter((p) => done.every((t) => p in t.params)).sort();
    assert.deepEqual(Object.keys(imp.importances).sort(), shared);
    const plots = (await getJson(app, `/api/studies/${id}/plots`)).body;
    assert.deepEqual(plots.slice.params, shared);
    assert.equal(plots.parallel.n_trials, done.filter((t) => t.values!.every((v) => typeof v === 'number')).length);
    assert.equal(plots.pareto, null);
    const multi = (await getJson(app, `/api/studies/${ids.get('two-objectives')}/plots`)).body;
    assert.deepEqual([...multi.pareto.front].sort((a: number, b: number) => a - b), [...optuna.studies.find((s) => s.study_name === 'two-objectives')!.best_trials!].sort((a, b) => a - b));
  });
});
