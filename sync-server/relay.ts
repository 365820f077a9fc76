import { createServer, STATUS_CODES } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer } from 'ws';
import { APP_VERSION } from '../shared/version';
import { authorize } from './authorize';
import type { RelayConfig } from './config';
import { serveConnection, type Connection } from './connection';
import { createFanout, type Fanout } from './fanout';
import { handleHttp } from './http-routes';
import type { Log } from './log';
import { createCounters } from './metrics';
import { createRooms } from './rooms';
import { createDocStore } from './store/docs';
import { closeRelayDb, openRelayDb } from './store/open';
import { createTokenStore } from './store/tokens';

export interface Relay {
  readonly host: string;
  readonly port: number;
  /** `ws://host:port`, to which a client appends `/<workspace>/<doc>`. */
  readonly url: string;
  /** Closes client sockets, flushes documents into snapshots, disconnects Redis, closes the store. */
  stop(): Promise<void>;
}

const HEARTBEAT_MS = 30_000;
const SHUTDOWN_GRACE_MS = 2_000;

export async function startRelay(config: RelayConfig, log: Log): Promise<Relay> {
  const startedAt = Date.now();
  const db = openRelayDb(config.dataDir);
  const tokens = createTokenStore(db);
  const counters = createCounters();
  const connections = new Set<Connection>();
  const rooms = createRooms({
    store: createDocStore(db),
    counters,
    compactEvery: config.compactEvery,
    log,
    onEvict: (room, reason) => {
      for (const peer of room.peers) (peer as Connection).close(1011, reason.slice(0, 120));
    },
  });

  let fanout: Fanout | undefined;
  if (config.redisUrl) {
    fanout = createFanout(
      { url: config.redisUrl, logTtlSeconds: config.redisLogTtlSeconds, compactEvery: config.redisCompactEvery, counters, log },
      {
        onUpdate: (doc, update) => rooms.applyFromFanout(doc, update),
        onAwareness: (doc, update) => rooms.awarenessFromFanout(doc, update),
        onReconnect: () => rooms.reconcileAll(),
      },
    );
    try {
      await fanout.connect();
    } catch (err) {
      await fanout.close();
      closeRelayDb(db);
      throw new Error(`Could not connect to Redis at ${config.redisUrl}: ${(err as Error).message}`, { cause: err });
    }
    rooms.attach(fanout);
  }

  const sources = {
    counters,
    startedAt,
    version: APP_VERSION,
    gauges: () => {
      const mem = process.memoryUsage();
      return { connections: connections.size, docsLoaded: rooms.size, heapUsedBytes: mem.heapUsed, rssBytes: mem.rss };
    },
    database: () => {
      try {
        db.prepare('SELECT 1').get();
        return 'ok' as const;
      } catch {
        return 'unavailable' as const;
      }
    },
    redis: () => (fanout ? (fanout.ready() ? 'ok' : 'unavailable') : 'disabled') as 'ok' | 'unavailable' | 'disabled',
  };

  const server = createServer((req, res) => handleHttp(req, res, sources));
  const wss = new WebSocketServer({ noServer: true, maxPayload: config.maxMessageBytes });
  let draining = false;

  server.on('upgrade', (req, socket: Socket, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const decision = draining ? { kind: 'http' as const, status: 503, message: 'Relay is shutting down.' } : authorize(req, tokens);
    if (decision.kind === 'http') {
      counters.connectionsRejected++;
      socket.end(
        `HTTP/1.1 ${decision.status} ${STATUS_CODES[decision.status]}\r\nconnection: close\r\ncontent-type: text/plain\r\ncontent-length: ${Buffer.byteLength(decision.message)}\r\n\r\n${decision.message}`,
      );
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      if (decision.kind === 'close') {
        counters.connectionsRejected++;
        ws.close(decision.code, decision.reason);
        return;
      }
      counters.connectionsAccepted++;
      const connection = serveConnection(ws, rooms.open(decision.doc.name), decision.grant, {
        limits: config,
        counters,
        log,
        onClosed: (c) => connections.delete(c),
        onPersistError: (room, err) => rooms.evict(room, err.message),
      });
      connections.add(connection);
    });
  });

  const timers = [
    setInterval(() => rooms.sweep(Date.now(), config.idleUnloadMs), Math.max(25, Math.min(config.idleUnloadMs / 2, 5_000))),
    setInterval(() => {
      for (const c of connections) c.heartbeat();
    }, HEARTBEAT_MS),
    setInterval(() => {
      const revoked = tokens.revokedAmong([...new Set([...connections].map((c) => c.tokenId))]);
      for (const c of connections) if (revoked.has(c.tokenId)) c.close(4401, 'token revoked');
    }, config.revokeCheckMs),
  ];
  for (const t of timers) t.unref();

  const address = await new Promise<AddressInfo>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  }).catch(async (err: unknown) => {
    await fanout?.close();
    closeRelayDb(db);
    throw err;
  });
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  log.info('relay listening', { host: address.address, port: address.port, redis: Boolean(fanout) });

  let stopping: Promise<void> | undefined;
  async function stop(): Promise<void> {
    draining = true;
    for (const t of timers) clearInterval(t);
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const c of connections) c.close(1001, 'relay shutting down');
    const deadline = Date.now() + SHUTDOWN_GRACE_MS;
    while (wss.clients.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    for (const ws of wss.clients) ws.terminate();
    await fanout?.close();
    rooms.unloadAll();
    closeRelayDb(db);
    server.closeAllConnections();
    await closed;
    log.info('relay stopped');
  }

  return {
    host: address.address,
    port: address.port,
    url: `ws://${urlHost}:${address.port}`,
    stop: () => (stopping ??= stop()),
  };
}
