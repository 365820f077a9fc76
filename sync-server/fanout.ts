import { Redis } from 'ioredis';
import { randomBytes } from 'node:crypto';
import * as Y from 'yjs';
import type { Log } from './log';
import type { Counters } from './metrics';

// Redis layout, per document: a pub/sub channel for live changes, and a list holding every
// update published for it (merged now and then), so an instance that loads the document later,
// or missed messages while disconnected, can catch up. See docs/decisions/0002-relay-scale-out.md.
const channelPrefix = 'ctr:doc:';
const logKey = (doc: string) => `ctr:log:${doc}`;
const lockKey = (doc: string) => `ctr:compacting:${doc}`;

const KIND_UPDATE = 0;
const KIND_AWARENESS = 1;
const HEADER = 9;
const CLOSE_GRACE_MS = 2_000;

// Replaces the first ARGV[1] entries by their merge. Only the head is touched; concurrent
// RPUSHes land at the tail, and the lock keeps two mergers apart.
const REPLACE_HEAD = `
redis.call('LTRIM', KEYS[1], ARGV[1], -1)
redis.call('LPUSH', KEYS[1], ARGV[2])
redis.call('EXPIRE', KEYS[1], ARGV[3])
return 1`;
const RELEASE_LOCK = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

export interface FanoutHandlers {
  onUpdate(doc: string, update: Uint8Array): void;
  onAwareness(doc: string, update: Uint8Array): void;
  /** The subscriber connection came back: anything published meanwhile is only in the logs. */
  onReconnect(): void;
}

export interface FanoutOptions {
  url: string;
  logTtlSeconds: number;
  compactEvery: number;
  counters: Counters;
  log: Log;
}

export function createFanout({ url, logTtlSeconds, compactEvery, counters, log }: FanoutOptions, handlers: FanoutHandlers) {
  const instance = randomBytes(HEADER - 1);
  const lockValue = instance.toString('hex');
  const pub = new Redis(url, { lazyConnect: true });
  const sub = new Redis(url, { lazyConnect: true });
  for (const [name, client] of [['publisher', pub], ['subscriber', sub]] as const) {
    client.on('error', (err: Error) => log.warn('redis connection error', { connection: name, error: err.message }));
  }
  let subscribedOnce = false;
  sub.on('ready', () => {
    if (subscribedOnce) handlers.onReconnect();
    subscribedOnce = true;
  });

  sub.on('messageBuffer', (channel: Buffer, message: Buffer) => {
    if (message.length < HEADER || message.subarray(1, HEADER).equals(instance)) return;
    counters.fanoutReceived++;
    const doc = channel.toString('utf8').slice(channelPrefix.length);
    const payload = new Uint8Array(message.buffer, message.byteOffset + HEADER, message.length - HEADER);
    try {
      if (message[0] === KIND_UPDATE) handlers.onUpdate(doc, payload);
      else if (message[0] === KIND_AWARENESS) handlers.onAwareness(doc, payload);
    } catch (err) {
      log.error('could not apply a message from another relay', { doc, error: (err as Error).message });
    }
  });

  const frame = (kind: number, payload: Uint8Array) => Buffer.concat([Buffer.of(kind), instance, payload]);

  async function compactLog(doc: string): Promise<void> {
    if ((await pub.set(lockKey(doc), lockValue, 'PX', 30_000, 'NX')) !== 'OK') return;
    try {
      const entries = await pub.lrangeBuffer(logKey(doc), 0, -1);
      if (entries.length < 2) return;
      await pub.eval(REPLACE_HEAD, 1, logKey(doc), entries.length, Buffer.from(Y.mergeUpdates(entries)), logTtlSeconds);
    } finally {
      await pub.eval(RELEASE_LOCK, 1, lockKey(doc), lockValue);
    }
  }

  return {
    async connect(): Promise<void> {
      await Promise.all([pub.connect(), sub.connect()]);
    },
    async subscribe(doc: string): Promise<void> {
      await sub.subscribe(channelPrefix + doc);
    },
    async unsubscribe(doc: string): Promise<void> {
      await sub.unsubscribe(channelPrefix + doc);
    },
    /** Appends to the shared log and announces, in one MULTI so a loader sees it in one or the other. */
    publishUpdate(doc: string, update: Uint8Array): void {
      pub
        .multi()
        .rpush(logKey(doc), Buffer.from(update))
        .expire(logKey(doc), logTtlSeconds)
        .publish(channelPrefix + doc, frame(KIND_UPDATE, update))
        .exec()
        .then((results) => {
          counters.fanoutPublished++;
          const length = results?.[0]?.[1];
          if (typeof length === 'number' && length >= compactEvery) return compactLog(doc);
        })
        .catch((err: Error) => log.warn('could not publish an update to redis', { doc, error: err.message }));
    },
    publishAwareness(doc: string, update: Uint8Array): void {
      pub
        .publish(channelPrefix + doc, frame(KIND_AWARENESS, update))
        .then(() => counters.fanoutPublished++)
        .catch((err: Error) => log.warn('could not publish awareness to redis', { doc, error: err.message }));
    },
    /** The document's shared log merged into one update; undefined when Redis holds none. */
    async readLog(doc: string): Promise<Uint8Array | undefined> {
      const entries = await pub.lrangeBuffer(logKey(doc), 0, -1);
      return entries.length === 0 ? undefined : Y.mergeUpdates(entries);
    },
    ready(): boolean {
      return pub.status === 'ready' && sub.status === 'ready';
    },
    /**
     * Waits (briefly) for queued publishes to be answered, then disconnects. While Redis is
     * unreachable the queue would wait forever; dropping it loses nothing, since every queued
     * update is in the local store and goes back to Redis when the document is next loaded.
     */
    async close(): Promise<void> {
      await Promise.all(
        [pub, sub].map(async (client) => {
          if (client.status !== 'ready') return client.disconnect();
          const timer = setTimeout(() => client.disconnect(), CLOSE_GRACE_MS);
          await client.quit().catch(() => client.disconnect());
          clearTimeout(timer);
        }),
      );
    },
  };
}

export type Fanout = ReturnType<typeof createFanout>;
