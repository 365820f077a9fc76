import type { Migration } from '../migration';

/**
 * Remote workers as they registered (names of codebases and agents, never paths), and an
 * append-only audit log of what the host did on its own: the reaper's requeues and failures.
 * Leases are not stored: they live as long as the host process, and a restarted host requeues
 * every unfinished task anyway.
 */
export const m0008: Migration = {
  version: 8,
  name: 'workers',
  sql: `
    CREATE TABLE workers (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      codebases TEXT NOT NULL CHECK (json_valid(codebases) AND json_type(codebases) = 'array'),
      agents TEXT NOT NULL CHECK (json_valid(agents) AND json_type(agents) = 'array'),
      concurrency INTEGER NOT NULL,
      registered_at INTEGER NOT NULL,
      last_seen_at INTEGER NOT NULL
    ) STRICT;

    CREATE TABLE audit_log (
      seq INTEGER PRIMARY KEY,
      at INTEGER NOT NULL,
      actor TEXT NOT NULL,
      action TEXT NOT NULL,
      subject TEXT NOT NULL,
      detail TEXT NOT NULL CHECK (json_valid(detail))
    ) STRICT;
    CREATE INDEX audit_by_subject ON audit_log(subject, seq);
  `,
};
