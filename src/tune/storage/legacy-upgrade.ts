// Moving a database made by earlier tokcast releases (tables named like Optuna's, bookkept in `schema_migrations`,
// ISO-8601 datetimes with a Z, NOT NULL numbers, ON DELETE CASCADE) into Optuna 4.9's exact schema. Shared by both backends.

/** One table copied from the earlier schema: the columns it shares with Optuna's, and which of them hold datetimes or enums. */
export interface LegacyCopy {
  table: string;
  columns: string[];
  datetimes?: string[];
  /** column -> PostgreSQL enum type */
  enums?: Record<string, string>;
  /** the SERIAL id column (PostgreSQL sequences are moved past the copied ids) */
  id: string;
}

/** Parents first, as the copies must run with foreign keys on. */
export const LEGACY_COPIES: readonly LegacyCopy[] = [
  { table: 'studies', columns: ['study_id', 'study_name'], id: 'study_id' },
  { table: 'study_directions', columns: ['study_direction_id', 'study_id', 'objective', 'direction'], enums: { direction: 'studydirection' }, id: 'study_direction_id' },
  { table: 'study_user_attributes', columns: ['study_user_attribute_id', 'study_id', 'key', 'value_json'], id: 'study_user_attribute_id' },
  { table: 'study_system_attributes', columns: ['study_system_attribute_id', 'study_id', 'key', 'value_json'], id: 'study_system_attribute_id' },
  { table: 'trials', columns: ['trial_id', 'number', 'study_id', 'state', 'datetime_start', 'datetime_complete'], datetimes: ['datetime_start', 'datetime_complete'], enums: { state: 'trialstate' }, id: 'trial_id' },
  { table: 'trial_user_attributes', columns: ['trial_user_attribute_id', 'trial_id', 'key', 'value_json'], id: 'trial_user_attribute_id' },
  { table: 'trial_system_attributes', columns: ['trial_system_attribute_id', 'trial_id', 'key', 'value_json'], id: 'trial_system_attribute_id' },
  { table: 'trial_params', columns: ['param_id', 'trial_id', 'param_name', 'param_value', 'distribution_json'], id: 'param_id' },
  { table: 'trial_values', columns: ['trial_value_id', 'trial_id', 'objective', 'value', 'value_type'], enums: { value_type: 'trialvaluetype' }, id: 'trial_value_id' },
  { table: 'trial_intermediate_values', columns: ['trial_intermediate_value_id', 'trial_id', 'step', 'intermediate_value', 'intermediate_value_type'], enums: { intermediate_value_type: 'trialintermediatevaluetype' }, id: 'trial_intermediate_value_id' },
  { table: 'trial_heartbeats', columns: ['trial_heartbeat_id', 'trial_id', 'heartbeat'], datetimes: ['heartbeat'], id: 'trial_heartbeat_id' },
];

/** The backup name for a file: `<file>.bak-<UTC time>`. */
export function backupSuffix(now = new Date()): string {
  return `.bak-${now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}`;
}
