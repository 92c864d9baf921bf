// PostgreSQL schema v1: Optuna's study/trial tables (OPTUNA.md d.4); datetimes are timestamptz (server clock).
import type { Migration } from '../../migrate.ts';

const attrTable = (table: string, owner: 'study' | 'trial') => `CREATE TABLE ${table} (
  ${table.replace(/s$/, '')}_id SERIAL PRIMARY KEY,
  ${owner}_id INTEGER NOT NULL REFERENCES ${owner === 'study' ? 'studies' : 'trials'}(${owner}_id) ON DELETE CASCADE,
  key VARCHAR(512) NOT NULL,
  value_json TEXT NOT NULL,
  UNIQUE (${owner}_id, key)
)`;

export const v1Initial: Migration = {
  version: 1,
  name: 'initial',
  statements: [
    `CREATE TABLE studies (
      study_id SERIAL PRIMARY KEY,
      study_name VARCHAR(512) NOT NULL UNIQUE
    )`,
    `CREATE TABLE study_directions (
      study_direction_id SERIAL PRIMARY KEY,
      study_id INTEGER NOT NULL REFERENCES studies(study_id) ON DELETE CASCADE,
      objective INTEGER NOT NULL,
      direction VARCHAR(8) NOT NULL CHECK (direction IN ('MINIMIZE', 'MAXIMIZE')),
      UNIQUE (study_id, objective)
    )`,
    attrTable('study_user_attributes', 'study'),
    attrTable('study_system_attributes', 'study'),
    `CREATE TABLE trials (
      trial_id SERIAL PRIMARY KEY,
      number INTEGER NOT NULL,
      study_id INTEGER NOT NULL REFERENCES studies(study_id) ON DELETE CASCADE,
      state VARCHAR(8) NOT NULL CHECK (state IN ('RUNNING', 'COMPLETE', 'PRUNED', 'FAIL', 'WAITING')),
      datetime_start TIMESTAMPTZ,
      datetime_complete TIMESTAMPTZ,
      UNIQUE (study_id, number)
    )`,
    `CREATE TABLE trial_params (
      param_id SERIAL PRIMARY KEY,
      trial_id INTEGER NOT NULL REFERENCES trials(trial_id) ON DELETE CASCADE,
      param_name VARCHAR(512) NOT NULL,
      param_value DOUBLE PRECISION NOT NULL,
      distribution_json TEXT NOT NULL,
      UNIQUE (trial_id, param_name)
    )`,
    `CREATE TABLE trial_values (
      trial_value_id SERIAL PRIMARY KEY,
      trial_id INTEGER NOT NULL REFERENCES trials(trial_id) ON DELETE CASCADE,
      objective INTEGER NOT NULL,
      value DOUBLE PRECISION,
      value_type VARCHAR(7) NOT NULL CHECK (value_type IN ('FINITE', 'INF_POS', 'INF_NEG')),
      UNIQUE (trial_id, objective)
    )`,
    `CREATE TABLE trial_intermediate_values (
      trial_intermediate_value_id SERIAL PRIMARY KEY,
      trial_id INTEGER NOT NULL REFERENCES trials(trial_id) ON DELETE CASCADE,
      step INTEGER NOT NULL,
      intermediate_value DOUBLE PRECISION,
      intermediate_value_type VARCHAR(7) NOT NULL CHECK (intermediate_value_type IN ('FINITE', 'INF_POS', 'INF_NEG', 'NAN')),
      UNIQUE (trial_id, step)
    )`,
    attrTable('trial_user_attributes', 'trial'),
    attrTable('trial_system_attributes', 'trial'),
  ],
};
