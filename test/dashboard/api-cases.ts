// The dashboard API checks shared by the SQLite and PostgreSQL suites: every answer is compared with what the
// storage itself returns for the seeded studies (seed.ts).
import { it } from 'node:test';
import assert from 'node:assert/strict';
import type { Hono } from 'hono';
import type { Storage } from '../../src/tune/storage/storage.ts';
import type { FrozenTrial, TrialState } from '../../src/tune/frozen-trial.ts';
import { TRIAL_STATES } from '../../src/tune/frozen-trial.ts';
import { fromJsonNumber, type JsonNumber } from '../../src/dashboard/json.ts';
import type { Seeded } from './seed.ts';

export interface ApiFixture { app: Hono; writer: Storage; seeded: Seeded }

export async function getJson(app: Hono, path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: any; etag: string | null }> {
  const r = await app.request(`http://127.0.0.1${path}`, { headers: { host: '127.0.0.1', ...headers } });
  const text = await r.text();
  return { status: r.status, body: text ? JSON.parse(text) : null, etag: r.headers.get('etag') };
}

function sameNumber(a: JsonNumber | null, b: number | null, what: string): void {
  const x = fromJsonNumber(a);
  if (b === null || x === null) return assert.equal(x, b, what);
  if (Number.isNaN(b)) return assert.ok(Number.isNaN(x), `${what}: expected NaN, got ${a}`);
  assert.equal(x, b, what);
}

/** Registers the cases; `fx()` gives the fixture once the suite's before() has built it. */
export function apiCases(fx: () => ApiFixture): void {
  it('lists every study with directions, counts by state and the storage\'s best value', async () => {
    const { app, writer } = fx();
    const { status, body } = await getJson(app, '/api/studies');
    assert.equal(status, 200);
    const studies = await writer.getAllStudies();
    assert.deepEqual(body.studies.map((s: any) => s.name), studies.map((s) => s.studyName));
    for (const s of studies) {
      const row = body.studies.find((r: any) => r.id === s.studyId);
      assert.deepEqual(row.directions, s.directions);
      assert.equal(row.n_trials, await writer.getNTrials(s.studyId));
      for (const st of TRIAL_STATES) assert.equal(row.states[st], await writer.getNTrials(s.studyId, { states: [st] }), `${s.studyName} ${st}`);
      if (s.directions.length === 1 && (await writer.getNTrials(s.studyId, { states: ['COMPLETE'] })) > 0) {
        const best = await writer.getBestTrial(s.studyId);
        sameNumber(row.best_value, best.values![0], `${s.studyName} best value`);
        assert.equal(row.best_trial, best.number);
      } else {
        assert.equal(row.best_value, null);
      }
      const trials = await writer.getAllTrials(s.studyId);
      const times = trials.flatMap((t) => [t.datetimeStart, t.datetimeComplete]).filter((d): d is Date => d !== null).map((d) => d.getTime());
      assert.equal(row.last_activity, times.length ? new Date(Math.max(...times)).toISOString() : null);
    }
  });

  it('gives the history with the trials that improved the running best, from the storage\'s COMPLETE trials', async () => {
    const { app, writer, seeded } = fx();
    for (const id of [seeded.min, seeded.max]) {
      const { body } = await getJson(app, `/api/studies/${id}`);
      const dir = (await writer.getStudyDirections(id))[0];
      let best: number | null = null;
      const expected: { number: number; best: number }[] = [];
      for (const t of await writer.getAllTrials(id)) {
        if (t.state !== 'COMPLETE' || !Number.isFinite(t.values![0])) continue;
        const v = t.values![0];
        if (best === null || (dir === 'minimize' ? v < best : v > best)) {
          best = v;
          expected.push({ number: t.number, best });
        }
      }
      assert.ok(expected.length > 2);
      assert.deepEqual(body.history.best, expected);
      assert.equal(body.history.direction, dir);
    }
  });

  it('gives every intermediate value exactly, NaN and infinities included, with pruned trials marked', async () => {
    const { app, writer, seeded } = fx();
    const { body } = await getJson(app, `/api/studies/${seeded.min}`);
    const trials = await writer.getAllTrials(seeded.min);
    const withIv = trials.filter((t) => t.intermediateValues.size > 0);
    assert.equal(body.intermediate.trials.length, withIv.length);
    let nonFinite = 0;
    for (const t of withIv) {
      const got = body.intermediate.trials.find((x: any) => x.number === t.number);
      assert.equal(got.pruned, t.state === 'PRUNED');
      assert.equal(got.points.length, t.intermediateValues.size);
      for (const [step, v] of got.points as [number, JsonNumber][]) {
        sameNumber(v, t.intermediateValues.get(step)!, `trial ${t.number} step ${step}`);
        if (typeof v === 'string') nonFinite++;
      }
    }
    assert.ok(nonFinite >= 3, 'the seed has NaN, +Infinity and -Infinity intermediates');
  });

  it('pages, sorts and filters the trial table', async () => {
    const { app, writer, seeded } = fx();
    const trials = await writer.getAllTrials(seeded.min);
    const seen: number[] = [];
    for (let off = 0; off < trials.length; off += 4) {
      const { body } = await getJson(app, `/api/studies/${seeded.min}/trials?offset=${off}&limit=4&sort=number&order=desc`);
      assert.equal(body.total, trials.length);
      seen.push(...body.rows.map((r: any) => r.number));
    }
    assert.deepEqual(seen, trials.map((t) => t.number).reverse());
    const byValue = (await getJson(app, `/api/studies/${seeded.min}/trials?sort=value&limit=1000`)).body.rows;
    const withValue = trials.filter((t) => t.values).sort((a, b) => a.values![0] - b.values![0] || a.number - b.number);
    assert.deepEqual(byValue.slice(0, withValue.length).map((r: any) => r.number), withValue.map((t) => t.number));
    assert.ok(byValue.slice(withValue.length).every((r: any) => r.values === null), 'trials without a value come last');
    for (const st of ['PRUNED', 'COMPLETE'] as TrialState[]) {
      const f = (await getJson(app, `/api/studies/${seeded.min}/trials?state=${st.toLowerCase()}`)).body;
      assert.equal(f.total, await writer.getNTrials(seeded.min, { states: [st] }));
      assert.ok(f.rows.every((r: any) => r.state === st));
    }
    const gelu = (await getJson(app, `/api/studies/${seeded.min}/trials?q=act%3D%22gelu&limit=1000`)).body;
    assert.equal(gelu.total, trials.filter((t) => t.params.act === 'gelu').length);
    const lr = (await getJson(app, `/api/studies/${seeded.min}/trials?sort=param:lr&order=desc&limit=1000`)).body.rows.map((r: any) => r.params.lr).filter((x: unknown) => x !== undefined);
    assert.deepEqual(lr, [...lr].sort((a, b) => b - a));
    assert.equal((await getJson(app, `/api/studies/${seeded.min}/trials?limit=0`)).status, 400);
    assert.equal((await getJson(app, `/api/studies/${seeded.min}/trials?state=DONE`)).status, 400);
    assert.equal((await getJson(app, `/api/studies/${seeded.min}/trials?sort=drop`)).status, 400);
  });

  it('gives a trial\'s params, values, intermediate values, duration and attrs as stored', async () => {
    const { app, writer, seeded } = fx();
    for (const t of await writer.getAllTrials(seeded.min)) {
      const { status, body } = await getJson(app, `/api/studies/${seeded.min}/trials/${t.number}`);
      assert.equal(status, 200);
      assert.equal(body.state, t.state);
      assert.deepEqual(body.params, t.params);
      assert.deepEqual(body.user_attrs, t.userAttrs);
      assert.deepEqual(body.system_attrs, t.systemAttrs);
      assert.equal(body.duration_s, t.durationSeconds);
      if (t.values) t.values.forEach((v, i) => sameNumber(body.values[i], v, `trial ${t.number} value ${i}`));
      else assert.equal(body.values, null);
      assert.equal(body.intermediate_values.length, t.intermediateValues.size);
      for (const { step, value } of body.intermediate_values) sameNumber(value, t.intermediateValues.get(step)!, `trial ${t.number} step ${step}`);
    }
    assert.equal((await getJson(app, `/api/studies/${seeded.min}/trials/999`)).status, 404);
    assert.equal((await getJson(app, '/api/studies/999')).status, 404);
  });

  it('gives the Pareto front of the multi-objective study and no best value', async () => {
    const { app, writer, seeded } = fx();
    const { body } = await getJson(app, `/api/studies/${seeded.multi}`);
    const dirs = await writer.getStudyDirections(seeded.multi);
    const done = (await writer.getAllTrials(seeded.multi, { states: ['COMPLETE'] }));
    const dominated = (a: FrozenTrial, b: FrozenTrial) => dirs.every((d, i) => (d === 'minimize' ? b.values![i] <= a.values![i] : b.values![i] >= a.values![i]))
      && dirs.some((d, i) => b.values![i] !== a.values![i]);
    const front = done.filter((a) => !done.some((b) => b !== a && dominated(a, b))).map((t) => t.number);
    assert.ok(front.length >= 2 && front.length < done.length);
    assert.deepEqual(body.pareto_front, front);
    assert.equal(body.best_value, null);
    const plots = (await getJson(app, `/api/studies/${seeded.multi}/plots`)).body;
    const pts = (plots.pareto.spec.data.values as any[]).filter((p) => p.front).map((p) => p.trial).sort((a, b) => a - b);
    assert.deepEqual(pts, front);
  });

  it('answers a study with no trials with empty views, not an error', async () => {
    const { app, seeded } = fx();
    const { status, body } = await getJson(app, `/api/studies/${seeded.empty}`);
    assert.equal(status, 200);
    assert.equal(body.n_trials, 0);
    assert.deepEqual(body.history.points, []);
    assert.equal((await getJson(app, `/api/studies/${seeded.empty}/trials`)).body.total, 0);
    assert.match((await getJson(app, `/api/studies/${seeded.empty}/importance`)).body.error, /COMPLETE/);
    assert.equal((await getJson(app, `/api/studies/${seeded.empty}/plots`)).status, 200);
  });

  it('ranks importance over the study\'s parameters and renders parallel coordinates and slices for each', async () => {
    const { app, seeded } = fx();
    const imp = (await getJson(app, `/api/studies/${seeded.min}/importance`)).body;
    assert.deepEqual(Object.keys(imp.importances).sort(), ['act', 'layers', 'lr']);
    const sum = Object.values(imp.importances as Record<string, number>).reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(sum - 1) < 1e-9);
    const plots = (await getJson(app, `/api/studies/${seeded.min}/plots`)).body;
    assert.deepEqual(plots.parallel.params, ['act', 'layers', 'lr']);
    assert.equal(plots.slice.spec.concat.length, 3);
    assert.equal(plots.pareto, null);
  });

  it('answers 304 to an unchanged ETag and a new one after a trial is told', async () => {
    const { app, writer, seeded } = fx();
    const a = await getJson(app, `/api/studies/${seeded.max}`);
    assert.ok(a.etag);
    assert.equal((await getJson(app, `/api/studies/${seeded.max}`, { 'if-none-match': a.etag! })).status, 304);
    const { trialId } = await writer.createNewTrial(seeded.max);
    await writer.setTrialStateValues(trialId, 'COMPLETE', [0.99]);
    const b = await getJson(app, `/api/studies/${seeded.max}`, { 'if-none-match': a.etag! });
    assert.equal(b.status, 200);
    assert.notEqual(b.etag, a.etag);
    sameNumber(b.body.best_value, 0.99, 'new best after the told trial');
  });

  it('refuses every request but GET (read-only)', async () => {
    const { app, seeded } = fx();
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
      const r = await app.request(`http://127.0.0.1/api/studies/${seeded.min}`, { method, headers: { host: '127.0.0.1' } });
      assert.equal(r.status, 405, method);
    }
  });
}
