import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import type { Counters } from './metrics';
import { encodeAwareness, encodeUpdate } from './protocol';
import type { DocStore } from './store/docs';

/** One client connection as a room sees it. */
export interface Peer {
  send(frame: Uint8Array): void;
  /** Awareness client ids this connection announced, removed for everyone when it leaves. */
  readonly awarenessIds: Set<number>;
}

/** Where a change came from decides where it goes next. */
export type Origin = Peer | typeof FROM_STORE | typeof FROM_FANOUT;
export const FROM_STORE = Symbol('store');
export const FROM_FANOUT = Symbol('fanout');

/** What a room hands to the other relay instances; absent when there is only this one. */
export interface RoomFanout {
  publishUpdate(doc: string, update: Uint8Array): void;
  publishAwareness(doc: string, update: Uint8Array): void;
}

export interface RoomOptions {
  name: string;
  store: DocStore;
  counters: Counters;
  compactEvery: number;
  fanout?: RoomFanout;
}

export type Room = ReturnType<typeof loadRoom>;

/** The store failed under an update: memory may now be ahead of disk, so the room must go. */
export class PersistError extends Error {
  override name = 'PersistError';
}

/**
 * Loads a document from the store and wraps it with its connections and awareness. Every change
 * is appended to the store inside the transaction that applies it, and only sent on after that
 * transaction commits: nothing leaves the relay that a kill -9 could take back.
 */
export function loadRoom({ name, store, counters, compactEvery, fanout }: RoomOptions) {
  const stored = store.load(name);
  const doc = new Y.Doc();
  if (stored.updates.length > 0) Y.applyUpdate(doc, Y.mergeUpdates(stored.updates), FROM_STORE);
  let logLength = stored.logLength;
  const peers = new Set<Peer>();
  let idleSince: number | undefined = Date.now();
  let outbox: { update: Uint8Array; origin: Origin }[] = [];

  doc.on('update', (update: Uint8Array, origin: Origin) => {
    if (origin === FROM_STORE) return;
    store.append(name, update);
    outbox.push({ update, origin });
  });

  const awareness = new awarenessProtocol.Awareness(doc);
  // The relay is not a participant; without this every client would see it as a user.
  awareness.setLocalState(null);
  awareness.on('update', ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) => {
    // 'local' is the relay's own (null) state, set at load and again by destroy().
    if (origin === 'local') return;
    if (isPeer(origin)) {
      for (const id of [...added, ...updated]) origin.awarenessIds.add(id);
      for (const id of removed) origin.awarenessIds.delete(id);
    }
    const update = awarenessProtocol.encodeAwarenessUpdate(awareness, [...added, ...updated, ...removed]);
    broadcast(encodeAwareness(update));
    if (origin !== FROM_FANOUT) fanout?.publishAwareness(name, update);
  });

  function broadcast(frame: Uint8Array, except?: unknown): void {
    for (const peer of peers) if (peer !== except) peer.send(frame);
  }

  function compact(): void {
    store.compact(name, Y.encodeStateAsUpdate(doc));
    logLength = 0;
    counters.compactions++;
  }

  return {
    name,
    doc,
    awareness,
    peers,
    get idleSince() {
      return idleSince;
    },
    get logLength() {
      return logLength;
    },

    /**
     * Applies an update (validated by the caller) durably, then forwards what was new in it to
     * the other local clients and, unless it came from there, to the other relays.
     */
    ingest(update: Uint8Array, origin: Origin): void {
      try {
        store.transaction(() => Y.applyUpdate(doc, update, origin));
      } catch (err) {
        outbox = [];
        throw new PersistError(`could not persist an update to ${name}: ${(err as Error).message}`, { cause: err });
      }
      const sent = outbox;
      outbox = [];
      for (const { update: change, origin: from } of sent) {
        counters.updatesPersisted++;
        counters.bytesPersisted += change.byteLength;
        broadcast(encodeUpdate(change), from);
        if (from !== FROM_FANOUT) fanout?.publishUpdate(name, change);
      }
      logLength += sent.length;
      if (logLength >= compactEvery) compact();
    },

    applyAwareness(update: Uint8Array, origin: Origin): void {
      awarenessProtocol.applyAwarenessUpdate(awareness, update, origin);
    },

    join(peer: Peer): void {
      peers.add(peer);
      idleSince = undefined;
    },

    leave(peer: Peer): void {
      if (!peers.delete(peer)) return;
      if (peer.awarenessIds.size > 0) awarenessProtocol.removeAwarenessStates(awareness, [...peer.awarenessIds], null);
      if (peers.size === 0) idleSince = Date.now();
    },

    /** Folds the log into the snapshot (if anything was logged) and frees the document. */
    unload(): void {
      if (logLength > 0) compact();
      awareness.destroy();
      doc.destroy();
    },
  };
}

function isPeer(origin: unknown): origin is Peer {
  return typeof origin === 'object' && origin !== null && 'awarenessIds' in origin;
}
