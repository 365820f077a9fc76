import type { Migration } from '../migration';

/**
 * Email (main/notify). `email_outbox`: one row per mail to send, kept once sent so a restart's
 * catch-up scan and a second enqueue of the same event find it (`key` is unique); its
 * Message-ID is fixed when it is queued, so a mail re-sent after a crash mid-send is the same
 * mail to every client. `email_inbound`: one row per reply received, by Message-ID, so a reply
 * delivered twice (IMAP and webhook, a restart, a provider's retry) acts once.
 * `email_imap_cursor`: the last UID the watcher read per mailbox and UIDVALIDITY.
 */
export const m0014: Migration = {
  version: 14,
  name: 'email',
  sql: `
    CREATE TABLE email_outbox (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      key TEXT NOT NULL UNIQUE,
      kind TEXT NOT NULL CHECK (kind IN ('task', 'notice')),
      task_id TEXT,
      seq INTEGER,
      context_id TEXT,
      recipients TEXT CHECK (recipients IS NULL OR json_valid(recipients)),
      subject TEXT,
      body TEXT,
      in_reply_to TEXT,
      message_id TEXT NOT NULL,
      state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'skipped', 'dead')),
      attempts INTEGER NOT NULL DEFAULT 0,
      next_attempt_at INTEGER NOT NULL,
      lease_until INTEGER,
      last_error TEXT,
      created_at INTEGER NOT NULL,
      sent_at INTEGER,
      CHECK (kind = 'notice' OR (task_id IS NOT NULL AND seq IS NOT NULL AND context_id IS NOT NULL))
    ) STRICT;
    CREATE INDEX email_outbox_due ON email_outbox(next_attempt_at) WHERE state = 'pending';
    CREATE INDEX email_outbox_by_context ON email_outbox(context_id, id) WHERE state = 'sent';

    CREATE TABLE email_inbound (
      message_id TEXT PRIMARY KEY,
      received_at INTEGER NOT NULL,
      via TEXT NOT NULL,
      sender TEXT,
      state TEXT NOT NULL CHECK (state IN ('processing', 'accepted', 'refused')),
      reason TEXT,
      task_id TEXT
    ) STRICT, WITHOUT ROWID;

    CREATE TABLE email_imap_cursor (
      account TEXT NOT NULL,
      mailbox TEXT NOT NULL,
      uid_validity TEXT NOT NULL,
      last_uid INTEGER NOT NULL,
      PRIMARY KEY (account, mailbox)
    ) STRICT, WITHOUT ROWID;
  `,
};
