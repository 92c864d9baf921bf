// The RDB schema of Optuna 4.9 (alembic head v3.2.0.a, version_info schema 12), statement for statement as Optuna creates it,
// so that Optuna, optuna-dashboard and tokcast workers can share one study database. See docs/storage.md.

/** alembic_version.version_num of Optuna 4.x's newest schema. */
export const ALEMBIC_VERSION = 'v3.2.0.a';
/** version_info.schema_version Optuna 4.x writes. */
export const SCHEMA_VERSION = 12;
/** version_info.library_version: the Optuna release whose schema this is. */
export const LIBRARY_VERSION = '4.9.0';

/** Every table Optuna's schema has, parents first. */
export const OPTUNA_TABLES = [
  'alembic_version', 'studies', 'version_info', 'study_directions', 'study_user_attributes', 'study_system_attributes',
  'trials', 'trial_user_attributes', 'trial_system_attributes', 'trial_params', 'trial_values', 'trial_intermediate_values',
  'trial_heartbeats',
] as const;

/** SQLite: the DDL SQLAlchemy 1.4 emits for Optuna's models (byte for byte what sqlite_master then holds). */
export const SQLITE_DDL: readonly string[] = [
  `CREATE TABLE alembic_version (
	version_num VARCHAR(32) NOT NULL, 
	CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
)`,
  `CREATE TABLE studies (
	study_id INTEGER NOT NULL, 
	study_name VARCHAR(512) NOT NULL, 
	PRIMARY KEY (study_id)
)`,
  `CREATE TABLE version_info (
	version_info_id INTEGER NOT NULL, 
	schema_version INTEGER, 
	library_version VARCHAR(256), 
	PRIMARY KEY (version_info_id), 
	CHECK (version_info_id=1)
)`,
  `CREATE TABLE study_directions (
	study_direction_id INTEGER NOT NULL, 
	direction VARCHAR(8) NOT NULL, 
	study_id INTEGER NOT NULL, 
	objective INTEGER NOT NULL, 
	PRIMARY KEY (study_direction_id), 
	UNIQUE (study_id, objective), 
	FOREIGN KEY(study_id) REFERENCES studies (study_id)
)`,
  `CREATE TABLE study_user_attributes (
	study_user_attribute_id INTEGER NOT NULL, 
	study_id INTEGER, 
	"key" VARCHAR(512), 
	value_json TEXT, 
	PRIMARY KEY (study_user_attribute_id), 
	UNIQUE (study_id, "key"), 
	FOREIGN KEY(study_id) REFERENCES studies (study_id)
)`,
  `CREATE TABLE study_system_attributes (
	study_system_attribute_id INTEGER NOT NULL, 
	study_id INTEGER, 
	"key" VARCHAR(512), 
	value_json TEXT, 
	PRIMARY KEY (study_system_attribute_id), 
	UNIQUE (study_id, "key"), 
	FOREIGN KEY(study_id) REFERENCES studies (study_id)
)`,
  `CREATE TABLE trials (
	trial_id INTEGER NOT NULL, 
	number INTEGER, 
	study_id INTEGER, 
	state VARCHAR(8) NOT NULL, 
	datetime_start DATETIME, 
	datetime_complete DATETIME, 
	PRIMARY KEY (trial_id), 
	FOREIGN KEY(study_id) REFERENCES studies (study_id)
)`,
  `CREATE TABLE trial_user_attributes (
	trial_user_attribute_id INTEGER NOT NULL, 
	trial_id INTEGER, 
	"key" VARCHAR(512), 
	value_json TEXT, 
	PRIMARY KEY (trial_user_attribute_id), 
	UNIQUE (trial_id, "key"), 
	FOREIGN KEY(trial_id) REFERENCES trials (trial_id)
)`,
  `CREATE TABLE trial_system_attributes (
	trial_system_attribute_id INTEGER NOT NULL, 
	trial_id INTEGER, 
	"key" VARCHAR(512), 
	value_json TEXT, 
	PRIMARY KEY (trial_system_attribute_id), 
	UNIQUE (trial_id, "key"), 
	FOREIGN KEY(trial_id) REFERENCES trials (trial_id)
)`,
  `CREATE TABLE trial_params (
	param_id INTEGER NOT NULL, 
	trial_id INTEGER, 
	param_name VARCHAR(512), 
	param_value FLOAT, 
	distribution_json TEXT, 
	PRIMARY KEY (param_id), 
	UNIQUE (trial_id, param_name), 
	FOREIGN KEY(trial_id) REFERENCES trials (trial_id)
)`,
  `CREATE TABLE trial_values (
	trial_value_id INTEGER NOT NULL, 
	trial_id INTEGER NOT NULL, 
	objective INTEGER NOT NULL, 
	value FLOAT, 
	value_type VARCHAR(7) NOT NULL, 
	PRIMARY KEY (trial_value_id), 
	UNIQUE (trial_id, objective), 
	FOREIGN KEY(trial_id) REFERENCES trials (trial_id)
)`,
  `CREATE TABLE trial_intermediate_values (
	trial_intermediate_value_id INTEGER NOT NULL, 
	trial_id INTEGER NOT NULL, 
	step INTEGER NOT NULL, 
	intermediate_value FLOAT, 
	intermediate_value_type VARCHAR(7) NOT NULL, 
	PRIMARY KEY (trial_intermediate_value_id), 
	UNIQUE (trial_id, step), 
	FOREIGN KEY(trial_id) REFERENCES trials (trial_id)
)`,
  `CREATE TABLE trial_heartbeats (
	trial_heartbeat_id INTEGER NOT NULL, 
	trial_id INTEGER NOT NULL, 
	heartbeat DATETIME NOT NULL, 
	PRIMARY KEY (trial_heartbeat_id), 
	UNIQUE (trial_id), 
	FOREIGN KEY(trial_id) REFERENCES trials (trial_id)
)`,
  `CREATE UNIQUE INDEX ix_studies_study_name ON studies (study_name)`,
  `CREATE INDEX ix_trials_study_id ON trials (study_id)`
];

const pgAttrTable = (table: string, owner: 'study' | 'trial', ownerTable: string) => `CREATE TABLE ${table} (
	${table.replace(/s$/, '')}_id SERIAL NOT NULL, 
	${owner}_id INTEGER, 
	key VARCHAR(512), 
	value_json TEXT, 
	PRIMARY KEY (${table.replace(/s$/, '')}_id), 
	UNIQUE (${owner}_id, key), 
	FOREIGN KEY(${owner}_id) REFERENCES ${ownerTable} (${owner}_id)
)`;

/** PostgreSQL: Optuna's enums, tables and indexes as SQLAlchemy 1.4 creates them (constraint names are PostgreSQL's defaults). */
export const POSTGRES_DDL: readonly string[] = [
  "CREATE TYPE studydirection AS ENUM ('NOT_SET', 'MINIMIZE', 'MAXIMIZE')",
  "CREATE TYPE trialstate AS ENUM ('RUNNING', 'COMPLETE', 'PRUNED', 'FAIL', 'WAITING')",
  "CREATE TYPE trialvaluetype AS ENUM ('FINITE', 'INF_POS', 'INF_NEG')",
  "CREATE TYPE trialintermediatevaluetype AS ENUM ('FINITE', 'INF_POS', 'INF_NEG', 'NAN')",
  `CREATE TABLE alembic_version (
	version_num VARCHAR(32) NOT NULL, 
	CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
)`,
  `CREATE TABLE studies (
	study_id SERIAL NOT NULL, 
	study_name VARCHAR(512) NOT NULL, 
	PRIMARY KEY (study_id)
)`,
  `CREATE TABLE version_info (
	version_info_id SERIAL NOT NULL, 
	schema_version INTEGER, 
	library_version VARCHAR(256), 
	PRIMARY KEY (version_info_id), 
	CHECK (version_info_id=1)
)`,
  `CREATE TABLE study_directions (
	study_direction_id SERIAL NOT NULL, 
	direction studydirection NOT NULL, 
	study_id INTEGER NOT NULL, 
	objective INTEGER NOT NULL, 
	PRIMARY KEY (study_direction_id), 
	UNIQUE (study_id, objective), 
	FOREIGN KEY(study_id) REFERENCES studies (study_id)
)`,
  pgAttrTable('study_user_attributes', 'study', 'studies'),
  pgAttrTable('study_system_attributes', 'study', 'studies'),
  `CREATE TABLE trials (
	trial_id SERIAL NOT NULL, 
	number INTEGER, 
	study_id INTEGER, 
	state trialstate NOT NULL, 
	datetime_start TIMESTAMP WITHOUT TIME ZONE, 
	datetime_complete TIMESTAMP WITHOUT TIME ZONE, 
	PRIMARY KEY (trial_id), 
	FOREIGN KEY(study_id) REFERENCES studies (study_id)
)`,
  pgAttrTable('trial_user_attributes', 'trial', 'trials'),
  pgAttrTable('trial_system_attributes', 'trial', 'trials'),
  `CREATE TABLE trial_params (
	param_id SERIAL NOT NULL, 
	trial_id INTEGER, 
	param_name VARCHAR(512), 
	param_value FLOAT, 
	distribution_json TEXT, 
	PRIMARY KEY (param_id), 
	UNIQUE (trial_id, param_name), 
	FOREIGN KEY(trial_id) REFERENCES trials (trial_id)
)`,
  `CREATE TABLE trial_values (
	trial_value_id SERIAL NOT NULL, 
	trial_id INTEGER NOT NULL, 
	objective INTEGER NOT NULL, 
	value FLOAT, 
	value_type trialvaluetype NOT NULL, 
	PRIMARY KEY (trial_value_id), 
	UNIQUE (trial_id, objective), 
	FOREIGN KEY(trial_id) REFERENCES trials (trial_id)
)`,
  `CREATE TABLE trial_intermediate_values (
	trial_intermediate_value_id SERIAL NOT NULL, 
	trial_id INTEGER NOT NULL, 
	step INTEGER NOT NULL, 
	intermediate_value FLOAT, 
	intermediate_value_type trialintermediatevaluetype NOT NULL, 
	PRIMARY KEY (trial_intermediate_value_id), 
	UNIQUE (trial_id, step), 
	FOREIGN KEY(trial_id) REFERENCES trials (trial_id)
)`,
  `CREATE TABLE trial_heartbeats (
	trial_heartbeat_id SERIAL NOT NULL, 
	trial_id INTEGER NOT NULL, 
	heartbeat TIMESTAMP WITHOUT TIME ZONE NOT NULL, 
	PRIMARY KEY (trial_heartbeat_id), 
	UNIQUE (trial_id), 
	FOREIGN KEY(trial_id) REFERENCES trials (trial_id)
)`,
  'CREATE UNIQUE INDEX ix_studies_study_name ON studies (study_name)',
  'CREATE INDEX ix_trials_study_id ON trials (study_id)',
];

/** The rows a fresh Optuna 4.x database holds before any study: the alembic head and version_info. */
export const VERSION_ROWS: readonly { sql: string; params: unknown[] }[] = [
  { sql: 'INSERT INTO alembic_version (version_num) VALUES (?)', params: [ALEMBIC_VERSION] },
  { sql: 'INSERT INTO version_info (version_info_id, schema_version, library_version) VALUES (?, ?, ?)', params: [1, SCHEMA_VERSION, LIBRARY_VERSION] },
];
