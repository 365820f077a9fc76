import type { Migration } from '../migration';

/**
 * API tokens. Only the SHA-256 of a token is kept. A name is unique among live tokens so
 * `token revoke <name>` is unambiguous, and can be reused once its token is revoked.
 */
export const m0003: Migration = {
  version: 3,
  name: 'tokens',
  sql: `
    CREATE TABLE tokens (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      token_hash TEXT NOT NULL UNIQUE,
      scopes TEXT NOT NULL CHECK (json_valid(scopes) AND json_type(scopes) = 'array'),
      created_at INTEGER NOT NULL,
      last_used_at INTEGER,
      revoked_at INTEGER,
      expires_at INTEGER
    ) STRICT;
    CREATE UNIQUE INDEX tokens_live_name ON tokens(name) WHERE revoked_at IS NULL;
  `,
};
