// `dashboard_*`: the dashboard on a 10,000-trial study (SQLite, temp file; 3 parameters, 20 intermediate values for
// most trials, about half pruned early). Figures: each study-page API answer warm (snapshot cached) and right after a
// trial is told (the snapshot is read again), the page rendered in Chromium until every chart and the trial table are
// drawn, and how long a told trial takes to appear on the open page (target: 2 s). Median of 5 after a warm-up,
// min and max. The Chromium figures are reported as skipped without /usr/bin/chromium (TOKCAST_CHROMIUM).
// `npm run bench -- dashboard`; BENCH_DASHBOARD_TRIALS changes the study size.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStorage } from '../src/tune/storage/sqlite/storage.ts';
import { CategoricalDistribution, FloatDistribution, IntDistribution } from '../src/tune/distributions.ts';
import { startDashboard, type RunningDashboard } from '../src/dashboard/server.ts';
import { WEB_DIST } from '../src/dashboard/app.ts';
import { measure, round, type Timing } from './util.ts';

export const figureNames = ['dashboard_api', 'dashboard_page', 'dashboard_live'];

const N = Number(process.env.BENCH_DASHBOARD_TRIALS ?? 10000);
const STEPS = 20;
const CHROMIUM = process.env.TOKCAST_CHROMIUM ?? '/usr/bin/chromium';
const SPACE = {
  lr: new FloatDistribution(1e-5, 1e-1, { log: true }),
  layers: new IntDistribution(1, 8),
  act: new CategoricalDistribution(['relu', 'gelu', 'silu']),
};

/** A deterministic 10k-trial study: a noisy bowl in (log lr, layers), pruned when a curve is far above the median. */
async function seed(s: SqliteStorage): Promise<number> {
  const id = await s.createNewStudy(['minimize'], 'bench-10k');
  let x = 12345;
  const rand = () => ((x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const t0 = Date.UTC(2026, 0, 1);
  for (let i = 0; i < N; i++) {
    const lr = 10 ** (-5 + 4 * rand());
    const layers = 1 + Math.floor(rand() * 8);
    const act = Math.floor(rand() * 3);
    const final = (Math.log10(lr) + 3) ** 2 * 0.1 + (layers - 4) ** 2 * 0.02 + 0.3 * rand() + 0.5;
    const pruned = rand() < 0.5;
    const steps = pruned ? 2 + Math.floor(rand() * 6) : STEPS;
    const iv = new Map<number, number>();
    for (let k = 0; k < steps; k++) iv.set(k, final + 1.5 * Math.exp(-k / 4));
    await s.createNewTrial(id, {
      state: pruned ? 'PRUNED' : 'COMPLETE', values: pruned ? null : [final],
      params: { lr, layers, act: SPACE.act.choices[act] }, distributions: SPACE, intermediateValues: iv,
      datetimeStart: new Date(t0 + i * 60_000), datetimeComplete: new Date(t0 + i * 60_000 + 30_000),
    });
  }
  return id;
}

/** A trial as a worker tells it: created RUNNING with its parameters, then COMPLETE with `value`. */
async function tellTrial(s: SqliteStorage, id: number, value: number): Promise<void> {
  const { trialId } = await s.createNewTrial(id);
  await s.setTrialParam(trialId, 'lr', 1e-3, SPACE.lr);
  await s.setTrialParam(trialId, 'layers', 4, SPACE.layers);
  await s.setTrialParam(trialId, 'act', 0, SPACE.act);
  await s.setTrialStateValues(trialId, 'COMPLETE', [value]);
}

// the machine's 1-minute load average beside each figure: on a shared machine it explains most of the spread
const fig = (name: string, extra: object, t: Timing) => ({ name, trials: N, ...extra, median_ms: round(t.median_ms, 1), min_ms: round(t.min_ms, 1), max_ms: round(t.max_ms, 1), runs: t.runs,
  warmup: t.warmup, load_avg_1m: round(loadavg()[0], 2), cpus: cpus().length });

async function get(url: string): Promise<void> {
  const r = await fetch(url);
  if (!r.ok) throw new Error(`bench dashboard: ${url}: HTTP ${r.status}`);
  await r.arrayBuffer();
}

async function apiFigures(dash: RunningDashboard, writer: SqliteStorage, id: number): Promise<object[]> {
  const out: object[] = [];
  const routes: [string, string][] = [
    ['study', `api/studies/${id}`], ['trials_page_sorted', `api/studies/${id}/trials?offset=5000&limit=50&sort=value&order=asc`],
    ['importance', `api/studies/${id}/importance`], ['plots', `api/studies/${id}/plots`], ['studies_list', 'api/studies'],
  ];
  for (const [what, path] of routes) out.push(fig('dashboard_api', { route: what, cache: 'warm' }, await measure(() => get(dash.url + path), { warmup: 1, runs: 5 })));
  // right after a write: the study is read again and its views recomputed (what a live page asks for)
  const tell = () => tellTrial(writer, id, 2 + Math.random());
  for (const [what, path] of routes.slice(0, 2)) {
    const times: number[] = [];
    for (let i = 0; i < 6; i++) { // the first one warms up
      await tell();
      const t = performance.now();
      await get(dash.url + path);
      if (i > 0) times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    out.push(fig('dashboard_api', { route: what, cache: 'after_write' }, { median_ms: times[2], min_ms: times[0], max_ms: times[4], runs: 5, warmup: 1 }));
  }
  // the whole study page's API: the four requests the page makes, after a write
  const all = async () => { await tell(); await Promise.all(routes.slice(0, 4).map(([, p]) => get(dash.url + p))); };
  out.push(fig('dashboard_api', { route: 'study_page_all_after_write' }, await measure(all, { warmup: 1, runs: 5 })));
  return out;
}

async function browserFigures(dash: RunningDashboard, writer: SqliteStorage, id: number): Promise<object[]> {
  if (!existsSync(CHROMIUM)) {
    console.error(`\n!!!!! bench dashboard: no Chromium at ${CHROMIUM}; page figures skipped !!!!!\n`);
    return [{ name: 'dashboard_page', trials: N, skipped: `no Chromium at ${CHROMIUM}` }];
  }
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    // a chart is drawn when its SVG has marks or its canvas (large charts) is in place
    const parts = [...['c-history', 'c-intermediate', 'c-importance', 'c-parallel', 'c-slice'].map((c) => `#${c} svg g.role-mark, #${c} canvas`), '#trial-table tbody tr'];
    const drawn = parts.map((p) => `document.querySelector('${p}')`).join(' && ');
    const load = async () => {
      await page.goto('about:blank');
      await page.goto(`${dash.url}#/study/${id}`);
      try {
        await page.waitForFunction(drawn, undefined, { timeout: 60_000, polling: 50 });
      } catch (e) {
        const missing = await page.evaluate(`${JSON.stringify(parts)}.filter((p) => !document.querySelector(p))`);
        throw new Error(`bench dashboard: the study page did not draw ${JSON.stringify(missing)} within 60 s`, { cause: e });
      }
    };
    const out: object[] = [fig('dashboard_page', { what: 'study page: every chart and the trial table drawn' }, await measure(load, { warmup: 1, runs: 5 }))];
    // live: a trial told with a new best value until the page shows it
    let best = 0;
    const live = async () => {
      best -= 1;
      await tellTrial(writer, id, best);
      await page.waitForFunction(`JSON.parse(document.querySelector('[data-testid=best-value]')?.getAttribute('data-value') ?? 'null') === ${best}`, undefined, { timeout: 30_000, polling: 20 });
    };
    out.push(fig('dashboard_live', { what: 'told trial -> open study page shows it', poll_ms: 500 }, await measure(live, { warmup: 1, runs: 5 })));
    return out;
  } finally {
    await browser.close();
  }
}

/** API latency, page render and live-update figures on a 10,000-trial study. */
export async function dashboard(): Promise<object[]> {
  if (!existsSync(join(WEB_DIST, 'index.html'))) throw new Error('bench dashboard: the front end is not built; run `npm run build:dashboard`');
  const dir = mkdtempSync(join(tmpdir(), 'tokcast-bench-dash-'));
  const writer = SqliteStorage.open(join(dir, 'studies.db'));
  let dash: RunningDashboard | null = null;
  try {
    const t = performance.now();
    const id = await seed(writer);
    process.stderr.write(`bench dashboard: seeded ${N} trials in ${((performance.now() - t) / 1000).toFixed(1)} s\n`);
    dash = await startDashboard({ storage: join(dir, 'studies.db'), artifactsDir: dir, port: 0, host: '127.0.0.1' });
    return [...await apiFigures(dash, writer, id), ...await browserFigures(dash, writer, id)];
  } finally {
    await dash?.close();
    await writer.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
