// What the study pages show, computed on the server from one snapshot of a study's trials: the list row, the
// optimisation history with its running best, intermediate values (pruned marked), the trial table (sorted,
// filtered, paginated), a trial's detail, importance, parallel coordinates, slice plots and the Pareto front.
// Charts are the project's vega-lite specs (src/plots/specs), so the page and the PNG files show the same thing.
import type { FrozenTrial, JsonValue, StudyDirection, TrialState } from '../tune/frozen-trial.ts';
import { TRIAL_STATES } from '../tune/frozen-trial.ts';
import { distributionToJson, type Distribution, type ParamValue } from '../tune/distributions.ts';
import { getParamImportances } from '../tune/importance/index.ts';
import { runningBest, tuningHistorySpec, type HistoryTrial } from '../plots/specs/tuning-history.ts';
import { intermediateValuesSpec } from '../plots/specs/tuning-intermediate.ts';
import { paramImportanceSpec } from '../plots/specs/tuning-importance.ts';
import { parallelCoordinatesSpec, type ParallelAxis, type ParallelRow } from '../plots/specs/tuning-parallel.ts';
import { sliceSpec, type SliceParam } from '../plots/specs/tuning-slice.ts';
import { paretoFrontSpec, type ParetoPoint } from '../plots/specs/tuning-pareto.ts';
import type { Spec } from '../plots/render.ts';
import { num, type JsonNumber } from './json.ts';

/** Every trial of a study as read at one moment. */
export interface StudySnapshot {
  id: number;
  name: string;
  directions: StudyDirection[];
  userAttrs: Record<string, JsonValue>;
  systemAttrs: Record<string, JsonValue>;
  trials: FrozenTrial[];
  /** the storage's change signature when it was read */
  signature: string;
}

/** At most this many trials feed the charts that draw one mark per trial and parameter (most recent first kept). */
export const MAX_CHART_TRIALS = 1000;
/** At most this many learning curves are drawn; the others are summarised per step. */
export const MAX_CURVES = 200;

const dateIso = (d: Date | null) => (d ? d.toISOString() : null);

function countStates(trials: readonly FrozenTrial[]): Record<TrialState, number> {
  const out = Object.fromEntries(TRIAL_STATES.map((s) => [s, 0])) as Record<TrialState, number>;
  for (const t of trials) out[t.state]++;
  return out;
}

function lastActivity(trials: readonly FrozenTrial[]): string | null {
  let last = -Infinity;
  for (const t of trials) {
    for (const d of [t.datetimeStart, t.datetimeComplete]) if (d && d.getTime() > last) last = d.getTime();
  }
  return Number.isFinite(last) ? new Date(last).toISOString() : null;
}

/** The best COMPLETE trial of a single-objective study (ties: lowest number), as the storage's getBestTrial picks it. */
export function bestTrial(s: StudySnapshot): FrozenTrial | null {
  if (s.directions.length !== 1) return null;
  const sign = s.directions[0] === 'maximize' ? -1 : 1;
  let best: FrozenTrial | null = null;
  for (const t of s.trials) {
    if (t.state !== 'COMPLETE' || !t.values) continue;
    if (best === null || sign * t.values[0] < sign * best.values![0]) best = t;
  }
  return best;
}

/** `a` dominates `b`: no worse in every objective and better in one. */
function dominates(a: readonly number[], b: readonly number[], dirs: readonly StudyDirection[]): boolean {
  let better = false;
  for (let i = 0; i < dirs.length; i++) {
    const s = dirs[i] === 'maximize' ? -1 : 1;
    if (s * a[i] > s * b[i]) return false;
    if (s * a[i] < s * b[i]) better = true;
  }
  return better;
}

/** Numbers of the COMPLETE trials no other COMPLETE trial dominates (Optuna's best_trials), ascending. */
export function paretoFront(s: StudySnapshot): number[] {
  const done = s.trials.filter((t) => t.state === 'COMPLETE' && t.values && t.values.every((v) => !Number.isNaN(v)));
  // sort by the first objective so a trial can only be dominated by earlier ones or equals (O(n * front))
  const s0 = s.directions[0] === 'maximize' ? -1 : 1;
  const sorted = [...done].sort((a, b) => s0 * (a.values![0] - b.values![0]) || a.number - b.number);
  const front: FrozenTrial[] = [];
  for (const t of sorted) {
    if (front.some((f) => dominates(f.values!, t.values!, s.directions))) continue;
    for (let i = front.length - 1; i >= 0; i--) if (dominates(t.values!, front[i].values!, s.directions)) front.splice(i, 1);
    front.push(t);
  }
  return front.map((t) => t.number).sort((a, b) => a - b);
}

/** A row of the studies list. */
export function studySummary(s: StudySnapshot) {
  const best = bestTrial(s);
  const fp = s.systemAttrs.fingerprint ?? s.userAttrs.fingerprint ?? s.systemAttrs['tokcast:fingerprint'] ?? null;
  return {
    id: s.id,
    name: s.name,
    directions: s.directions,
    n_trials: s.trials.length,
    states: countStates(s.trials),
    best_value: best ? num(best.values![0]) : null,
    best_trial: best ? best.number : null,
    pareto_size: s.directions.length > 1 ? paretoFront(s).length : null,
    last_activity: lastActivity(s.trials),
    fingerprint: typeof fp === 'string' ? fp : fp === null ? null : JSON.stringify(fp),
  };
}

/** The value a history point shows: objective 0 for COMPLETE, the last intermediate value for PRUNED. */
function historyValue(t: FrozenTrial): number | null {
  if (t.state === 'COMPLETE' && t.values) return t.values[0];
  if (t.state === 'PRUNED') {
    const last = t.lastStep;
    return last === null ? null : t.intermediateValues.get(last)!;
  }
  return null;
}

/**
 * Optimisation history of objective 0 with the running best (single-objective only). `best` lists the trials that
 * improved it; the chart's step line goes through those and the last COMPLETE trial, which draws the same line as one
 * point per trial with a tenth of the data at 10,000 trials.
 */
export function studyHistory(s: StudySnapshot) {
  const rows: HistoryTrial[] = s.trials.map((t) => ({ number: t.number, state: t.state, value: historyValue(t) }));
  const dir = s.directions[0];
  const single = s.directions.length === 1;
  const running = single ? runningBest(rows, dir) : [];
  const best = running.filter((b, i) => i === 0 || b.best !== running[i - 1].best);
  const spec = tuningHistorySpec(rows, dir, single ? 'Optimization history' : 'Optimization history (objective 0)') as { layer: { data: { values: unknown[] } }[] };
  if (single && running.length > 0) {
    const line = [...best, ...(running[running.length - 1] === best[best.length - 1] ? [] : [running[running.length - 1]])];
    spec.layer[1].data.values = line.map((b) => ({ trial: b.number, value: b.best, series: 'best value' }));
  }
  // a running best of one objective means nothing in a multi-objective study: no line, and none in the legend
  if (!single) {
    spec.layer = spec.layer.slice(0, 1);
    const scale = (spec.layer[0] as { encoding?: { color?: { scale?: { domain: string[]; range: string[] } } } }).encoding?.color?.scale;
    if (scale) {
      scale.domain = scale.domain.slice(0, 2);
      scale.range = scale.range.slice(0, 2);
    }
  }
  return {
    direction: dir,
    points: rows.filter((r) => r.value !== null).map((r) => ({ number: r.number, state: r.state, value: num(r.value!) })),
    best: best.map((b) => ({ number: b.number, best: num(b.best) })),
    spec: spec as unknown as Spec,
  };
}

function quantile(sorted: ArrayLike<number>, q: number): number {
  const i = (sorted.length - 1) * q;
  const lo = Math.floor(i);
  const hi = Math.ceil(i);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (i - lo);
}

/**
 * Intermediate values: every trial's curve when there are at most MAX_CURVES of them; otherwise the running trials,
 * then the most recent others up to MAX_CURVES, plus per-step min / quartiles / max over all finite values.
 */
export function studyIntermediate(s: StudySnapshot) {
  const withCurves = s.trials.filter((t) => t.intermediateValues.size > 0);
  let shown = withCurves;
  if (withCurves.length > MAX_CURVES) {
    const running = withCurves.filter((t) => t.state === 'RUNNING');
    const rest = withCurves.filter((t) => t.state !== 'RUNNING').slice(-(Math.max(0, MAX_CURVES - running.length)));
    shown = [...rest, ...running].sort((a, b) => a.number - b.number);
  }
  const byStep = new Map<number, number[]>();
  for (const t of withCurves) for (const [step, v] of t.intermediateValues) if (Number.isFinite(v)) (byStep.get(step) ?? byStep.set(step, []).get(step)!).push(v);
  const summary = [...byStep.entries()].sort((a, b) => a[0] - b[0]).map(([step, values]) => {
    const vs = Float64Array.from(values).sort(); // typed: numeric order, and several times faster at 10,000 trials
    return { step, n: vs.length, min: vs[0], q25: quantile(vs, 0.25), median: quantile(vs, 0.5), q75: quantile(vs, 0.75), max: vs[vs.length - 1] };
  });
  const curves = shown.map((t) => ({ number: t.number, state: t.state, intermediate: [...t.intermediateValues.entries()] as [number, number][] }));
  const spec = intermediateValuesSpec(curves, shown.length < withCurves.length
    ? `Intermediate values (${shown.length} of ${withCurves.length} trials: running and most recent; dashed: median of all, band: quartiles)` : 'Intermediate values') as { layer: unknown[] };
  if (shown.length < withCurves.length) {
    // every trial, aggregated on the server: the quartile band per step under the drawn curves, the median over them
    const x = { field: 'step', type: 'quantitative' };
    spec.layer.unshift({ data: { values: summary }, mark: { type: 'area', opacity: 0.25, color: '#888' },
      encoding: { x, y: { field: 'q25', type: 'quantitative' }, y2: { field: 'q75' } } });
    spec.layer.push({ data: { values: summary }, mark: { type: 'line', strokeDash: [6, 3], strokeWidth: 2.5, color: '#111', point: { filled: true, size: 30, color: '#111' } },
      encoding: { x, y: { field: 'median', type: 'quantitative' },
        tooltip: [{ field: 'step', type: 'quantitative' }, { field: 'n', type: 'quantitative', title: 'trials' }, { field: 'q25', type: 'quantitative' }, { field: 'median', type: 'quantitative' }, { field: 'q75', type: 'quantitative' }] } });
  }
  return {
    total_curves: withCurves.length,
    shown_curves: shown.length,
    trials: curves.map((c) => ({
      number: c.number, state: c.state, pruned: c.state === 'PRUNED',
      points: c.intermediate.map(([step, v]) => [step, num(v)] as [number, JsonNumber]),
    })),
    per_step: summary,
    spec: spec as unknown as Spec,
  };
}

/** Parameter value as the table shows it. */
function paramText(v: ParamValue): string {
  return typeof v === 'number' ? String(v) : JSON.stringify(v);
}

/** One row of the trial table. */
export function trialRow(t: FrozenTrial) {
  return {
    number: t.number,
    trial_id: t.trialId,
    state: t.state,
    values: t.values ? t.values.map(num) : null,
    params: Object.fromEntries(Object.entries(t.params).map(([k, v]) => [k, typeof v === 'number' ? num(v) : v])),
    last_step: t.lastStep,
    duration_s: t.durationSeconds,
    datetime_start: dateIso(t.datetimeStart),
    datetime_complete: dateIso(t.datetimeComplete),
  };
}

/** How the trial table is asked for. */
export interface TrialQuery {
  offset: number;
  limit: number;
  /** 'number' | 'state' | 'duration' | 'value' | 'value<i>' | 'param:<name>' */
  sort: string;
  order: 'asc' | 'desc';
  /** only these states (empty = all) */
  states: TrialState[];
  /** case-insensitive substring of "name=value" of any param, or of the state */
  q: string;
}

function sortKey(t: FrozenTrial, sort: string): number | string | null {
  if (sort === 'number') return t.number;
  if (sort === 'state') return t.state;
  if (sort === 'duration') return t.durationSeconds;
  const m = /^value(\d*)$/.exec(sort);
  if (m) {
    const v = t.values?.[Number(m[1] || 0)];
    return v === undefined || Number.isNaN(v) ? null : v;
  }
  if (sort.startsWith('param:')) {
    const v = t.params[sort.slice(6)];
    return v === undefined ? null : typeof v === 'number' ? v : paramText(v);
  }
  return t.number;
}

/** The page of the trial table that `q` asks for; missing sort keys go last in both orders. */
export function trialTable(s: StudySnapshot, q: TrialQuery) {
  const needle = q.q.trim().toLowerCase();
  let rows = s.trials;
  if (q.states.length) rows = rows.filter((t) => q.states.includes(t.state));
  if (needle) {
    rows = rows.filter((t) => t.state.toLowerCase().includes(needle) || String(t.number) === needle
      || Object.entries(t.params).some(([k, v]) => `${k}=${paramText(v)}`.toLowerCase().includes(needle)));
  }
  const sign = q.order === 'desc' ? -1 : 1;
  const keyed = rows.map((t) => ({ t, k: sortKey(t, q.sort) }));
  keyed.sort((a, b) => {
    if (a.k === null || b.k === null) return a.k === b.k ? a.t.number - b.t.number : a.k === null ? 1 : -1;
    const c = typeof a.k === 'number' && typeof b.k === 'number' ? a.k - b.k : String(a.k).localeCompare(String(b.k));
    return sign * c || a.t.number - b.t.number;
  });
  const page = keyed.slice(q.offset, q.offset + q.limit).map((x) => trialRow(x.t));
  const paramNames = [...new Set(s.trials.flatMap((t) => Object.keys(t.params)))].sort();
  return { total: rows.length, offset: q.offset, limit: q.limit, sort: q.sort, order: q.order, param_names: paramNames, rows: page };
}

/** Everything about one trial. */
export function trialDetail(t: FrozenTrial) {
  return {
    ...trialRow(t),
    distributions: Object.fromEntries(Object.entries(t.distributions).map(([k, d]) => [k, distributionToJson(d)])),
    intermediate_values: [...t.intermediateValues.entries()].sort((a, b) => a[0] - b[0]).map(([step, v]) => ({ step, value: num(v) })),
    user_attrs: t.userAttrs,
    system_attrs: t.systemAttrs,
  };
}

function recentComplete(s: StudySnapshot): FrozenTrial[] {
  const done = s.trials.filter((t) => t.state === 'COMPLETE' && t.values && t.values.every(Number.isFinite));
  return done.slice(-MAX_CHART_TRIALS);
}

/** fANOVA importance of each parameter for objective 0 over (at most MAX_CHART_TRIALS recent) COMPLETE trials. */
export function studyImportance(s: StudySnapshot): { importances: Record<string, number>; n_trials: number; spec: Spec } | { error: string } {
  const trials = recentComplete(s);
  try {
    const imp = getParamImportances(trials.map((t) => ({ number: t.number, state: t.state, value: t.values![0], params: t.params, distributions: t.distributions })), { nTrees: 32 });
    if (Object.keys(imp).length === 0) return { error: 'no parameter is shared by every COMPLETE trial' };
    return { importances: imp, n_trials: trials.length, spec: paramImportanceSpec(imp, `Hyperparameter importance (fANOVA, ${trials.length} trials)`) };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

/** Common parameters of the recent COMPLETE trials, with the distribution of the latest trial. */
function sharedParams(trials: readonly FrozenTrial[]): [string, Distribution][] {
  if (trials.length === 0) return [];
  const last = trials[trials.length - 1];
  return Object.entries(last.distributions).filter(([n]) => trials.every((t) => n in t.params)).sort((a, b) => a[0].localeCompare(b[0]));
}

function fmt(v: number): string {
  return Math.abs(v) >= 1e4 || (v !== 0 && Math.abs(v) < 1e-3) ? v.toExponential(2) : String(Number(v.toPrecision(4)));
}

/** Parallel coordinates over the shared parameters and objective 0. */
export function studyParallel(s: StudySnapshot) {
  const trials = recentComplete(s);
  const params = sharedParams(trials);
  const axes: ParallelAxis[] = [];
  const rows: ParallelRow[] = [];
  const addAxis = (name: string, values: (number | string)[], d?: Distribution) => {
    if (d?.kind === 'categorical') {
      const choices = d.choices.map((c) => JSON.stringify(c));
      axes.push({ name, low: choices[0], high: choices[choices.length - 1] });
      values.forEach((v, i) => rows.push({ trial: trials[i].number, objective: trials[i].values![0], axis: name, label: String(v),
        position: choices.length === 1 ? 0.5 : choices.indexOf(String(v)) / (choices.length - 1) }));
      return;
    }
    const nums = values as number[];
    const log = d?.kind !== undefined && d.log;
    const tr = (x: number) => (log ? Math.log(x) : x);
    const lo = Math.min(...nums.map(tr));
    const hi = Math.max(...nums.map(tr));
    axes.push({ name, low: fmt(Math.min(...nums)), high: fmt(Math.max(...nums)) });
    nums.forEach((v, i) => rows.push({ trial: trials[i].number, objective: trials[i].values![0], axis: name, label: fmt(v),
      position: hi === lo ? 0.5 : (tr(v) - lo) / (hi - lo) }));
  };
  for (const [name, d] of params) addAxis(name, trials.map((t) => (d.kind === 'categorical' ? JSON.stringify(t.params[name]) : (t.params[name] as number))), d);
  addAxis('objective', trials.map((t) => t.values![0]));
  return { n_trials: trials.length, params: params.map(([n]) => n), spec: parallelCoordinatesSpec(axes, rows) };
}

/** Objective 0 against each shared parameter. */
export function studySlice(s: StudySnapshot) {
  const trials = recentComplete(s);
  const params = sharedParams(trials);
  const slices: SliceParam[] = params.map(([name, d]) => ({
    name, categorical: d.kind === 'categorical', log: d.kind !== 'categorical' && d.log,
    points: trials.map((t) => ({ trial: t.number, x: d.kind === 'categorical' ? JSON.stringify(t.params[name]) : (t.params[name] as number), objective: t.values![0] })),
  }));
  return { n_trials: trials.length, params: params.map(([n]) => n), spec: sliceSpec(slices, s.directions[0]) };
}

/** The Pareto front of the first two objectives (multi-objective studies). */
export function studyPareto(s: StudySnapshot) {
  if (s.directions.length < 2) return null;
  const front = new Set(paretoFront(s));
  const done = s.trials.filter((t) => t.state === 'COMPLETE' && t.values && Number.isFinite(t.values[0]) && Number.isFinite(t.values[1]));
  const points: ParetoPoint[] = done.map((t) => ({ trial: t.number, x: t.values![0], y: t.values![1], front: front.has(t.number) }));
  const names: [string, string] = [`objective 0 (${s.directions[0]})`, `objective 1 (${s.directions[1]})`];
  return { front: [...front], spec: paretoFrontSpec(points, names, s.directions.length > 2 ? 'Pareto front (objectives 0 and 1)' : 'Pareto front') };
}
