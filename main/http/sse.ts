import type { ServerResponse } from 'node:http';

export interface SseOptions {
  /** Comment line sent this often so proxies and clients see a live connection. */
  heartbeatMs?: number;
  /**
   * Bytes the socket may hold unsent before this stream is dropped. A dropped client
   * reconnects with Last-Event-ID and replays from the store, so dropping loses nothing
   * and keeps a slow reader from growing our memory.
   */
  maxBufferedBytes?: number;
  headers?: Record<string, string>;
}

export interface SseStream {
  /** Writes one event; returns false once the stream is closed (by us, the client, or overflow). */
  send(data: string, id?: number | string, event?: string): boolean;
  /** Writes frames made by `sseFrame` (one text shared by many streams); false as for `send`. */
  write(frames: string): boolean;
  /**
   * Resolves once the socket has taken what was written, or the stream closed. A writer that
   * pulls its events (a replay from the store) waits here between events, so it never outruns
   * the client into an overflow drop: a client resuming far behind would otherwise be dropped
   * on every resume and never catch up.
   */
  drained(): Promise<void>;
  close(): void;
  readonly closed: boolean;
  onClose(listener: () => void): void;
}

const DEFAULT_HEARTBEAT_MS = 15_000;
const DEFAULT_MAX_BUFFERED = 4 * 1024 * 1024;

/** Starts a text/event-stream response. */
export function openSse(res: ServerResponse, options: SseOptions = {}): SseStream {
  const maxBuffered = options.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED;
  const listeners: (() => void)[] = [];
  let closed = false;

  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
    ...options.headers,
  });
  res.flushHeaders();
  res.socket?.setNoDelay(true);

  const heartbeat = setInterval(() => {
    if (!closed) res.write(': heartbeat\n\n');
  }, options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS);
  heartbeat.unref();

  const finish = () => {
    if (closed) return;
    closed = true;
    clearInterval(heartbeat);
    for (const l of listeners.splice(0)) l();
  };
  res.on('close', finish);

  function write(frames: string): boolean {
    if (closed) return false;
    res.write(frames);
    if (res.writableLength > maxBuffered) {
      res.destroy();
      finish();
      return false;
    }
    return true;
  }

  return {
    send: (data, id, event) => write(sseFrame(data, id, event)),
    write,
    drained() {
      if (closed || !res.writableNeedDrain) return Promise.resolve();
      return new Promise((resolve) => {
        const done = () => {
          res.off('drain', done);
          res.off('close', done);
          resolve();
        };
        res.on('drain', done);
        res.on('close', done);
      });
    },
    close() {
      if (closed) return;
      finish();
      res.end();
    },
    get closed() {
      return closed;
    },
    onClose(listener) {
      if (closed) listener();
      else listeners.push(listener);
    },
  };
}

/** One event as it goes on the wire, blank line included. */
export function sseFrame(data: string, id?: number | string, event?: string): string {
  let frame = '';
  if (id !== undefined) frame += `id: ${id}\n`;
  if (event) frame += `event: ${event}\n`;
  frame += data.includes('\n') ? data.split('\n').map((l) => `data: ${l}\n`).join('') : `data: ${data}\n`;
  return frame + '\n';
}

/** Parses a Last-Event-ID header into a seq; undefined when absent or not a non-negative integer. */
export function lastEventId(header: string | string[] | undefined): number | undefined {
  const raw = Array.isArray(header) ? header[0] : header;
  if (raw === undefined || !/^\d{1,15}$/.test(raw.trim())) return undefined;
  return Number(raw.trim());
}
