import type { Migration } from '../../migration';

/** API tokens, as SQLite's migration 3: only the hash is kept; a name is unique among live tokens. */
export const pg0003: Migration = {
  version: 3,
  name: 'tokens',
  sql: `
    CREATE TABLE tokens (
      id TEXT COLLATE "C" PRIMARY KEY,
      name TEXT COLLATE "C" NOT NULL,
      token_hash TEXT NOT NULL UNIQUE,
      scopes TEXT NOT NULL CHECK (jsonb_typeof(scopes::jsonb) = 'array'),
      created_at BIGINT NOT NULL,
      last_used_at BIGINT,
      revoked_at BIGINT,
      expires_at BIGINT
    );
    CREATE UNIQUE INDEX tokens_live_name ON tokens(name) WHERE revoked_at IS NULL;
  `,
};
