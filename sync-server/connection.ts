import type { WebSocket } from 'ws';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import type { Log } from './log';
import type { Counters } from './metrics';
import { decodeMessage, encodeAwareness, encodeSyncStep1, encodeSyncStep2, ProtocolError, type ClientMessage } from './protocol';
import { createRateLimiter } from './rate-limit';
import { PersistError, type Peer, type Room } from './room';
import type { Grant } from './store/tokens';

export interface ConnectionLimits {
  ratePerSecond: number;
  rateBurst: number;
  maxBufferedBytes: number;
}

export interface Connection extends Peer {
  readonly tokenId: number;
  close(code: number, reason: string): void;
  /** Pings; a connection that did not answer the previous ping is cut. */
  heartbeat(): void;
}

export interface ConnectionDeps {
  limits: ConnectionLimits;
  counters: Counters;
  log: Log;
  onClosed(connection: Connection): void;
  onPersistError(room: Room, err: PersistError): void;
}

/**
 * Serves one authenticated client on one room. A frame that breaks the rules closes this
 * connection only: 1003 for text, 1007 for undecodable, 1008 past the rate limit; oversized
 * frames are refused by ws itself (1009, `maxPayload`).
 */
export function serveConnection(ws: WebSocket, room: Room, grant: Grant, deps: ConnectionDeps): Connection {
  const { limits, counters, log } = deps;
  const limiter = createRateLimiter(limits.ratePerSecond, limits.rateBurst);
  let closing = false;
  let alive = true;

  const connection: Connection = {
    tokenId: grant.tokenId,
    awarenessIds: new Set(),
    send(frame) {
      if (closing || ws.readyState !== ws.OPEN) return;
      if (ws.bufferedAmount > limits.maxBufferedBytes) {
        connection.close(1013, 'client is not reading fast enough');
        return;
      }
      ws.send(frame);
      counters.bytesSent += frame.byteLength;
    },
    close(code, reason) {
      if (closing) return;
      closing = true;
      ws.close(code, reason);
    },
    heartbeat() {
      if (!alive) {
        ws.terminate();
        return;
      }
      alive = false;
      ws.ping();
    },
  };

  function refuse(code: number, reason: string): void {
    counters.connectionsClosedForAbuse++;
    log.info('closing a connection that broke the protocol', { doc: room.name, code, reason });
    connection.close(code, reason);
  }

  function handle(message: ClientMessage): void {
    switch (message.kind) {
      case 'sync-step1':
        connection.send(encodeSyncStep2(Y.encodeStateAsUpdate(room.doc, message.stateVector)));
        return;
      case 'update':
        // Fully decoding first keeps a malformed update out of the store and the document.
        Y.decodeUpdate(message.update);
        room.ingest(message.update, connection);
        return;
      case 'awareness':
        room.applyAwareness(message.update, connection);
        return;
      case 'query-awareness':
        sendAwarenessStates();
        return;
    }
  }

  function sendAwarenessStates(): void {
    const ids = [...room.awareness.getStates().keys()];
    if (ids.length > 0) connection.send(encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(room.awareness, ids)));
  }

  ws.on('message', (data: Buffer, isBinary: boolean) => {
    if (closing) return;
    if (!isBinary) return refuse(1003, 'only binary frames are accepted');
    if (!limiter.take()) return refuse(1008, 'message rate limit exceeded');
    counters.messagesReceived++;
    counters.bytesReceived += data.byteLength;
    let message: ClientMessage;
    try {
      message = decodeMessage(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
      handle(message);
    } catch (err) {
      if (err instanceof PersistError) return deps.onPersistError(room, err);
      const reason = err instanceof ProtocolError ? err.message : `invalid payload: ${(err as Error).message}`;
      return refuse(1007, reason.slice(0, 120));
    }
  });
  ws.on('pong', () => (alive = true));
  ws.on('error', (err: Error & { code?: string }) => {
    if (err.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') counters.connectionsClosedForAbuse++;
    log.info('connection error', { doc: room.name, error: err.message });
  });
  ws.on('close', () => {
    closing = true;
    room.leave(connection);
    deps.onClosed(connection);
  });

  room.join(connection);
  connection.send(encodeSyncStep1(Y.encodeStateVector(room.doc)));
  sendAwarenessStates();
  return connection;
}
