import type { Migration } from '../migration';

/**
 * What other devices of the workspace publish about themselves through the index document:
 * their display names and the codebases they registered (names and agent rules, never paths).
 * Materialized here so `codebase list` and the monitor read rows, not Yjs.
 */
export const m0010: Migration = {
  version: 10,
  name: 'roaming',
  sql: `
    CREATE TABLE sync_devices (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      updated_at INTEGER NOT NULL
    ) STRICT;

    CREATE TABLE sync_codebases (
      device TEXT NOT NULL,
      name TEXT NOT NULL,
      default_agent TEXT,
      allowed_agents TEXT NOT NULL CHECK (json_valid(allowed_agents) AND json_type(allowed_agents) = 'array'),
      updated_at INTEGER NOT NULL,
      PRIMARY KEY (device, name)
    ) STRICT;
  `,
};
