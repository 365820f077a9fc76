import type { Migration } from '../migration';

/**
 * Push notifications: per-task webhook configs and the durable outbox that delivers the task's
 * events to them. An outbox row names an event by (task_id, seq) instead of copying its body:
 * task_events already holds those bytes for as long as the task exists. A row is deleted once
 * delivered and kept as 'dead' (with its last error) once delivery is given up.
 */
export const m0004: Migration = {
  version: 4,
  name: 'push',
  sql: `
    CREATE TABLE push_configs (
      task_id TEXT NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
      id TEXT NOT NULL,
      url TEXT NOT NULL,
      token TEXT NOT NULL DEFAULT '',
      auth_scheme TEXT,
      auth_credentials TEXT,
      created_at INTEGER NOT NULL,
      PRIMARY KEY (task_id, id)
    ) STRICT, WITHOUT ROWID;

    CREATE TABLE push_outbox (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      task_id TEXT NOT NULL,
      config_id TEXT NOT NULL,
      seq INTEGER NOT NULL,
      state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'dead')),
      attempts INTEGER NOT NULL DEFAULT 0,
      next_attempt_at INTEGER NOT NULL,
      last_error TEXT,
      created_at INTEGER NOT NULL,
      FOREIGN KEY (task_id, config_id) REFERENCES push_configs(task_id, id) ON DELETE CASCADE,
      UNIQUE (task_id, config_id, seq)
    ) STRICT;
    CREATE INDEX push_outbox_due ON push_outbox(next_attempt_at) WHERE state = 'pending';
  `,
};
