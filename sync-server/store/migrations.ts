/** One schema step of the relay's own database; versions are applied in ascending order, each once. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Every migration the relay ships, in order. Append; never edit one that has shipped. */
export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'workspaces and tokens',
    sql: `
      CREATE TABLE workspaces (
        id TEXT PRIMARY KEY,
        created_at INTEGER NOT NULL
      ) STRICT;
      CREATE TABLE tokens (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        workspace_id TEXT NOT NULL REFERENCES workspaces(id),
        hash TEXT NOT NULL UNIQUE,
        label TEXT,
        created_at INTEGER NOT NULL,
        revoked_at INTEGER
      ) STRICT;
    `,
  },
  {
    version: 2,
    name: 'document updates and snapshots',
    sql: `
      CREATE TABLE doc_updates (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        doc TEXT NOT NULL,
        data BLOB NOT NULL
      ) STRICT;
      CREATE INDEX doc_updates_by_doc ON doc_updates (doc, seq);
      CREATE TABLE doc_snapshots (
        doc TEXT PRIMARY KEY,
        data BLOB NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;
    `,
  },
];
