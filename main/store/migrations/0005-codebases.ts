import type { Migration } from '../migration';

/**
 * Folders agents may work in. A task's working directory is always one of these, so a message
 * can never point an agent at an arbitrary path. `allowed_agents` is a JSON array; empty means
 * every agent may run there.
 */
export const m0005: Migration = {
  version: 5,
  name: 'codebases',
  sql: `
    CREATE TABLE codebases (
      name TEXT PRIMARY KEY,
      path TEXT NOT NULL,
      default_agent TEXT,
      allowed_agents TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(allowed_agents) AND json_type(allowed_agents) = 'array'),
      created_at INTEGER NOT NULL
    ) STRICT;
  `,
};
