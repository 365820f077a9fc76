import type { Migration } from '../../migration';

/** Registered codebases, as SQLite's migration 5: `allowed_agents` a JSON array, empty for every agent. */
export const pg0002: Migration = {
  version: 2,
  name: 'codebases',
  sql: `
    CREATE TABLE codebases (
      name TEXT COLLATE "C" PRIMARY KEY,
      path TEXT NOT NULL,
      default_agent TEXT,
      allowed_agents TEXT NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(allowed_agents::jsonb) = 'array'),
      created_at BIGINT NOT NULL
    );
  `,
};
