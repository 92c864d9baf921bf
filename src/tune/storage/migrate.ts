// Versioned schema migrations shared by the SQLite and PostgreSQL storages: ordered, append-only, applied at open.
// Bookkeeping lives in `schema_migrations` (version, name, applied_at), as in Drizzle/knex-style migrators.

/** One schema step; `statements` run in order inside the migration's transaction. Never edit a published one. */
export interface Migration {
  version: number;
  name: string;
  statements: string[];
}

/** A row of `schema_migrations`. */
export interface AppliedMigration {
  version: number;
  name: string;
}

/** Throws unless versions are 1, 2, 3, ... in order with non-empty names (a programming error, not user input). */
export function validateMigrations(migrations: readonly Migration[]): void {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`migration list out of order: position ${i} has version ${m.version}, expected ${i + 1}`);
    if (!m.name) throw new Error(`migration ${m.version} has no name`);
  });
}

/**
 * The migrations still to apply given what the database says it has; throws when the database is newer than
 * this code or its history disagrees with ours (a different name at the same version).
 */
export function pendingMigrations(migrations: readonly Migration[], applied: readonly AppliedMigration[], where: string): Migration[] {
  validateMigrations(migrations);
  const latest = migrations.length;
  for (const a of applied) {
    if (a.version > latest) {
      throw new Error(`${where}: database schema is at version ${a.version} but this tokcast only knows versions up to ${latest}; upgrade tokcast`);
    }
    const ours = migrations[a.version - 1];
    if (ours.name !== a.name) {
      throw new Error(`${where}: schema_migrations says version ${a.version} is '${a.name}' but this tokcast calls it '${ours.name}'`);
    }
  }
  const done = new Set(applied.map((a) => a.version));
  return migrations.filter((m) => !done.has(m.version));
}

/** The newest schema version in a migration list. */
export function latestVersion(migrations: readonly Migration[]): number {
  return migrations.length;
}
