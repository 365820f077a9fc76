import type { Pool } from 'pg';
import { codebaseFromRow, type CodebaseRow } from '../codebase-repository';
import type { CodebaseStore } from '../store-engine';

/** Registered codebases on PostgreSQL, as SQLite's codebase repository. */
export function pgCodebaseStore(pool: Pool): CodebaseStore {
  return {
    async insert(c) {
      const r = await pool.query(
        'INSERT INTO codebases (name, path, default_agent, allowed_agents, created_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (name) DO NOTHING',
        [c.name, c.path, c.defaultAgent, JSON.stringify(c.allowedAgents), c.createdAt],
      );
      return r.rowCount === 1;
    },
    async get(name) {
      const row = (await pool.query<CodebaseRow>('SELECT * FROM codebases WHERE name = $1', [name])).rows[0];
      return row ? codebaseFromRow(row) : undefined;
    },
    async list() {
      return (await pool.query<CodebaseRow>('SELECT * FROM codebases ORDER BY name')).rows.map(codebaseFromRow);
    },
    async remove(name) {
      return (await pool.query('DELETE FROM codebases WHERE name = $1', [name])).rowCount === 1;
    },
  };
}
