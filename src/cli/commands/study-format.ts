// JSON shapes of the `tokcast study` verbs (keys as Optuna's CLI prints them, docs/tuning.md#cli) and argument parsing helpers.
// Non-finite numbers are printed as the strings "Infinity", "-Infinity", "NaN" so stdout stays valid JSON.
import { UserError } from '../../util/errors.ts';
import type { FrozenTrial, StudyDirection } from '../../tune/frozen-trial.ts';
import type { FrozenStudy } from '../../tune/storage/storage.ts';

/** A JSON-safe number: finite numbers as they are, others as strings. */
export function jsonNumber(v: number): number | string {
  return Number.isFinite(v) ? v : String(v);
}

/** Parses a number the way Python's float() does for the CLI (inf, -inf, nan accepted); throws UserError naming the flag. */
export function parseNumber(text: string, flag: string): number {
  const t = text.trim().toLowerCase();
  if (['inf', '+inf', 'infinity', '+infinity'].includes(t)) return Infinity;
  if (['-inf', '-infinity'].includes(t)) return -Infinity;
  if (t === 'nan') return NaN;
  const v = Number(t);
  if (t === '' || Number.isNaN(v)) throw new UserError(`${flag}: a number expected, got ${JSON.stringify(text)}`);
  return v;
}

/** Parses an integer flag; throws UserError naming the flag. */
export function parseInteger(text: string, flag: string, min = 0): number {
  const v = Number(text);
  if (!/^\s*[-+]?\d+\s*$/.test(text) || !Number.isSafeInteger(v) || v < min) throw new UserError(`${flag}: an integer >= ${min} expected, got ${JSON.stringify(text)}`);
  return v;
}

/** Parses a JSON object flag; throws UserError naming the flag. */
export function parseJsonObject(text: string | undefined, flag: string): Record<string, unknown> {
  if (text === undefined) return {};
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new UserError(`${flag}: invalid JSON (${(e as Error).message})`);
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new UserError(`${flag}: a JSON object expected, got ${text}`);
  return v as Record<string, unknown>;
}

/** One trial as `trials` / `best-trial` print it. */
export function trialJson(t: FrozenTrial, nObjectives: number): Record<string, unknown> {
  const vals = t.values ? t.values.map(jsonNumber) : null;
  return {
    number: t.number,
    ...(nObjectives === 1 ? { value: vals ? vals[0] : null } : { values: vals }),
    datetime_start: t.datetimeStart?.toISOString() ?? null,
    datetime_complete: t.datetimeComplete?.toISOString() ?? null,
    duration: t.durationSeconds,
    params: { ...t.params },
    user_attrs: t.userAttrs,
    intermediate_values: Object.fromEntries([...t.intermediateValues].map(([k, v]) => [String(k), jsonNumber(v)])),
    state: t.state,
  };
}

/** One study as `studies` prints it. */
export function studyJson(s: FrozenStudy, trials: FrozenTrial[]): Record<string, unknown> {
  const dirs = s.directions.map((d: StudyDirection) => d.toUpperCase());
  let start: Date | null = null;
  for (const t of trials) if (t.datetimeStart && (start === null || t.datetimeStart < start)) start = t.datetimeStart;
  return {
    name: s.studyName,
    ...(dirs.length === 1 ? { direction: dirs[0] } : { directions: dirs }),
    n_trials: trials.length,
    datetime_start: start?.toISOString() ?? null,
    user_attrs: s.userAttrs,
  };
}
