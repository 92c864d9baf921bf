// Reads whole trials from the Optuna-named tables in six queries (one per table), for one trial or a whole study.
import type { TrialState } from '../../frozen-trial.ts';
import type { SqlConn } from './driver.ts';
import { assembleTrials, type AttrRow, type IntermediateRow, type ParamRow, type TrialRow, type ValueRow } from './codec.ts';
import type { FrozenTrial } from '../../frozen-trial.ts';

/** Which trials to read: one by id, or a study's (optionally only some states). */
export type TrialFilter = { trialId: number } | { studyId: number; states?: readonly TrialState[] };

function where(f: TrialFilter): { sql: string; params: unknown[] } {
  if ('trialId' in f) return { sql: 'trial_id = ?', params: [f.trialId] };
  if (!f.states) return { sql: 'study_id = ?', params: [f.studyId] };
  if (f.states.length === 0) return { sql: '1 = 0', params: [] };
  return { sql: `study_id = ? AND state IN (${f.states.map(() => '?').join(', ')})`, params: [f.studyId, ...f.states] };
}

/** Reads the trials matching `f`, ordered by number. */
export async function readTrials(c: SqlConn, f: TrialFilter): Promise<FrozenTrial[]> {
  const w = where(f);
  const trials = await c.all<TrialRow>(
    `SELECT trial_id, number, state, datetime_start, datetime_complete FROM trials WHERE ${w.sql} ORDER BY number`, w.params);
  if (trials.length === 0) return [];
  const ids = 'trialId' in f ? { sql: 'trial_id = ?', params: w.params } : { sql: `trial_id IN (SELECT trial_id FROM trials WHERE ${w.sql})`, params: w.params };
  // sequential: a pg client runs one query at a time anyway
  const params = await c.all<ParamRow>(`SELECT trial_id, param_name, param_value, distribution_json FROM trial_params WHERE ${ids.sql} ORDER BY param_id`, ids.params);
  const values = await c.all<ValueRow>(`SELECT trial_id, objective, value, value_type FROM trial_values WHERE ${ids.sql}`, ids.params);
  const intermediates = await c.all<IntermediateRow>(`SELECT trial_id, step, intermediate_value, intermediate_value_type FROM trial_intermediate_values WHERE ${ids.sql}`, ids.params);
  const userAttrs = await c.all<AttrRow>(`SELECT trial_id, key, value_json FROM trial_user_attributes WHERE ${ids.sql} ORDER BY trial_user_attribute_id`, ids.params);
  const systemAttrs = await c.all<AttrRow>(`SELECT trial_id, key, value_json FROM trial_system_attributes WHERE ${ids.sql} ORDER BY trial_system_attribute_id`, ids.params);
  return assembleTrials({ trials, params, values, intermediates, userAttrs, systemAttrs });
}
