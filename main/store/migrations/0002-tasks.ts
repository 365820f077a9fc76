import type { Migration } from '../migration';

/**
 * The task core. Protocol objects are stored as their A2A v1.0 ProtoJSON text so a replayed
 * event is written to the wire exactly as it was first sent; the columns beside them hold only
 * what queries filter or sort on.
 */
export const m0002: Migration = {
  version: 2,
  name: 'tasks',
  sql: `
    CREATE TABLE sessions (
      id TEXT PRIMARY KEY,
      created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL
    ) STRICT;

    CREATE TABLE tasks (
      id TEXT PRIMARY KEY,
      context_id TEXT NOT NULL REFERENCES sessions(id),
      agent TEXT NOT NULL,
      state TEXT NOT NULL,
      status_json TEXT NOT NULL,
      metadata_json TEXT,
      last_seq INTEGER NOT NULL DEFAULT 0,
      attempts INTEGER NOT NULL DEFAULT 0,
      created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX tasks_by_context ON tasks(context_id, created_at);
    CREATE INDEX tasks_by_updated ON tasks(updated_at, id);

    CREATE TABLE messages (
      seq INTEGER PRIMARY KEY,
      message_id TEXT NOT NULL,
      context_id TEXT NOT NULL REFERENCES sessions(id),
      task_id TEXT REFERENCES tasks(id) ON DELETE CASCADE,
      role TEXT NOT NULL,
      body_json TEXT NOT NULL,
      created_at INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX messages_by_task ON messages(task_id, seq);
    CREATE INDEX messages_by_context ON messages(context_id, seq);

    CREATE TABLE artifacts (
      task_id TEXT NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
      artifact_id TEXT NOT NULL,
      position INTEGER NOT NULL,
      body_json TEXT NOT NULL,
      PRIMARY KEY (task_id, artifact_id)
    ) STRICT, WITHOUT ROWID;

    CREATE TABLE task_events (
      task_id TEXT NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
      seq INTEGER NOT NULL,
      kind TEXT NOT NULL,
      body_json TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      PRIMARY KEY (task_id, seq)
    ) STRICT, WITHOUT ROWID;
  `,
};
