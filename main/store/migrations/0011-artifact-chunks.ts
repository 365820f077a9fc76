import type { Migration } from '../migration';

/**
 * Appended artifact parts, one row per append. Rewriting the whole artifact row on every append
 * made streaming output quadratic: 50 MB of agent output in 64 KB batches reread and rewrote
 * about 20 GB of JSON. `artifacts` keeps the artifact as last put whole; its appended parts
 * follow from here in `chunk` order.
 */
export const m0011: Migration = {
  version: 11,
  name: 'artifact-chunks',
  sql: `
    CREATE TABLE artifact_chunks (
      task_id TEXT NOT NULL,
      artifact_id TEXT NOT NULL,
      chunk INTEGER NOT NULL,
      parts_json TEXT NOT NULL,
      PRIMARY KEY (task_id, artifact_id, chunk),
      FOREIGN KEY (task_id, artifact_id) REFERENCES artifacts(task_id, artifact_id) ON DELETE CASCADE
    ) STRICT, WITHOUT ROWID;
  `,
};
