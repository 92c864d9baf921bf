// PostgreSQL schema v2: heartbeat table for stale-trial detection (OPTUNA.md d.3) and an index for per-study state scans.
import type { Migration } from '../../migrate.ts';

export const v2Heartbeats: Migration = {
  version: 2,
  name: 'heartbeats',
  statements: [
    `CREATE TABLE trial_heartbeats (
      trial_heartbeat_id SERIAL PRIMARY KEY,
      trial_id INTEGER NOT NULL UNIQUE REFERENCES trials(trial_id) ON DELETE CASCADE,
      heartbeat TIMESTAMPTZ NOT NULL
    )`,
    'CREATE INDEX ix_trials_study_id_state ON trials (study_id, state)',
  ],
};
