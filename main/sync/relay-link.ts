import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import WebSocket from 'ws';
import { messageSync, WebsocketProvider } from 'y-websocket';
import * as syncProtocol from 'y-protocols/sync';
import type * as Y from 'yjs';

export interface RelayTarget {
  /** `ws://host:port` of the relay. */
  url: string;
  workspace: string;
  token: string;
}

export interface RelayLinkEvents {
  /** Id of the newest local update of this doc handed to the connection so far (0: none). */
  newestLocal(): number;
  /** The relay confirmed it stored this doc's local updates with ids up to `throughId`. */
  onAck(throughId: number): void;
  /** A sync round with the relay completed: everything it had is in the doc. */
  onSynced(): void;
  /** The relay refused the connection for good (4401 bad token, 4403 other workspace). */
  onRefused(code: number, reason: string): void;
  /** The connection to the relay is up (again). */
  onConnected?(): void;
}

export interface RelayLink {
  readonly connected: boolean;
  /** True once a sync round completed on the current connection. */
  readonly synced: boolean;
  /** Asks the relay to confirm every local update sent so far (see below). */
  probe(): void;
  /** Tries to connect now instead of at the end of its backoff (the relay is back). */
  reconnect(): void;
  destroy(): void;
}

/** A relay that comes back is found within this; it is one socket per pairing while it is away. */
const MAX_BACKOFF_MS = 2_000;

/**
 * One y-websocket provider for one document, plus acknowledgements. The relay handles a
 * connection's frames in order and stores an update before it reads the next frame, and it
 * answers every sync step 1 with a step 2. So after our updates we send a step 1 of our own
 * (a probe), remembering the id of the newest local update sent; the step 2 that answers it proves
 * the relay stored everything before it. Probes and answers pair up first in, first out; the
 * provider's own step 1 on connect is paired with an empty mark.
 */
export function createRelayLink(target: RelayTarget, name: string, doc: Y.Doc, events: RelayLinkEvents): RelayLink {
  const provider = new WebsocketProvider(target.url, `${target.workspace}/${name}`, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    params: { token: target.token },
    // Two providers of one doc in one process would talk past the relay.
    disableBc: true,
    maxBackoffTime: MAX_BACKOFF_MS,
  });
  // Hosts share no presence: without a local awareness state no document costs an awareness
  // frame each way per connection (it is sent on open while the state is set).
  provider.awareness.setLocalState(null);
  // Every provider adds a process 'exit' listener (to clear its awareness); a host holds up to
  // `maxLinks` providers at once, which is expected, not a leak.
  const raiseListenerLimit = process.getMaxListeners() !== 0;
  if (raiseListenerLimit) process.setMaxListeners(process.getMaxListeners() + 1);
  let marks: (number | null)[] = [];
  let roundDone = false;

  provider.on('status', ({ status }) => {
    if (status === 'connected') {
      marks = [null];
      events.onConnected?.();
    } else {
      marks = [];
      roundDone = false;
    }
  });
  provider.on('closed', ({ code, reason }) => events.onRefused(code, reason));

  const handleSync = provider.messageHandlers[messageSync]!;
  provider.messageHandlers[messageSync] = (encoder, decoder, p, emitSynced, type) => {
    const step = decoding.peekVarUint(decoder);
    handleSync(encoder, decoder, p, emitSynced, type);
    if (step === syncProtocol.messageYjsSyncStep1) {
      // Our step 2 answer is sent when this handler returns; the probe must follow it.
      queueMicrotask(() => link.probe());
    } else if (step === syncProtocol.messageYjsSyncStep2) {
      const mark = marks.shift();
      if (mark !== undefined && mark !== null) events.onAck(mark);
      roundDone = true;
      events.onSynced();
    }
  };

  const link: RelayLink = {
    get connected() {
      return provider.wsconnected;
    },
    get synced() {
      return roundDone && marks.length === 0;
    },
    probe() {
      const ws = provider.ws;
      if (!provider.wsconnected || !ws || ws.readyState !== ws.OPEN) return;
      marks.push(events.newestLocal());
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, messageSync);
      syncProtocol.writeSyncStep1(encoder, doc);
      ws.send(encoding.toUint8Array(encoder));
    },
    reconnect() {
      if (!provider.wsconnected && provider.ws === null) provider.connect();
    },
    destroy() {
      provider.destroy();
      if (raiseListenerLimit) process.setMaxListeners(Math.max(10, process.getMaxListeners() - 1));
    },
  };
  return link;
}
