// Row writers shared by SqlStorage's transactions: upserts keyed like Optuna's unique constraints (docs/tuning.md#schema).
// Each function runs inside a caller's transaction and assumes the trial is locked and writable.
import { checkDistributionCompatibility, type Distribution } from '../../distributions.ts';
import type { JsonValue } from '../../frozen-trial.ts';
import { pyJsonDumps } from '../../python-json.ts';
import { StorageError } from '../storage.ts';
import type { SqlConn } from './driver.ts';
import { distributionJsonText, encodeValue, parseDistribution } from './codec.ts';

export type AttrKind = 'user' | 'system';

/** Runs `fn`, turning any plain Error (e.g. a UserError from distributions) into a StorageError. */
export function asStorageError<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof StorageError || !(e instanceof Error)) throw e;
    throw new StorageError(e.message);
  }
}

/** Stores objective values (objective i = values[i]). */
export async function putValues(c: SqlConn, trialId: number, values: readonly number[]): Promise<void> {
  for (let i = 0; i < values.length; i++) {
    const [v, type] = encodeValue(values[i]);
    if (type === 'NAN') throw new StorageError('trial values must not be NaN');
    await c.run(`INSERT INTO trial_values (trial_id, objective, value, value_type) VALUES (?, ?, ?, ?)
      ON CONFLICT (trial_id, objective) DO UPDATE SET value = excluded.value, value_type = excluded.value_type`, [trialId, i, v, type]);
  }
}

/** Stores (or replaces) the intermediate value at `step`. */
export async function putIntermediate(c: SqlConn, trialId: number, step: number, value: number): Promise<void> {
  const [v, type] = encodeValue(value);
  await c.run(`INSERT INTO trial_intermediate_values (trial_id, step, intermediate_value, intermediate_value_type) VALUES (?, ?, ?, ?)
    ON CONFLICT (trial_id, step) DO UPDATE SET intermediate_value = excluded.intermediate_value, intermediate_value_type = excluded.intermediate_value_type`,
  [trialId, step, v, type]);
}

/** Stores (or replaces) a trial attribute as JSON. */
export async function putTrialAttr(c: SqlConn, kind: AttrKind, trialId: number, key: string, value: JsonValue): Promise<void> {
  const json = value === undefined ? undefined : pyJsonDumps(value);
  if (json === undefined) throw new StorageError(`attribute '${key}' is not JSON-serialisable`);
  await c.run(`INSERT INTO trial_${kind}_attributes (trial_id, key, value_json) VALUES (?, ?, ?)
    ON CONFLICT (trial_id, key) DO UPDATE SET value_json = excluded.value_json`, [trialId, key, json]);
}

/** Stores a param after checking its distribution against the same name in another trial of the study. */
export async function putParam(c: SqlConn, studyId: number, trialId: number, name: string, internal: number, d: Distribution): Promise<void> {
  const other = await c.get<{ distribution_json: string }>(
    `SELECT p.distribution_json FROM trial_params p JOIN trials t ON t.trial_id = p.trial_id
     WHERE t.study_id = ? AND p.param_name = ? AND p.trial_id <> ? LIMIT 1`, [studyId, name, trialId]);
  if (other) asStorageError(() => checkDistributionCompatibility(parseDistribution(other.distribution_json), d, name));
  await c.run(`INSERT INTO trial_params (trial_id, param_name, param_value, distribution_json) VALUES (?, ?, ?, ?)
    ON CONFLICT (trial_id, param_name) DO UPDATE SET param_value = excluded.param_value, distribution_json = excluded.distribution_json`,
  [trialId, name, internal, distributionJsonText(d)]);
}

/** Records "now" (`nowSql`, the database clock) as the trial's heartbeat. */
export async function putHeartbeat(c: SqlConn, trialId: number, nowSql: string): Promise<void> {
  await c.run(`INSERT INTO trial_heartbeats (trial_id, heartbeat) VALUES (?, ${nowSql})
    ON CONFLICT (trial_id) DO UPDATE SET heartbeat = excluded.heartbeat`, [trialId]);
}
