import type { Migration } from '../migration';

/**
 * Other A2A agents the user added by URL. The card is kept as fetched (v1.0 or v0.3 JSON), so
 * a peer on an older protocol version still lists; the columns beside it are what listings show.
 */
export const m0006: Migration = {
  version: 6,
  name: 'a2a-peers',
  sql: `
    CREATE TABLE a2a_peers (
      url TEXT PRIMARY KEY,
      card_url TEXT NOT NULL,
      name TEXT NOT NULL,
      description TEXT NOT NULL,
      version TEXT NOT NULL,
      card_json TEXT NOT NULL CHECK (json_valid(card_json)),
      added_at INTEGER NOT NULL,
      fetched_at INTEGER NOT NULL
    ) STRICT;
  `,
};
