import type Database from 'better-sqlite3';
import type { Migration } from './migrations';

/**
 * Applies pending migrations, each in its own transaction with its `schema_migrations` row, so a
 * failing step leaves the file as the previous step left it. A file from a newer relay is refused
 * rather than half-understood.
 */
export function migrate(db: Database.Database, all: readonly Migration[]): void {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at INTEGER NOT NULL
  ) STRICT`);
  const applied = new Set((db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map((r) => r.version));
  const newest = Math.max(0, ...applied);
  const known = Math.max(0, ...all.map((m) => m.version));
  if (newest > known) {
    throw new Error(`This relay database has schema ${newest}, newer than this build knows (${known}). Upgrade the relay or use another data dir.`);
  }
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  for (const m of [...all].sort((a, b) => a.version - b.version)) {
    if (applied.has(m.version)) continue;
    db.transaction(() => {
      db.exec(m.sql);
      record.run(m.version, m.name, Date.now());
    }).immediate();
  }
}
