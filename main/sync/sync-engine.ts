import type { Logger } from '../base/log';
import type { Codebase } from '../store/codebase-repository';
import type { SyncRepository } from '../store/sync-repository';
import type { TaskEvent } from '../tasks/task-event';
import { INDEX_DOC } from './doc-names';
import { createLocalChanges } from './local-changes';
import { publishRoaming } from './publish-roaming';
import { createRelayLink, type RelayLink, type RelayTarget } from './relay-link';
import { loadStoredDoc, type StoredDoc } from './stored-doc';

export interface SyncEngineOptions {
  /** A session document unused this long (and confirmed by the relay) leaves memory. */
  idleMs: number;
  /** Session documents connected to the relay at once; more wait their turn. */
  maxLinks: number;
}

export interface SyncEngineStatus {
  connected: boolean;
  lastSyncedAt: number | undefined;
  /** Local updates the relay has not confirmed yet, over all documents. */
  pending: number;
  lastError: string | undefined;
  docsLoaded: number;
  docsConnected: number;
}

export interface SyncEngineDeps {
  repo: SyncRepository;
  target: RelayTarget;
  deviceId: string;
  /** What other devices call this one. */
  deviceName: string;
  /** This device's registered codebases, read afresh on every call. */
  codebases(): Codebase[];
  log: Logger;
  subscribeAll(listener: (event: TaskEvent) => void): () => void;
  options: SyncEngineOptions;
}

/**
 * Sync for one pairing. The index document is always loaded and connected; a session document
 * is loaded when a local task writes to it or the index says another device changed it, stays
 * connected until the relay has confirmed its updates and it has been idle, then leaves memory.
 * Nothing is loaded per session at start, so start-up cost does not grow with the session count.
 */
export function startSyncEngine(deps: SyncEngineDeps) {
  const { repo, target, deviceId, log, options } = deps;
  const docs = new Map<string, StoredDoc>();
  const links = new Map<string, RelayLink>();
  const wanted = new Set<string>();
  let lastSyncedAt: number | undefined;
  let lastError: string | undefined;
  let pumpTimer: NodeJS.Immediate | undefined;
  let stopped = false;

  function open(name: string): StoredDoc {
    let stored = docs.get(name);
    if (!stored) {
      stored = loadStoredDoc(name, repo, log, { deviceId, onRemoteSession: want, onStoreError: unload });
      docs.set(name, stored);
    }
    stored.lastActive = Date.now();
    return stored;
  }

  function unload(name: string): void {
    links.get(name)?.destroy();
    links.delete(name);
    docs.get(name)?.destroy();
    docs.delete(name);
    schedulePump();
  }

  function connect(name: string): void {
    const stored = open(name);
    const link = createRelayLink(target, name, stored.doc, {
      newestLocal: () => stored.newestLocal,
      onAck: (throughId) => repo.ack(name, throughId),
      onSynced: () => {
        lastSyncedAt = Date.now();
        lastError = undefined;
        stored.lastActive = lastSyncedAt;
        repo.clearStale(name);
      },
      onRefused: (code, reason) => {
        lastError = `the relay refused ${target.workspace}/${name} (${code}${reason ? `: ${reason}` : ''})`;
        log.warn('relay refused a document', { doc: name, code, reason });
      },
    });
    links.set(name, link);
  }

  function want(name: string): void {
    if (stopped || links.has(name)) return;
    wanted.add(name);
    schedulePump();
  }

  function schedulePump(): void {
    if (!stopped) pumpTimer ??= setImmediate(pump);
  }

  function pump(): void {
    pumpTimer = undefined;
    for (const name of wanted) {
      if (links.size - 1 >= options.maxLinks) return;
      wanted.delete(name);
      if (!links.has(name)) connect(name);
    }
  }

  const local = createLocalChanges({
    repo,
    deviceId,
    log,
    open,
    written(names) {
      for (const name of names) {
        const link = links.get(name);
        if (link) link.probe();
        else want(name);
      }
    },
    failed: (names) => names.forEach(unload),
  });

  function sweep(): void {
    const now = Date.now();
    for (const [name, stored] of docs) {
      if (name === INDEX_DOC || now - stored.lastActive < options.idleMs) continue;
      const link = links.get(name);
      if (link && !(link.synced && repo.lastUnacked(name) === 0)) continue;
      unload(name);
    }
  }

  /** Publishes this device's name and codebases into the index when they differ from it. */
  function roam(): void {
    if (stopped) return;
    try {
      if (publishRoaming(open(INDEX_DOC), deviceId, deps.deviceName, deps.codebases(), Date.now())) links.get(INDEX_DOC)?.probe();
    } catch (err) {
      log.error('could not publish this device\'s codebases', { error: (err as Error).message });
      // The index in memory may now be ahead of the store: reload it from there.
      unload(INDEX_DOC);
      connect(INDEX_DOC);
    }
  }

  connect(INDEX_DOC);
  roam();
  for (const name of [...repo.pendingDocs(), ...repo.staleDocs()]) want(name);
  const unsubscribe = deps.subscribeAll(local.onEvent);
  local.catchUp();
  const sweeper = setInterval(sweep, Math.max(50, Math.min(options.idleMs, 1_000)));
  sweeper.unref();

  return {
    roam,
    status(): SyncEngineStatus {
      return {
        connected: links.get(INDEX_DOC)?.connected ?? false,
        lastSyncedAt,
        pending: repo.pendingCount(),
        lastError,
        docsLoaded: docs.size,
        docsConnected: [...links.values()].filter((l) => l.connected).length,
      };
    },
    stop(): void {
      stopped = true;
      unsubscribe();
      local.stop();
      clearInterval(sweeper);
      if (pumpTimer) clearImmediate(pumpTimer);
      for (const name of [...docs.keys()]) unload(name);
    },
  };
}

export type SyncEngine = ReturnType<typeof startSyncEngine>;
