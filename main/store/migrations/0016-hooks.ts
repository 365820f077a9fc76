import type { Migration } from '../migration';

/**
 * REST hooks (main/push): subscriptions to task and Ralph events, and their outbox. Unlike a
 * push_outbox row, which names a task event whose bytes task_events keeps, a hook row carries
 * its body: it is a summary built when the event happened. A delivered row is kept as 'sent'
 * for a while (`event_id` is unique per subscription), so the catch-up scan at start, which
 * queues what a crash cut off, never queues an event twice. Deleting a subscription (or a 410
 * from its target) drops its undelivered rows.
 */
export const m0016: Migration = {
  version: 16,
  name: 'hooks',
  sql: `
    CREATE TABLE hook_subscriptions (
      id TEXT PRIMARY KEY,
      event TEXT NOT NULL,
      target_url TEXT NOT NULL,
      filter_json TEXT CHECK (filter_json IS NULL OR json_valid(filter_json)),
      created_by TEXT NOT NULL,
      created_at INTEGER NOT NULL
    ) STRICT;

    CREATE TABLE hook_outbox (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      hook_id TEXT NOT NULL REFERENCES hook_subscriptions(id) ON DELETE CASCADE,
      event_id TEXT NOT NULL,
      body_json TEXT NOT NULL,
      state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'dead')),
      attempts INTEGER NOT NULL DEFAULT 0,
      next_attempt_at INTEGER NOT NULL,
      last_error TEXT,
      created_at INTEGER NOT NULL,
      UNIQUE (hook_id, event_id)
    ) STRICT;
    CREATE INDEX hook_outbox_due ON hook_outbox(next_attempt_at) WHERE state = 'pending';
    CREATE INDEX hook_outbox_pending ON hook_outbox(hook_id, id) WHERE state = 'pending';
  `,
};
