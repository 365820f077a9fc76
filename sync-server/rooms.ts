import * as Y from 'yjs';
import type { Fanout } from './fanout';
import type { Log } from './log';
import type { Counters } from './metrics';
import { FROM_FANOUT, loadRoom, PersistError, type Room } from './room';
import type { DocStore } from './store/docs';

export interface RoomsOptions {
  store: DocStore;
  counters: Counters;
  compactEvery: number;
  log: Log;
  /** Called when a room must be dropped with its clients (its store failed under it). */
  onEvict(room: Room, reason: string): void;
}

/** The documents held in memory, loaded on first connection and unloaded when idle. */
export function createRooms({ store, counters, compactEvery, log, onEvict }: RoomsOptions) {
  const rooms = new Map<string, Room>();
  let fanout: Fanout | undefined;

  /**
   * Brings a room level with the shared Redis log: takes in what other instances published
   * (maybe while this one was away), then publishes what only this instance's store holds.
   */
  async function reconcile(room: Room): Promise<void> {
    if (!fanout) return;
    const shared = await fanout.readLog(room.name);
    if (rooms.get(room.name) !== room) return;
    if (shared) ingestFromFanout(room, shared);
    const missing = localOnly(room.doc, shared);
    if (missing) fanout.publishUpdate(room.name, missing);
  }

  function ingestFromFanout(room: Room, update: Uint8Array): void {
    try {
      room.ingest(update, FROM_FANOUT);
    } catch (err) {
      if (!(err instanceof PersistError)) throw err;
      evict(room, err.message);
    }
  }

  function evict(room: Room, reason: string): void {
    log.error('evicting document', { doc: room.name, reason });
    onEvict(room, reason);
    unload(room);
  }

  function unload(room: Room): void {
    if (rooms.get(room.name) !== room) return;
    rooms.delete(room.name);
    try {
      room.unload();
    } catch (err) {
      log.error('could not compact a document on unload', { doc: room.name, error: (err as Error).message });
    }
    counters.docsUnloaded++;
    fanout?.unsubscribe(room.name).catch((err: Error) => log.warn('redis unsubscribe failed', { doc: room.name, error: err.message }));
  }

  return {
    /** Connects the rooms to other instances; their messages reach only loaded rooms. */
    attach(f: Fanout): void {
      fanout = f;
    },
    open(name: string): Room {
      const existing = rooms.get(name);
      if (existing) return existing;
      const room = loadRoom({ name, store, counters, compactEvery, fanout });
      rooms.set(name, room);
      if (fanout) {
        fanout
          .subscribe(name)
          .then(() => reconcile(room))
          .catch((err: Error) => log.warn('could not catch up with redis', { doc: name, error: err.message }));
      }
      return room;
    },
    get: (name: string) => rooms.get(name),
    get size() {
      return rooms.size;
    },
    values: () => rooms.values(),
    applyFromFanout(name: string, update: Uint8Array): void {
      const room = rooms.get(name);
      if (room) ingestFromFanout(room, update);
    },
    awarenessFromFanout(name: string, update: Uint8Array): void {
      rooms.get(name)?.applyAwareness(update, FROM_FANOUT);
    },
    reconcileAll(): void {
      for (const room of rooms.values()) {
        reconcile(room).catch((err: Error) => log.warn('could not catch up with redis', { doc: room.name, error: err.message }));
      }
    },
    evict,
    /** Unloads rooms that have had no connection for `idleMs`. */
    sweep(now: number, idleMs: number): void {
      for (const room of [...rooms.values()]) {
        if (room.idleSince !== undefined && now - room.idleSince >= idleMs) unload(room);
      }
    },
    unloadAll(): void {
      for (const room of [...rooms.values()]) unload(room);
    },
  };
}

export type Rooms = ReturnType<typeof createRooms>;

/** The part of `doc` that `shared` lacks, or undefined when it lacks nothing. */
function localOnly(doc: Y.Doc, shared: Uint8Array | undefined): Uint8Array | undefined {
  const probe = new Y.Doc();
  if (shared) Y.applyUpdate(probe, shared);
  let missing: Uint8Array | undefined;
  probe.on('update', (update: Uint8Array) => {
    missing = missing ? Y.mergeUpdates([missing, update]) : update;
  });
  Y.applyUpdate(probe, Y.encodeStateAsUpdate(doc, shared ? Y.encodeStateVectorFromUpdate(shared) : undefined));
  probe.destroy();
  return missing;
}
