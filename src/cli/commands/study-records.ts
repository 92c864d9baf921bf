// The records Optuna's CLI prints: trials as optuna/study/_dataframe.py's _create_records_and_aggregate_column builds
// them (number, value(s), datetimes, duration, params, user attrs, state), studies as cli.py's _Studies, asked trials as
// _Ask; values carry Python's types (floats for objective values and FloatDistribution params).
import type { FrozenTrial, JsonValue, StudyDirection } from '../../tune/frozen-trial.ts';
import type { Distribution, ParamValue } from '../../tune/distributions.ts';
import type { FrozenStudy } from '../../tune/storage/storage.ts';
import { PyFloat } from '../../tune/python-json.ts';
import { PyTuple, type PyValue } from '../../tune/python-repr.ts';
import { epochMicros, formatTimedelta, formatUtcSeconds } from '../../tune/utc-datetime.ts';
import { colKey, type Column, type PyRecord } from './study-format.ts';

/** Optuna's study system attribute holding names for the objectives (Study.set_metric_names). */
export const METRIC_NAMES_KEY = 'study:metric_names';

/** A parameter's external value as Python holds it: a float for FloatDistribution, the choice itself for categoricals. */
export function pyParam(value: ParamValue, d: Distribution | undefined): PyValue {
  return d?.kind === 'float' && typeof value === 'number' ? new PyFloat(value) : value;
}

const pyFloat = (v: number | null | undefined): PyValue => (v === null || v === undefined ? null : new PyFloat(v));

/** The objective names of a study, when it has them. */
export function metricNames(systemAttrs: Record<string, JsonValue>): string[] | null {
  const m = systemAttrs[METRIC_NAMES_KEY];
  return Array.isArray(m) && m.every((x) => typeof x === 'string') ? (m as string[]) : null;
}

const compareSub = (a: string | number, b: string | number) => (a < b ? -1 : a > b ? 1 : 0);

/** Records and sorted columns of `trials`, as `optuna trials` / `best-trial` / `best-trials` print them. */
export function trialRecords(trials: readonly FrozenTrial[], nObjectives: number, names: string[] | null): { records: PyRecord[]; columns: Column[] } {
  const attrs = ['number', nObjectives > 1 ? 'values' : 'value', 'datetime_start', 'datetime_complete', 'duration', 'params', 'user_attrs', 'state'];
  const agg = new Map<string, Map<string, Column>>();
  const put = (rec: PyRecord, c: Column, v: PyValue) => {
    rec.set(colKey(c), v);
    let m = agg.get(c.name);
    if (!m) agg.set(c.name, (m = new Map()));
    m.set(colKey(c), c);
  };
  const records = trials.map((t) => {
    const rec: PyRecord = new Map();
    put(rec, { name: 'number', sub: '' }, t.number);
    if (nObjectives > 1) {
      const vals: (number | null)[] = t.values ?? Array<null>(nObjectives).fill(null);
      vals.forEach((v, i) => {
        if (names && i >= names.length) return;
        put(rec, { name: 'values', sub: names ? names[i] : i }, pyFloat(v));
      });
    } else {
      put(rec, { name: 'value', sub: names ? names[0] : '' }, pyFloat(t.values?.[0]));
    }
    put(rec, { name: 'datetime_start', sub: '' }, t.datetimeStart ? formatUtcSeconds(t.datetimeStart) : null);
    put(rec, { name: 'datetime_complete', sub: '' }, t.datetimeComplete ? formatUtcSeconds(t.datetimeComplete) : null);
    const duration = t.datetimeStart && t.datetimeComplete ? formatTimedelta(epochMicros(t.datetimeComplete) - epochMicros(t.datetimeStart)) : null;
    put(rec, { name: 'duration', sub: '' }, duration);
    for (const [k, v] of Object.entries(t.params)) put(rec, { name: 'params', sub: k }, pyParam(v, t.distributions[k]));
    for (const [k, v] of Object.entries(t.userAttrs)) put(rec, { name: 'user_attrs', sub: k }, v as PyValue);
    put(rec, { name: 'state', sub: '' }, t.state);
    return rec;
  });
  const columns: Column[] = [];
  for (const a of attrs) {
    const m = agg.get(a);
    if (m) columns.push(...[...m.values()].sort((x, y) => compareSub(x.sub, y.sub)));
  }
  return { records, columns };
}

/** Records of `studies` (name, direction tuple, n_trials, earliest start, user attrs) and their columns. */
export function studyRecords(studies: readonly { study: FrozenStudy; trials: readonly FrozenTrial[] }[]): { records: PyRecord[]; columns: Column[] } {
  const columns: Column[] = ['name', 'direction', 'n_trials', 'datetime_start'].map((name) => ({ name, sub: '' }));
  const records = studies.map(({ study, trials }) => {
    let start: Date | null = null;
    for (const t of trials) if (t.datetimeStart && (start === null || epochMicros(t.datetimeStart) < epochMicros(start))) start = t.datetimeStart;
    return new Map<string, PyValue>([
      [colKey(columns[0]), study.studyName],
      [colKey(columns[1]), new PyTuple(study.directions.map((d: StudyDirection) => d.toUpperCase()))],
      [colKey(columns[2]), trials.length],
      [colKey(columns[3]), start ? formatUtcSeconds(start) : null],
      [colKey({ name: 'user_attrs', sub: '' }), study.userAttrs as PyValue],
    ]);
  });
  if (studies.some(({ study }) => Object.keys(study.userAttrs).length > 0)) columns.push({ name: 'user_attrs', sub: '' });
  return { records, columns };
}

/** The record `ask` prints: the number and the params in the order they were suggested. */
export function askRecord(number: number, params: Record<string, PyValue>, flatten: boolean): { record: PyRecord; columns: Column[] } {
  const record: PyRecord = new Map();
  const columns: Column[] = [{ name: 'number', sub: '' }];
  record.set(colKey(columns[0]), number);
  if (Object.keys(params).length === 0 && !flatten) {
    columns.push({ name: 'params', sub: '' });
    record.set(colKey(columns[1]), {});
  } else {
    for (const [k, v] of Object.entries(params)) {
      const c = { name: 'params', sub: k };
      columns.push(c);
      record.set(colKey(c), v);
    }
  }
  return { record, columns };
}

/** Optuna's best_trials: COMPLETE trials (feasible ones when any trial has constraints) that no other dominates. */
export function feasible(trials: readonly FrozenTrial[]): FrozenTrial[] {
  const constrained = trials.some((t) => 'constraints' in t.systemAttrs);
  if (!constrained) return [...trials];
  return trials.filter((t) => {
    const c = t.systemAttrs.constraints;
    return Array.isArray(c) && c.every((x) => typeof x === 'number' && x <= 0);
  });
}
