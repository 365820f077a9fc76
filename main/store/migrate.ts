import type Database from 'better-sqlite3';
import type { Migration } from './migration';

export class MigrationError extends Error {
  constructor(
    readonly migration: Migration,
    cause: unknown,
  ) {
    super(`Migration ${migration.version} (${migration.name}) failed: ${(cause as Error).message ?? cause}`, {
      cause,
    });
    this.name = 'MigrationError';
  }
}

/**
 * Applies the pending migrations, each inside its own transaction together with its row in
 * `schema_migrations`, so a failing step leaves the database exactly as the previous step left it.
 * Returns the versions it applied.
 */
export function migrate(db: Database.Database, all: readonly Migration[]): number[] {
  const versions = new Set<number>();
  for (const m of all) {
    if (versions.has(m.version)) throw new Error(`Duplicate migration version ${m.version}`);
    versions.add(m.version);
  }
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at INTEGER NOT NULL
  ) STRICT`);
  const applied = new Set(
    (db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map((r) => r.version),
  );
  const newest = Math.max(0, ...applied);
  const known = Math.max(0, ...versions);
  if (newest > known) {
    throw new Error(
      `This database was written by a newer CodeTether (schema ${newest}, this build knows ${known}). Upgrade CodeTether or use another data dir.`,
    );
  }
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  const done: number[] = [];
  for (const m of [...all].sort((a, b) => a.version - b.version)) {
    if (applied.has(m.version)) continue;
    const step = db.transaction(() => {
      db.exec(m.sql);
      record.run(m.version, m.name, Date.now());
    });
    try {
      step.immediate();
    } catch (err) {
      throw new MigrationError(m, err);
    }
    done.push(m.version);
  }
  return done;
}
