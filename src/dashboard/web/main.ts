// The dashboard page: a hash router over three views (studies and runs, one study, one run) that draws what the
// JSON API returns, charts through vega-embed from the specs the server built, and re-draws on live events.
import embed from 'vega-embed';
import './style.css';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const app = document.getElementById('app')!;
const banner = document.getElementById('banner')!;
const liveDot = document.getElementById('live')!;
const source = document.getElementById('source')!;

class ApiError extends Error {
  constructor(readonly status: number, message: string, readonly storageDown: boolean) {
    super(message);
  }
}

async function api(path: string): Promise<Json> {
  let r: Response;
  try {
    r = await fetch(path, { headers: { accept: 'application/json' } });
  } catch {
    throw new ApiError(0, 'the dashboard server does not answer', true);
  }
  const body = await r.json().catch(() => ({ error: `HTTP ${r.status}` }));
  if (!r.ok) throw new ApiError(r.status, body.error ?? `HTTP ${r.status}`, Boolean(body.storage_down) || r.status === 503);
  return body;
}

function showBanner(text: string | null): void {
  banner.hidden = text === null;
  banner.textContent = text ?? '';
}

const esc = (s: unknown) => String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** A number as the API sends it (finite, or "NaN" / "Infinity" / "-Infinity") for display. */
function fmt(v: unknown): string {
  if (v === null || v === undefined) return '–';
  if (typeof v === 'string') return v === 'Infinity' ? '∞' : v === '-Infinity' ? '−∞' : v;
  if (typeof v !== 'number') return JSON.stringify(v);
  if (Number.isInteger(v)) return String(v);
  return Math.abs(v) >= 1e5 || Math.abs(v) < 1e-3 ? v.toExponential(4) : String(Number(v.toPrecision(6)));
}
/** A number for an interval's bounds: three significant digits. */
function fmtShort(v: unknown): string {
  return typeof v === 'number' && !Number.isInteger(v) && Math.abs(v) < 1e5 && Math.abs(v) >= 1e-3 ? String(Number(v.toPrecision(3))) : fmt(v);
}
/** A number cell that keeps the exact value in data-value. */
const numCell = (v: unknown, testid = '') => `<span class="num"${testid ? ` data-testid="${testid}"` : ''} data-value="${esc(JSON.stringify(v ?? null))}">${esc(fmt(v))}</span>`;
const when = (iso: string | null) => (iso ? new Date(iso).toISOString().replace('T', ' ').slice(0, 19) : '–');
const stateBadge = (s: string) => `<span class="state state-${esc(s).toLowerCase()}">${esc(s)}</span>`;

/** Data rows a spec carries (inline values of it and its layers / panels). */
function rowsIn(spec: Json): number {
  if (!spec || typeof spec !== 'object') return 0;
  let n = Array.isArray(spec.data?.values) ? spec.data.values.length : 0;
  for (const k of ['layer', 'concat', 'hconcat', 'vconcat']) if (Array.isArray(spec[k])) for (const s of spec[k]) n += rowsIn(s);
  return n;
}
/** Above this many rows a chart is drawn on a canvas: SVG with one node per mark is slow at 10,000 trials. */
const CANVAS_ROWS = 3000;

async function chart(el: HTMLElement, spec: Json): Promise<void> {
  const renderer = rowsIn(spec) > CANVAS_ROWS ? 'canvas' : 'svg';
  try {
    // mode given: vega-embed guesses a spec without $schema that uses `concat` (the slice plots) to be Vega, not Vega-Lite
    await embed(el, spec, { mode: 'vega-lite', actions: { export: true, source: false, compiled: false, editor: false }, renderer });
  } catch (e) {
    el.innerHTML = `<p class="error">chart failed: ${esc((e as Error).message)}</p>`;
  }
}

/** Draws `spec` into element `cid` unless that element already shows exactly this spec. */
function draw(cid: string, spec: Json): void {
  const el = document.getElementById(cid);
  if (!el) return;
  const text = JSON.stringify(spec);
  if (drawn.get(el) === text) return;
  drawn.set(el, text);
  void chart(el, spec);
}
/** A line of text in place of a chart. */
function note(cid: string, text: string): void {
  const el = document.getElementById(cid);
  if (!el) return;
  drawn.delete(el);
  el.innerHTML = `<p class="muted">${esc(text)}</p>`;
}
const drawn = new WeakMap<HTMLElement, string>();

function card(title: string, body: string, id = '', cls = ''): string {
  return `<section class="card${cls ? ` ${cls}` : ''}"${id ? ` id="${id}"` : ''}><h2>${esc(title)}</h2>${body}</section>`;
}

// ---------- live updates ----------

let live: EventSource | null = null;
let liveTopic = '';
let onChange: (() => void) | null = null;

function follow(topic: string, fn: () => void): void {
  onChange = fn;
  if (live && liveTopic === topic) return;
  live?.close();
  liveTopic = topic;
  live = new EventSource(`/api/live?topic=${encodeURIComponent(topic)}`);
  live.addEventListener('change', () => onChange?.());
  live.addEventListener('status', (ev) => {
    const s = JSON.parse((ev as MessageEvent).data);
    liveDot.classList.toggle('down', !s.ok);
    if (!s.ok) showBanner(`⚠ ${s.error}. Showing the last data read; the page updates by itself when the storage is back.`);
    else if (banner.textContent?.startsWith('⚠')) { showBanner(null); onChange?.(); }
  });
  live.onerror = () => liveDot.classList.add('down');
  live.onopen = () => liveDot.classList.remove('down');
}

// ---------- views ----------

async function studiesView(): Promise<void> {
  const [studies, runs] = await Promise.allSettled([api('/api/studies'), api('/api/runs')]);
  let html = '';
  if (studies.status === 'fulfilled') {
    const rows = studies.value.studies.map((s: Json) => `<tr data-study="${s.id}">
      <td><a href="#/study/${s.id}">${esc(s.name)}</a></td>
      <td>${s.directions.map(esc).join(', ')}</td>
      <td class="r">${numCell(s.n_trials, 'n-trials')}</td>
      <td class="states">${Object.entries(s.states).filter(([, n]) => (n as number) > 0).map(([k, n]) => `${stateBadge(k)} ${n}`).join(' ') || '–'}</td>
      <td class="r">${s.directions.length > 1 ? `${s.pareto_size} on front` : numCell(s.best_value, 'best-value')}</td>
      <td>${when(s.last_activity)}</td>
      <td class="mono">${esc(s.fingerprint ?? '')}</td></tr>`).join('');
    html += card('Studies', studies.value.studies.length === 0 ? '<p class="muted">The storage has no studies yet.</p>'
      : `<table class="grid" id="studies"><thead><tr><th>study</th><th>directions</th><th class="r">trials</th><th>by state</th><th class="r">best value</th><th>last activity (UTC)</th><th>fingerprint</th></tr></thead><tbody>${rows}</tbody></table>`);
  } else {
    html += card('Studies', `<p class="error">${esc((studies.reason as Error).message)}</p>`);
  }
  if (runs.status === 'fulfilled') {
    const rows = runs.value.runs.map((r: Json) => `<tr data-run="${esc(r.id)}">
      <td><a href="#/run/${encodeURIComponent(r.id)}">${esc(r.name)}</a></td>
      <td class="r">${r.n_steps}</td>
      <td>${Object.entries(r.states).map(([k, n]) => `${stateBadge(k)} ${n}`).join(' ')}</td>
      <td class="r">${r.epochs ?? '–'}</td><td>${r.training_state ? stateBadge(r.training_state) : '–'}</td>
      <td>${r.has_evaluation ? 'yes' : '–'}</td><td data-testid="reports">${esc((r.reports ?? []).join(', ') || '–')}</td><td>${when(r.last_activity)}</td></tr>`).join('');
    html += card(`Runs in ${runs.value.artifacts_dir}`, runs.value.runs.length === 0 ? '<p class="muted">No run in the artifacts folder.</p>'
      : `<table class="grid" id="runs"><thead><tr><th>run</th><th class="r">steps</th><th>step states</th><th class="r">epochs</th><th>training</th><th>evaluation</th><th>reports</th><th>last artifact (UTC)</th></tr></thead><tbody>${rows}</tbody></table>`);
  }
  app.innerHTML = html;
  if (studies.status === 'rejected' && (studies.reason as ApiError).storageDown) showBanner(`⚠ ${(studies.reason as Error).message}`);
  else if (studies.status === 'fulfilled') showBanner(null);
}

interface TableState { offset: number; limit: number; sort: string; order: 'asc' | 'desc'; state: string; q: string }
const tableState: TableState = { offset: 0, limit: 25, sort: 'number', order: 'asc', state: '', q: '' };
let selectedTrial: number | null = null;
let redrawingTable = false;
let lastStudyId = -1;

async function studyView(id: number): Promise<void> {
  if (id !== lastStudyId) {
    Object.assign(tableState, { offset: 0, sort: 'number', order: 'asc', state: '', q: '' });
    selectedTrial = null;
    lastStudyId = id;
  }
  const s = await api(`/api/studies/${id}`);
  showBanner(null);
  const multi = s.directions.length > 1;
  const bestLine = multi
    ? `<div class="kv"><b>Pareto front</b> <span data-testid="pareto-front">${s.pareto_front.map((n: number) => `#${n}`).join(', ') || '–'}</span></div>`
    : `<div class="kv"><b>best value</b> ${numCell(s.best_value, 'best-value')} <span class="muted">(trial <span data-testid="best-trial">${s.best_trial ?? '–'}</span>)</span></div>`;
  const states = Object.entries(s.states).map(([k, n]) => `<span data-testid="state-${k}">${stateBadge(k)} ${n}</span>`).join(' ');
  const head = `<h1 data-testid="study-name">${esc(s.name)}</h1>
      <div class="kv"><b>directions</b> ${s.directions.map(esc).join(', ')}</div>
      <div class="kv"><b>trials</b> ${numCell(s.n_trials, 'n-trials')} ${states}</div>
      ${bestLine}
      <div class="kv"><b>last activity</b> ${s.last_activity ? `${when(s.last_activity)} UTC` : 'none yet'}</div>
      ${Object.keys(s.user_attrs).length ? `<div class="kv"><b>user attrs</b> <code>${esc(JSON.stringify(s.user_attrs))}</code></div>` : ''}`;
  const page = document.getElementById('study-page');
  // a live update of the page already shown keeps its charts and redraws only those whose spec changed
  if (page && page.dataset.study === String(id) && page.dataset.multi === String(multi)) {
    document.getElementById('study-head')!.innerHTML = head;
  } else {
    app.innerHTML = `<div id="study-page" data-study="${id}" data-multi="${multi}">
    <div class="head" id="study-head">${head}</div>
    <div class="charts">
      ${card('Optimization history', '<div class="chart" id="c-history"></div>')}
      ${card('Intermediate values', '<p class="muted small" id="iv-caption"></p><div class="chart" id="c-intermediate"></div>')}
      ${card('Hyperparameter importance', '<div class="chart" id="c-importance"><p class="muted">computing…</p></div>')}
      ${multi ? card('Pareto front', '<div class="chart" id="c-pareto"></div>') : ''}
      ${card('Parallel coordinates', '<div class="chart" id="c-parallel"></div>', '', 'wide')}
      ${card('Slice', '<div class="chart" id="c-slice"></div>', '', 'wide')}
    </div>
    ${card('Trials', '<div id="trials"></div>', 'trials-card')}
    <div id="detail"></div></div>`;
  }
  document.getElementById('iv-caption')!.textContent = `${s.intermediate.shown_curves} of ${s.intermediate.total_curves} curves drawn; pruned trials end in a red cross.`;
  if (s.n_trials === 0) {
    for (const c of ['c-history', 'c-intermediate', 'c-parallel', 'c-slice']) note(c, 'No trials yet.');
  } else {
    draw('c-history', s.history.spec);
    if (s.intermediate.total_curves) draw('c-intermediate', s.intermediate.spec);
    else note('c-intermediate', 'No trial reported intermediate values.');
  }
  void api(`/api/studies/${id}/importance`).then((imp) => {
    if (imp.error) note('c-importance', imp.error);
    else draw('c-importance', imp.spec);
  }).catch(() => undefined);
  void api(`/api/studies/${id}/plots`).then((p) => {
    const put = (cid: string, part: Json) => {
      if (s.n_trials === 0) return;
      if (!part || part.n_trials === 0 || (part.params && part.params.length === 0 && cid === 'c-slice')) note(cid, 'Needs COMPLETE trials with shared parameters.');
      else draw(cid, part.spec);
    };
    put('c-parallel', p.parallel);
    put('c-slice', p.slice);
    if (multi) put('c-pareto', p.pareto);
  }).catch(() => undefined);
  await trialsTable(id, s.directions.length);
  if (selectedTrial !== null) await trialDetail(id, selectedTrial);
}

async function trialsTable(id: number, nValues: number): Promise<void> {
  const t = tableState;
  const qs = new URLSearchParams({ offset: String(t.offset), limit: String(t.limit), sort: t.sort, order: t.order, state: t.state, q: t.q });
  const page = await api(`/api/studies/${id}/trials?${qs}`);
  const el = document.getElementById('trials');
  if (!el) return;
  const cols: [string, string][] = [['number', '#'], ['state', 'state'], ...Array.from({ length: nValues }, (_, i) => [nValues === 1 ? 'value' : `value${i}`, nValues === 1 ? 'value' : `value ${i}`] as [string, string]),
    ...page.param_names.map((p: string) => [`param:${p}`, p] as [string, string]), ['duration', 'duration (s)']];
  const arrow = (k: string) => (t.sort === k ? (t.order === 'asc' ? ' ▲' : ' ▼') : '');
  const head = cols.map(([k, label]) => `<th data-sort="${esc(k)}" class="sortable">${esc(label)}${arrow(k)}</th>`).join('');
  const body = page.rows.map((r: Json) => `<tr data-trial="${r.number}" class="${r.number === selectedTrial ? 'sel' : ''}">
    <td class="r">${r.number}</td><td>${stateBadge(r.state)}</td>
    ${Array.from({ length: nValues }, (_, i) => `<td class="r">${numCell(r.values ? r.values[i] : null, `value-${r.number}-${i}`)}</td>`).join('')}
    ${page.param_names.map((p: string) => `<td class="r">${p in r.params ? (typeof r.params[p] === 'number' ? numCell(r.params[p]) : esc(JSON.stringify(r.params[p]))) : '–'}</td>`).join('')}
    <td class="r">${r.duration_s === null ? '–' : fmt(r.duration_s)}</td></tr>`).join('');
  const last = Math.min(page.total, t.offset + t.limit);
  // a live redraw must not eat what the user is typing in the filter box
  const typing = document.activeElement instanceof HTMLInputElement && document.activeElement.id === 'f-q'
    ? { value: document.activeElement.value, start: document.activeElement.selectionStart, end: document.activeElement.selectionEnd } : null;
  redrawingTable = true; // Chromium may fire `change` on a focused, edited input as it is removed: that is not the user's
  try {
    el.innerHTML = `<div class="toolbar">
      <label>state <select id="f-state">${['', 'COMPLETE', 'PRUNED', 'FAIL', 'RUNNING', 'WAITING'].map((s) => `<option value="${s}"${s === t.state ? ' selected' : ''}>${s || 'any'}</option>`).join('')}</select></label>
      <label>filter <input id="f-q" placeholder="e.g. lr=0.01 or act=&quot;gelu&quot;" value="${esc(t.q)}"></label>
      <span class="muted" data-testid="trial-range">${page.total ? `${t.offset + 1}–${last}` : '0'} of <span data-testid="trial-total">${page.total}</span></span>
      <button id="p-prev"${t.offset === 0 ? ' disabled' : ''}>‹ prev</button><button id="p-next"${last >= page.total ? ' disabled' : ''}>next ›</button>
    </div>
    <div class="scroll"><table class="grid" id="trial-table"><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table></div>`;
  } finally {
    redrawingTable = false;
  }
  el.querySelectorAll<HTMLElement>('th.sortable').forEach((th) => th.addEventListener('click', () => {
    const k = th.dataset.sort!;
    if (t.sort === k) t.order = t.order === 'asc' ? 'desc' : 'asc';
    else { t.sort = k; t.order = 'asc'; }
    t.offset = 0;
    void trialsTable(id, nValues);
  }));
  el.querySelector('#f-state')!.addEventListener('change', (e) => { t.state = (e.target as HTMLSelectElement).value; t.offset = 0; void trialsTable(id, nValues); });
  const q = el.querySelector<HTMLInputElement>('#f-q')!;
  if (typing) {
    q.value = typing.value;
    q.focus();
    q.setSelectionRange(typing.start, typing.end);
  }
  q.addEventListener('change', () => { if (redrawingTable || !q.isConnected) return; t.q = q.value; t.offset = 0; void trialsTable(id, nValues); });
  el.querySelector('#p-prev')!.addEventListener('click', () => { t.offset = Math.max(0, t.offset - t.limit); void trialsTable(id, nValues); });
  el.querySelector('#p-next')!.addEventListener('click', () => { t.offset += t.limit; void trialsTable(id, nValues); });
  el.querySelectorAll<HTMLElement>('tr[data-trial]').forEach((tr) => tr.addEventListener('click', () => {
    selectedTrial = Number(tr.dataset.trial);
    el.querySelectorAll('tr.sel').forEach((x) => x.classList.remove('sel'));
    tr.classList.add('sel');
    void trialDetail(id, selectedTrial);
  }));
}

async function trialDetail(id: number, n: number): Promise<void> {
  const t = await api(`/api/studies/${id}/trials/${n}`);
  const el = document.getElementById('detail');
  if (!el) return;
  const kv = (o: Json) => Object.keys(o).length ? `<table class="grid kvt">${Object.entries(o).map(([k, v]) => `<tr><td>${esc(k)}</td><td><code>${esc(JSON.stringify(v))}</code></td></tr>`).join('')}</table>` : '<p class="muted">none</p>';
  el.innerHTML = card(`Trial ${t.number}`, `<div class="detail" data-testid="trial-detail" data-trial="${t.number}">
    <div class="kv"><b>state</b> ${stateBadge(t.state)} <b>values</b> ${t.values ? t.values.map((v: unknown, i: number) => numCell(v, `detail-value-${i}`)).join(', ') : '–'}
      <b>duration</b> ${t.duration_s === null ? '–' : `${fmt(t.duration_s)} s`} <b>started</b> ${when(t.datetime_start)} <b>completed</b> ${when(t.datetime_complete)}</div>
    <div class="cols"><div><h3>params</h3>${kv(t.params)}</div>
    <div><h3>intermediate values</h3>${t.intermediate_values.length ? `<table class="grid kvt" id="detail-iv">${t.intermediate_values.map((r: Json) => `<tr><td>step ${r.step}</td><td class="r">${numCell(r.value)}</td></tr>`).join('')}</table>` : '<p class="muted">none</p>'}</div>
    <div><h3>user attrs</h3>${kv(t.user_attrs)}<h3>system attrs</h3>${kv(t.system_attrs)}</div></div></div>`);
}

/** Per-hour figures besides accuracy (log loss, Brier, calibration error), one row per method and figure. */
function byHourTable(ev: Json, i: number, hours: number): string {
  const rows = ev.methods.flatMap((m: Json) => Object.entries(m.by_hour ?? {}).map(([k, v]) => `<tr><td>${esc(m.name)}</td><td>${esc(k.replace(/_/g, ' '))}</td>
    ${Array.from({ length: hours }, (_, h) => `<td class="r">${numCell((v as Json[])[h], `eval-${i}-${k}-${m.name}-${h + 1}`)}</td>`).join('')}</tr>`));
  if (!rows.length) return '';
  return `<details><summary>${esc([...new Set(ev.methods.flatMap((m: Json) => Object.keys(m.by_hour ?? {})))].map((k) => String(k).replace(/_/g, ' ')).join(', '))} by hour, every method</summary><div class="scroll"><table class="grid" id="eval-${i}-by-hour"><thead><tr><th>method</th><th>figure</th>${Array.from({ length: hours }, (_, h) => `<th class="r">h${h + 1}</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table></div></details>`;
}

/** A figure as reports write it: a number, an interval {estimate, low, high}, a list or text. */
function figureText(v: Json, testid: string): string {
  if (v && typeof v === 'object' && !Array.isArray(v) && 'estimate' in v) return `${numCell(v.estimate, testid)} <span class="muted small">[${fmtShort(v.low)}, ${fmtShort(v.high)}]</span>`;
  if (typeof v === 'number') return numCell(v, testid);
  if (Array.isArray(v)) return v.length ? esc(v.join(', ')) : 'none';
  return esc(typeof v === 'string' ? v : JSON.stringify(v));
}

/** The report's headline: its split and size, then each group of figures (hour 1, mean over hours, ...). */
function headlineHtml(h: Json, i: number): string {
  if (!h) return '';
  const scalars = Object.entries(h).filter(([, v]) => v === null || typeof v !== 'object' || Array.isArray(v));
  const groups = Object.entries(h).filter(([, v]) => v && typeof v === 'object' && !Array.isArray(v));
  const kv = (pairs: [string, Json][], prefix: string) => pairs.map(([k, v]) => `<span class="fig"><b>${esc(k.replace(/_/g, ' '))}</b> ${figureText(v, `headline-${i}-${prefix}${k}`)}</span>`).join(' ');
  return `<div class="headline" data-testid="headline-${i}"><div class="kv">${kv(scalars as [string, Json][], '')}</div>
    ${groups.map(([g, v]) => `<div class="kv"><b class="group">${esc(g.replace(/_/g, ' '))}</b> ${kv(Object.entries(v as object), `${g}-`)}</div>`).join('')}</div>`;
}

/** A table the server flattened: column names and rows of scalars. */
function flatTable(t: Json, id: string): string {
  if (!t || !t.rows.length) return '';
  const numeric = t.columns.map((_: string, j: number) => t.rows.some((r: Json[]) => typeof r[j] === 'number'));
  return `<div class="scroll"><table class="grid" id="${esc(id)}"><thead><tr>${t.columns.map((c: string, j: number) => `<th${numeric[j] ? ' class="r"' : ''}>${esc(c.replace(/_/g, ' '))}</th>`).join('')}</tr></thead>
    <tbody>${t.rows.map((r: Json[]) => `<tr>${r.map((v, j) => typeof v === 'number' ? `<td class="r">${numCell(v, `${id}-${j}-${r[0]}`)}</td>` : `<td>${esc(v ?? '–')}</td>`).join('')}</tr>`).join('')}</tbody></table></div>`;
}

const figure = (src: string, alt: string, file: (p: string) => string) => `<figure class="report-figure"><img loading="lazy" src="${file(src)}" alt="${esc(alt)}"><figcaption>${esc(src)}</figcaption></figure>`;

function reportImages(rep: Json): string[] {
  if (!rep) return [];
  return [...rep.calibration.map((c: Json) => c.image), ...rep.backtests.map((b: Json) => b.equity), ...rep.walk_forward.map((w: Json) => w.plot)].filter(Boolean);
}

/** Links to each fold's own run (its steps and training), when the folds name their folders. */
function foldLinks(w: Json, runId: string): string {
  const col = w.folds.columns.indexOf('folder');
  if (col < 0 || !w.dir) return '';
  const links = w.folds.rows.map((r: Json[]) => r[col]).filter((f: Json) => typeof f === 'string')
    .map((f: string) => `<a href="#/run/${encodeURIComponent(`${runId === '_' ? '' : `${runId}.`}${w.dir}.${f}`)}">${esc(f)}</a>`);
  return links.length ? `<p class="small" data-testid="wf-fold-links">each fold's run: ${links.join(', ')}</p>` : '';
}

/** Calibration, backtest, walk-forward and the per-window export, each only when the run has it. */
function reportsHtml(rep: Json, file: (p: string) => string, runId: string): string {
  if (!rep) return '';
  const where = (d: string) => (d ? ` (${d})` : '');
  let html = '';
  for (const c of rep.calibration) {
    html += card(`Calibration${where(c.dir)}`, `${c.table ? flatTable(c.table, `calibration-${c.dir}`) : ''}${c.image ? `<div class="gallery">${figure(c.image, 'reliability diagram', file)}</div>` : ''}`, `calibration-card-${c.dir}`);
  }
  for (const b of rep.backtests) {
    if (b.error) { html += card(`Backtest${where(b.dir)}`, `<p class="error">${esc(b.error)}</p>`); continue; }
    const cmp = b.comparison ? `<div class="kv"><b>model Sharpe − ${esc(b.comparison.best_alternative)}</b> ${numCell(b.comparison.sharpe_difference.estimate, 'backtest-sharpe-diff')}
      <span class="muted small">[${fmtShort(b.comparison.sharpe_difference.low)}, ${fmtShort(b.comparison.sharpe_difference.high)}]</span></div>` : '';
    html += card(`Backtest, net of fees${where(b.dir)}`, `${b.not_advice ? `<p class="notice" data-testid="not-advice">${esc(b.not_advice)}</p>` : ''}
      ${b.summary ? `<p>${esc(b.summary)}</p>` : ''}${cmp}
      ${b.costs ? `<div class="kv small">${Object.entries(b.costs).map(([k, v]) => `<b>${esc(k.replace(/_/g, ' '))}</b> ${esc(fmt(v))}`).join(' ')}</div>` : ''}
      <h3>test split</h3>${flatTable(b.test, 'backtest-test')}
      ${b.assumptions.length ? `<details><summary>assumptions</summary><ul>${b.assumptions.map((a: string) => `<li>${esc(a)}</li>`).join('')}</ul></details>` : ''}
      ${b.equity ? `<div class="gallery">${figure(b.equity, 'equity curves', file)}</div>` : ''}`, 'backtest-card');
  }
  for (const w of rep.walk_forward) {
    if (w.error) { html += card(`Walk-forward${where(w.dir)}`, `<p class="error">${esc(w.error)}</p>`); continue; }
    const iv = w.intervals;
    const ivTable = iv ? `<h3>over all folds: mean [interval]</h3><div class="scroll"><table class="grid" id="wf-intervals"><thead><tr><th>method</th>${iv.figures.map((f: string) => `<th class="r">${esc(f.replace(/_/g, ' '))}</th>`).join('')}</tr></thead>
      <tbody>${iv.rows.map((r: Json) => `<tr><td>${esc(r.method)}</td>${r.cells.map((c: Json, j: number) => `<td class="r">${c && c.estimate !== null ? `${numCell(c.estimate, `wf-${r.method}-${iv.figures[j]}`)} <span class="muted small">[${fmtShort(c.low)}, ${fmtShort(c.high)}]</span>` : '–'}</td>`).join('')}</tr>`).join('')}</tbody></table></div>` : '';
    html += card(`Walk-forward evaluation${where(w.dir)}`, `${w.not_advice ? `<p class="notice">${esc(w.not_advice)}</p>` : ''}${w.summary ? `<p>${esc(w.summary)}</p>` : ''}
      ${w.method ? `<p class="muted small">${esc(w.method)}</p>` : ''}
      ${ivTable}
      <h3>folds (<span data-testid="wf-folds">${w.folds.rows.length}</span>)</h3>${flatTable(w.folds, 'wf-folds')}
      ${foldLinks(w, runId)}
      ${w.fold_metrics ? `<details><summary>each fold's figures by method</summary>${flatTable(w.fold_metrics, 'wf-fold-metrics')}</details>` : ''}
      ${w.overall ? `<h3>other figures</h3>${flatTable(w.overall, 'wf-overall')}` : ''}
      ${w.plot ? `<div class="gallery">${figure(w.plot, 'walk-forward', file)}</div>` : ''}`, 'walk-forward-card');
  }
  if (rep.forecasts.length) {
    html += card('Per-window forecasts', `<ul>${rep.forecasts.map((f: Json) => `<li><a href="${file(f.path)}" download>${esc(f.path)}</a> <span class="muted">(${(f.bytes / 1024).toFixed(1)} KiB, Parquet: open it in pandas, Polars or DuckDB)</span></li>`).join('')}</ul>`, 'forecasts-card');
  }
  return html;
}

/** run.json as name/value pairs (lists joined, nested objects as JSON). */
function profileHtml(p: Json): string {
  if (!p || typeof p !== 'object' || Array.isArray(p)) return `<code>${esc(JSON.stringify(p))}</code>`;
  return Object.entries(p).map(([k, v]) => `<span class="fig"><b>${esc(k.replace(/_/g, ' '))}</b> ${Array.isArray(v) && v.every((x) => typeof x !== 'object')
    ? esc(v.join(', ') || '–') : v !== null && typeof v === 'object' ? `<code>${esc(JSON.stringify(v))}</code>` : esc(v ?? '–')}</span>`).join(' ');
}

async function runView(id: string): Promise<void> {
  const r = await api(`/api/runs/${encodeURIComponent(id)}`);
  showBanner(null);
  const file = (p: string) => `/api/runs/${encodeURIComponent(id)}/file?path=${encodeURIComponent(p)}`;
  const steps = r.steps.map((s: Json) => `<tr data-step="${esc(s.dir)}"><td>${esc(s.dir)}</td><td>${stateBadge(s.state)}</td>
    <td>${when(s.artifact?.created_at ?? null)}</td><td class="r">${s.artifact?.seconds != null ? fmt(s.artifact.seconds) : '–'}</td>
    <td class="mono">${esc(s.artifact?.config_hash ?? '')}</td><td class="small">${s.error ? `<span class="error">${esc(s.error)}</span>` : esc(s.files.join(', '))}</td></tr>`).join('');
  let html = `<div class="head"><h1 data-testid="run-name">${esc(r.name)}</h1>
    ${r.profile ? (r.profile.error ? `<p class="error">${esc(r.profile.error)}</p>` : `<div class="kv profile"><b>run profile</b> ${profileHtml(r.profile.value)}</div>`) : '<div class="kv muted">no run.json profile</div>'}</div>`;
  html += card('Steps', `<table class="grid" id="steps"><thead><tr><th>step</th><th>state</th><th>written (UTC)</th><th class="r">seconds</th><th>config hash</th><th>files</th></tr></thead><tbody>${steps}</tbody></table>`);
  if (r.training) {
    if (r.training.error) html += card('Training', `<p class="error">${esc(r.training.error)}</p>`);
    else {
      const last = r.training.epochs[r.training.epochs.length - 1];
      html += card(`Training ${r.training_state === 'running' ? '(running)' : ''}`, `<div class="kv"><b>epochs</b> <span data-testid="epochs">${r.training.epochs.length}</span>
        <b>last val loss</b> ${numCell(last?.val_loss, 'last-val-loss')} <b>last val acc</b> ${numCell(last?.val_acc, 'last-val-acc')}</div>
        <div class="charts"><div class="chart" id="c-curves"></div>${r.training.specs.lr ? '<div class="chart" id="c-lr"></div>' : ''}</div>`);
    }
  }
  r.evaluations.forEach((ev: Json, i: number) => {
    if (ev.error) { html += card(`Evaluation (${ev.dir})`, `<p class="error">${esc(ev.error)}</p>`); return; }
    const methods = ev.methods.map((m: Json) => `<tr><td>${esc(m.name)}</td><td class="r">${numCell(m.mean_accuracy, `eval-${i}-mean-${m.name}`)}</td><td class="r">${numCell(m.sequence_accuracy)}</td>
      ${m.accuracy_by_hour.map((a: Json) => `<td class="r">${fmt(a.estimate)} <span class="muted small">[${fmtShort(a.low)}, ${fmtShort(a.high)}]</span></td>`).join('')}</tr>`).join('');
    const hours = ev.methods[0]?.accuracy_by_hour.length ?? 0;
    html += card(`Evaluation (${ev.dir})`, `${headlineHtml(ev.headline, i)}${ev.summary ? `<p>${esc(ev.summary)}</p>` : ''}
      <div class="charts"><div class="chart" id="c-acc-${i}"></div><div class="chart" id="c-conf-${i}"></div></div>
      <div class="scroll"><table class="grid" id="eval-${i}"><thead><tr><th>method</th><th class="r">mean acc</th><th class="r">sequence acc</th>${Array.from({ length: hours }, (_, h) => `<th class="r">h${h + 1}</th>`).join('')}</tr></thead><tbody>${methods}</tbody></table></div>
      ${byHourTable(ev, i, hours)}`);
  });
  html += reportsHtml(r.reports, file, id);
  if (r.pretraining) {
    html += card('Pretraining: market statistics', r.pretraining.files.map((f: Json) => `<h3>${esc(f.source)}</h3>${f.error ? `<p class="error">${esc(f.error)}</p>` : `<pre>${esc(JSON.stringify(f.value, null, 1))}</pre>`}`).join('') || '<p class="muted">no statistics file</p>');
  }
  const shown = new Set(reportImages(r.reports));
  const images = r.steps.flatMap((s: Json) => s.images).filter((p: string) => !shown.has(p));
  if (images.length) html += card('Figures written by the steps', `<div class="gallery">${images.map((p: string) => `<figure><img loading="lazy" src="${file(p)}" alt="${esc(p)}"><figcaption>${esc(p)}</figcaption></figure>`).join('')}</div>`);
  app.innerHTML = html;
  if (r.training && !r.training.error) {
    void chart(document.getElementById('c-curves')!, r.training.specs.curves);
    if (r.training.specs.lr) void chart(document.getElementById('c-lr')!, r.training.specs.lr);
  }
  r.evaluations.forEach((ev: Json, i: number) => {
    if (ev.error) return;
    void chart(document.getElementById(`c-acc-${i}`)!, ev.specs.accuracy);
    if (ev.specs.confusion) void chart(document.getElementById(`c-conf-${i}`)!, ev.specs.confusion);
  });
}

// ---------- router ----------

let rendering = false;
let again = false;

async function render(): Promise<void> {
  if (rendering) { again = true; return; }
  rendering = true;
  const hash = location.hash.replace(/^#/, '') || '/';
  try {
    const study = /^\/study\/(\d+)$/.exec(hash);
    const run = /^\/run\/(.+)$/.exec(hash);
    if (study) { follow(`study:${study[1]}`, () => void render()); await studyView(Number(study[1])); }
    else if (run) { const id = decodeURIComponent(run[1]); follow(`run:${id}`, () => void render()); await runView(id); }
    else { follow('studies', () => void render()); await studiesView(); }
    document.body.dataset.rendered = String(Date.now());
  } catch (e) {
    const err = e as ApiError;
    if (err.storageDown) showBanner(`⚠ ${err.message}. The page updates by itself when the storage is back.`);
    else app.innerHTML = card('Not found', `<p class="error">${esc(err.message)}</p><p><a href="#/">back to the list</a></p>`);
  } finally {
    rendering = false;
    if (again) { again = false; void render(); }
  }
}

window.addEventListener('hashchange', () => void render());
void api('/api/info').then((i) => {
  source.textContent = `${i.storage?.label ?? 'no storage'} · ${i.artifacts_dir}`;
}).catch(() => undefined);
void render();
