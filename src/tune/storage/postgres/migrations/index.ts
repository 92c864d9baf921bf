// PostgreSQL schema history for tokcast studies; same tables and columns as the SQLite schema (OPTUNA.md d.4).
// Append new versions at the end; old databases are upgraded step by step when opened.
import type { Migration } from '../../migrate.ts';
import { v1Initial } from './v1-initial.ts';
import { v2Heartbeats } from './v2-heartbeats.ts';

/** Every PostgreSQL migration, oldest first. */
export const postgresMigrations: readonly Migration[] = [v1Initial, v2Heartbeats];
