import type { Migration } from '../../migration';

/**
 * The task core on PostgreSQL: the tables of SQLite's migrations 2, 7 (tasks.origin), 11 and 12
 * in one step, same columns and meaning. Times are epoch milliseconds (BIGINT). Ids and names
 * sort by byte (COLLATE "C") as SQLite's TEXT does, so pages and cursors come out in the same
 * order on both engines. `artifacts.chunks` numbers appended parts under the artifact's row
 * lock, where SQLite's max(chunk) + 1 relies on its single writer.
 */
export const pg0001: Migration = {
  version: 1,
  name: 'tasks',
  sql: `
    CREATE TABLE sessions (
      id TEXT COLLATE "C" PRIMARY KEY,
      created_at BIGINT NOT NULL,
      updated_at BIGINT NOT NULL
    );

    CREATE TABLE tasks (
      id TEXT COLLATE "C" PRIMARY KEY,
      context_id TEXT COLLATE "C" NOT NULL REFERENCES sessions(id),
      agent TEXT NOT NULL,
      state TEXT NOT NULL,
      status_json TEXT NOT NULL,
      metadata_json TEXT,
      last_seq BIGINT NOT NULL DEFAULT 0,
      attempts INTEGER NOT NULL DEFAULT 0,
      created_at BIGINT NOT NULL,
      updated_at BIGINT NOT NULL,
      origin TEXT
    );
    CREATE INDEX tasks_by_context ON tasks(context_id, created_at);
    CREATE INDEX tasks_by_updated ON tasks(updated_at, id);

    CREATE TABLE messages (
      seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      message_id TEXT NOT NULL,
      context_id TEXT COLLATE "C" NOT NULL REFERENCES sessions(id),
      task_id TEXT COLLATE "C" REFERENCES tasks(id) ON DELETE CASCADE,
      role TEXT NOT NULL,
      body_json TEXT NOT NULL,
      created_at BIGINT NOT NULL
    );
    CREATE INDEX messages_by_task ON messages(task_id, seq);
    CREATE INDEX messages_by_context ON messages(context_id, seq);

    CREATE TABLE artifacts (
      task_id TEXT COLLATE "C" NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
      artifact_id TEXT COLLATE "C" NOT NULL,
      position INTEGER NOT NULL,
      body_json TEXT NOT NULL,
      chunks BIGINT NOT NULL DEFAULT 0,
      PRIMARY KEY (task_id, artifact_id)
    );

    CREATE TABLE artifact_chunks (
      task_id TEXT COLLATE "C" NOT NULL,
      artifact_id TEXT COLLATE "C" NOT NULL,
      chunk BIGINT NOT NULL,
      parts_json TEXT NOT NULL,
      PRIMARY KEY (task_id, artifact_id, chunk),
      FOREIGN KEY (task_id, artifact_id) REFERENCES artifacts(task_id, artifact_id) ON DELETE CASCADE
    );

    CREATE TABLE task_events (
      task_id TEXT COLLATE "C" NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
      seq BIGINT NOT NULL,
      kind TEXT NOT NULL,
      body_json TEXT NOT NULL,
      created_at BIGINT NOT NULL,
      PRIMARY KEY (task_id, seq)
    );
  `,
};
