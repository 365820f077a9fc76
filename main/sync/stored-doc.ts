import * as Y from 'yjs';
import type { Logger } from '../base/log';
import type { SyncRepository } from '../store/sync-repository';
import { FROM_STORE, LOCAL, materializeDoc, type MaterializeDeps } from './materialize';

export interface StoredDoc {
  readonly name: string;
  readonly doc: Y.Doc;
  /** Id of this doc's newest local update in the log (0 when none). */
  newestLocal: number;
  /** Last local or remote change, or the load; idle documents are unloaded. */
  lastActive: number;
  /** Last change made on this device (0: none since the load). */
  lastLocal: number;
  destroy(): void;
}

/** Log entries folded into the snapshot once this many accumulate for a loaded document. */
const COMPACT_EVERY = 200;

/**
 * Loads a document from its snapshot and log, and stores every later change as it happens: a
 * local change as an unacknowledged log entry (inside the caller's SQLite transaction), a
 * change from the relay as an acknowledged one, materialized into the tables in the same
 * SQLite transaction. Loading replays what is already in the tables, so it writes nothing.
 */
export function loadStoredDoc(
  name: string,
  repo: SyncRepository,
  log: Logger,
  deps: Omit<MaterializeDeps, 'repo' | 'log'> & { onStoreError(name: string): void; onRemoteChange?(name: string): void },
): StoredDoc {
  const doc = new Y.Doc();
  const stored = repo.load(name);
  if (stored.length > 0) Y.applyUpdate(doc, Y.mergeUpdates(stored), FROM_STORE);
  let logLength = stored.length;
  const materializer = materializeDoc(name, doc, { repo, log, deviceId: deps.deviceId, onRemoteSession: deps.onRemoteSession });
  const handle: StoredDoc = {
    name,
    doc,
    newestLocal: repo.lastUnacked(name),
    lastActive: Date.now(),
    lastLocal: 0,
    destroy: () => doc.destroy(),
  };

  doc.on('update', (update: Uint8Array, origin: unknown) => {
    if (origin === FROM_STORE) return;
    const now = Date.now();
    const local = origin === LOCAL;
    try {
      repo.transaction(() => {
        const id = repo.append(name, update, local, now);
        if (local) handle.newestLocal = id;
        else materializer.drain();
      });
    } catch (err) {
      if (local) throw err;
      // Memory is now ahead of the store; the owner unloads the doc so a reload refetches it.
      log.error('could not store a synced update', { doc: name, error: (err as Error).message });
      deps.onStoreError(name);
      return;
    }
    handle.lastActive = now;
    if (local) handle.lastLocal = now;
    else deps.onRemoteChange?.(name);
    if (++logLength >= COMPACT_EVERY) {
      repo.compact(name, Y.encodeStateAsUpdate(doc), now);
      logLength = 0;
    }
  });
  return handle;
}
