// Row <-> value conversions shared by the SQL storages: Optuna's value-type tags for +-inf/NaN, ISO/Date datetimes,
// and assembling FrozenTrial objects from the per-table rows (docs/tuning.md#entities, #schema).
import { distributionFromJson, type Distribution, type ParamValue } from '../../distributions.ts';
import { FrozenTrial, type JsonValue, type TrialState } from '../../frozen-trial.ts';
import { PyFloat, pyJsonDumps, pyJsonLoads } from '../../python-json.ts';
import { copyDate, parseUtcDateTime } from '../../utc-datetime.ts';

export type ValueType = 'FINITE' | 'INF_POS' | 'INF_NEG' | 'NAN';

/** Splits a number into the stored (value, type) pair; non-finite numbers are stored as NULL plus a tag. */
export function encodeValue(v: number): [number | null, ValueType] {
  if (Number.isNaN(v)) return [null, 'NAN'];
  if (v === Infinity) return [null, 'INF_POS'];
  if (v === -Infinity) return [null, 'INF_NEG'];
  return [v, 'FINITE'];
}

/** Inverse of encodeValue. */
export function decodeValue(v: number | null, type: string): number {
  if (type === 'INF_POS') return Infinity;
  if (type === 'INF_NEG') return -Infinity;
  if (type === 'NAN' || v === null) return NaN;
  return Number(v);
}

/** A datetime column (naive UTC text, microseconds kept) as a Date, or null. */
export function toDate(v: unknown): Date | null {
  if (v === null || v === undefined) return null;
  return v instanceof Date ? copyDate(v) : parseUtcDateTime(String(v));
}

/** Optuna's distribution_to_json text: json.dumps of {name, attributes} with Optuna's attribute order and float spelling. */
export function distributionJsonText(d: Distribution): string {
  const j = d.toJSON();
  const a = j.attributes as Record<string, unknown>;
  let attributes: Record<string, unknown>;
  if (j.name === 'FloatDistribution') {
    attributes = { step: a.step == null ? null : new PyFloat(a.step as number), low: new PyFloat(a.low as number), high: new PyFloat(a.high as number), log: a.log };
  } else if (j.name === 'IntDistribution') {
    attributes = { log: a.log, step: a.step, low: a.low, high: a.high };
  } else {
    attributes = { choices: a.choices };
  }
  return pyJsonDumps({ name: j.name, attributes });
}

export interface TrialRow { trial_id: number; number: number; state: string; datetime_start: unknown; datetime_complete: unknown }
export interface ParamRow { trial_id: number; param_name: string; param_value: number; distribution_json: string }
export interface ValueRow { trial_id: number; objective: number; value: number | null; value_type: string }
export interface IntermediateRow { trial_id: number; step: number; intermediate_value: number | null; intermediate_value_type: string }
export interface AttrRow { trial_id: number; key: string; value_json: string }

/** Everything needed to build trials, each list possibly covering many trials. */
export interface TrialRows {
  trials: TrialRow[];
  params: ParamRow[];
  values: ValueRow[];
  intermediates: IntermediateRow[];
  userAttrs: AttrRow[];
  systemAttrs: AttrRow[];
}

function groupBy<R extends { trial_id: number }>(rows: R[]): Map<number, R[]> {
  const m = new Map<number, R[]>();
  for (const r of rows) {
    const id = Number(r.trial_id);
    const list = m.get(id);
    if (list) list.push(r);
    else m.set(id, [r]);
  }
  return m;
}

const distCache = new Map<string, Distribution>();
/** Parses a stored distribution, caching by JSON text (studies repeat the same few). */
export function parseDistribution(json: string): Distribution {
  let d = distCache.get(json);
  if (!d) {
    d = distributionFromJson(json);
    if (distCache.size > 10000) distCache.clear();
    distCache.set(json, d);
  }
  return d;
}

function attrs(rows: AttrRow[] | undefined): Record<string, JsonValue> {
  const out: Record<string, JsonValue> = {};
  for (const r of rows ?? []) out[r.key] = pyJsonLoads(r.value_json) as JsonValue;
  return out;
}

/** Builds FrozenTrials in the order of `rows.trials`. */
export function assembleTrials(rows: TrialRows): FrozenTrial[] {
  const params = groupBy(rows.params);
  const values = groupBy(rows.values);
  const inter = groupBy(rows.intermediates);
  const ua = groupBy(rows.userAttrs);
  const sa = groupBy(rows.systemAttrs);
  return rows.trials.map((t) => {
    const id = Number(t.trial_id);
    const p: Record<string, ParamValue> = {};
    const d: Record<string, Distribution> = {};
    for (const r of params.get(id) ?? []) {
      const dist = parseDistribution(r.distribution_json);
      d[r.param_name] = dist;
      p[r.param_name] = dist.toExternal(Number(r.param_value));
    }
    const vs = (values.get(id) ?? []).sort((a, b) => a.objective - b.objective);
    const iv = new Map<number, number>();
    for (const r of (inter.get(id) ?? []).sort((a, b) => a.step - b.step)) iv.set(Number(r.step), decodeValue(r.intermediate_value, r.intermediate_value_type));
    return new FrozenTrial({
      trialId: id,
      number: Number(t.number),
      state: t.state as TrialState,
      values: vs.length ? vs.map((r) => decodeValue(r.value, r.value_type)) : null,
      datetimeStart: toDate(t.datetime_start),
      datetimeComplete: toDate(t.datetime_complete),
      params: p,
      distributions: d,
      userAttrs: attrs(ua.get(id)),
      systemAttrs: attrs(sa.get(id)),
      intermediateValues: iv,
    });
  });
}
