import type { RelayDb } from './open';

export interface StoredDoc {
  /** The compacted state, then every update appended since, in order. */
  updates: Uint8Array[];
  /** How many of those are log entries (not the snapshot): drives the next compaction. */
  logLength: number;
}

/** The per-document update log and its compacted snapshot. */
export function createDocStore(db: RelayDb) {
  const snapshot = db.prepare('SELECT data FROM doc_snapshots WHERE doc = ?').pluck();
  const log = db.prepare('SELECT data FROM doc_updates WHERE doc = ? ORDER BY seq').pluck();
  const append = db.prepare('INSERT INTO doc_updates (doc, data) VALUES (?, ?)');
  const upsertSnapshot = db.prepare(
    'INSERT INTO doc_snapshots (doc, data, updated_at) VALUES (?, ?, ?) ON CONFLICT (doc) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at',
  );
  const clearLog = db.prepare('DELETE FROM doc_updates WHERE doc = ?');

  return {
    load(doc: string): StoredDoc {
      const base = snapshot.get(doc) as Buffer | undefined;
      const entries = log.all(doc) as Buffer[];
      return { updates: base ? [base, ...entries] : entries, logLength: entries.length };
    },
    append(doc: string, update: Uint8Array): void {
      append.run(doc, update);
    },
    /** Replaces snapshot and log with `state`, which must contain both. */
    compact(doc: string, state: Uint8Array): void {
      db.transaction(() => {
        upsertSnapshot.run(doc, state, Date.now());
        clearLog.run(doc);
      })();
    },
    transaction<T>(fn: () => T): T {
      return db.transaction(fn)();
    },
  };
}

export type DocStore = ReturnType<typeof createDocStore>;
