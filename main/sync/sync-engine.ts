import type { Logger } from '../base/log';
import type { Codebase } from '../store/codebase-repository';
import type { SyncRepository } from '../store/sync-repository';
import type { TaskEvent } from '../tasks/task-event';
import { INDEX_DOC } from './doc-names';
import { TASKS } from './records';
import { createLocalChanges } from './local-changes';
import { publishRoaming } from './publish-roaming';
import { createRelayLink, type RelayLink, type RelayTarget } from './relay-link';
import { loadStoredDoc, type StoredDoc } from './stored-doc';

export interface SyncEngineOptions {
  /**
   * A session document unchanged this long (and confirmed by the relay) leaves memory. One
   * confirmed while other documents wait for a connection leaves at once instead.
   */
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
  /** Session documents not yet synced with the relay: waiting for a connection, or connected and not through a round yet. */
  docsWaiting: number;
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

/** A document changed this recently keeps its connection for the next change, backlog or not. */
const BUSY_MS = 1_000;

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
  /** Session documents another device changed -> the newest task change the index announced for each. */
  const expected = new Map<string, number>();
  let lastSyncedAt: number | undefined;
  let lastError: string | undefined;
  let pumpTimer: NodeJS.Immediate | undefined;
  let stopped = false;

  /** The loaded document; `touch`: a change is being made to it now (which keeps it loaded a while). */
  function open(name: string, touch = true): StoredDoc {
    let stored = docs.get(name);
    if (!stored) {
      stored = loadStoredDoc(name, repo, log, { deviceId, onRemoteSession: fetch, onStoreError: unload, onRemoteChange: remoteChange });
      // Loaded to be synced, not changed: nothing holds it once the relay has confirmed it.
      if (!touch) stored.lastActive = 0;
      docs.set(name, stored);
    }
    if (touch) stored.lastActive = Date.now();
    return stored;
  }

  /** An update from the relay was stored: it may be the one the index announced. */
  function remoteChange(name: string): void {
    if (expected.has(name) && caughtUp(name)) repo.clearStale(name);
    release(name);
  }

  /** The index says another device changed session `name` up to `updatedAt`: fetch it until it shows that. */
  function fetch(name: string, updatedAt: number): void {
    expected.set(name, Math.max(expected.get(name) ?? 0, updatedAt));
    if (links.has(name)) release(name);
    else want(name);
  }

  /**
   * Whether the document holds the change the index announced. The index and the session travel
   * on separate connections, so the relay may not have the session's update yet when this device
   * asks for it; the connection then stays until the relay passes the update on.
   */
  function caughtUp(name: string): boolean {
    const after = expected.get(name);
    if (after === undefined) return true;
    const stored = docs.get(name);
    if (!stored) return false;
    let newest = 0;
    for (const t of stored.doc.getMap(TASKS).values()) newest = Math.max(newest, (t as { updatedAt?: number }).updatedAt ?? 0);
    if (newest < after) return false;
    expected.delete(name);
    return true;
  }

  function unload(name: string): void {
    links.get(name)?.destroy();
    links.delete(name);
    docs.get(name)?.destroy();
    docs.delete(name);
    schedulePump();
  }

  function connect(name: string): void {
    const stored = open(name, false);
    const link = createRelayLink(target, name, stored.doc, {
      onConnected: name === INDEX_DOC ? relayBack : undefined,
      newestLocal: () => stored.newestLocal,
      onAck: (throughId) => repo.ack(name, throughId),
      onSynced: () => {
        lastSyncedAt = Date.now();
        lastError = undefined;
        if (caughtUp(name)) repo.clearStale(name);
        release(name);
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

  /** The index is connected again: documents that waited for the relay go now, not at their next backoff. */
  function relayBack(): void {
    for (const [name, link] of links) if (name !== INDEX_DOC) link.reconnect();
    schedulePump();
  }

  function pump(): void {
    pumpTimer = undefined;
    // While the relay is away, documents wait here instead of each retrying a connection.
    if (!links.get(INDEX_DOC)?.connected) return;
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

  /** Whether the relay has everything of `name` this device has, and this device everything it had. */
  function confirmed(name: string): boolean {
    const link = links.get(name);
    if (!link) return !expected.has(name);
    if (!link.synced || repo.lastUnacked(name) !== 0 || !caughtUp(name)) return false;
    repo.clearStale(name);
    return true;
  }

  /**
   * Other documents wait for a connection (a backlog after the relay was away, or sessions
   * another device made): a confirmed one not being changed right now gives its connection up
   * at once rather than after the idle time, so a backlog moves at the speed of sync rounds.
   * Checked after the round's handler, when its acknowledgement has been stored.
   */
  function release(name: string): void {
    if (wanted.size === 0) return;
    setImmediate(() => {
      const stored = docs.get(name);
      if (stopped || !stored || name === INDEX_DOC || Date.now() - stored.lastLocal < BUSY_MS || !confirmed(name)) return;
      unload(name);
    });
  }

  function sweep(): void {
    const now = Date.now();
    for (const [name, stored] of docs) {
      if (name === INDEX_DOC) continue;
      const idle = wanted.size > 0 ? now - stored.lastLocal >= BUSY_MS : now - stored.lastActive >= options.idleMs;
      if (idle && confirmed(name)) unload(name);
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
        docsWaiting: wanted.size + [...links.entries()].filter(([name, l]) => name !== INDEX_DOC && !l.synced).length,
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
