import type { Migration } from '../migration';

/**
 * Sync: Yjs documents kept as a snapshot plus an update log, the watermark of what each local
 * task has put into its session document, and the device that runs a task. `tasks.origin` is
 * NULL for this device's tasks; a task synced from another device carries that device's id and
 * is read-only here. `unacked` marks local updates the relay has not yet confirmed, so the
 * number waiting survives a restart. `stale` marks a document another device changed (seen in
 * the workspace index) that this device has not fetched yet.
 */
export const m0007: Migration = {
  version: 7,
  name: 'sync',
  sql: `
    ALTER TABLE tasks ADD COLUMN origin TEXT;
    CREATE INDEX messages_by_message_id ON messages(message_id);

    CREATE TABLE sync_docs (
      name TEXT PRIMARY KEY,
      snapshot BLOB,
      stale INTEGER NOT NULL DEFAULT 0,
      updated_at INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX sync_docs_stale ON sync_docs(name) WHERE stale = 1;

    CREATE TABLE sync_updates (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      doc TEXT NOT NULL,
      data BLOB NOT NULL,
      unacked INTEGER NOT NULL,
      created_at INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX sync_updates_by_doc ON sync_updates(doc, id);
    CREATE INDEX sync_updates_unacked ON sync_updates(doc, id) WHERE unacked = 1;

    CREATE TABLE sync_tasks (
      task_id TEXT PRIMARY KEY REFERENCES tasks(id) ON DELETE CASCADE,
      event_seq INTEGER NOT NULL,
      message_seq INTEGER NOT NULL
    ) STRICT, WITHOUT ROWID;
  `,
};
