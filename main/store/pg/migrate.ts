import type { Pool } from 'pg';
import { MigrationError } from '../migrate';
import type { Migration } from '../migration';

/** Key of the advisory lock that lets one process at a time migrate a database (replicas start together). */
const migrationLock = 0x636f6465;

/**
 * Applies the pending migrations, each in its own transaction with its row in
 * `schema_migrations`, holding a session advisory lock throughout, so replicas starting at once
 * apply each step exactly once. Returns the versions it applied.
 */
export async function migratePg(pool: Pool, all: readonly Migration[]): Promise<number[]> {
  const versions = new Set<number>();
  for (const m of all) {
    if (versions.has(m.version)) throw new Error(`Duplicate migration version ${m.version}`);
    versions.add(m.version);
  }
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [migrationLock]);
    try {
      await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
        version INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        applied_at BIGINT NOT NULL
      )`);
      const applied = new Set((await client.query<{ version: number }>('SELECT version FROM schema_migrations')).rows.map((r) => r.version));
      const newest = Math.max(0, ...applied);
      const known = Math.max(0, ...versions);
      if (newest > known) {
        throw new Error(
          `This database was written by a newer CodeTether (PostgreSQL schema ${newest}, this build knows ${known}). Upgrade CodeTether or use another database.`,
        );
      }
      const done: number[] = [];
      for (const m of [...all].sort((a, b) => a.version - b.version)) {
        if (applied.has(m.version)) continue;
        try {
          await client.query('BEGIN');
          await client.query(m.sql);
          await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [m.version, m.name, Date.now()]);
          await client.query('COMMIT');
        } catch (err) {
          await client.query('ROLLBACK');
          throw new MigrationError(m, err);
        }
        done.push(m.version);
      }
      return done;
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [migrationLock]);
    }
  } finally {
    client.release();
  }
}
