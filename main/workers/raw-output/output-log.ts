import { appendFileSync, mkdirSync, readdirSync, readSync, openSync, closeSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { StringDecoder } from 'node:string_decoder';

/**
 * The raw pty bytes of each task, for the monitor's terminal. Each task has a folder of segment
 * files named by the byte offset they start at; offsets only grow, so a reader's offset stays
 * valid after the oldest segments are dropped to keep a task under its cap (the reader is told
 * about the gap instead). Appends are buffered in memory and written in batches by a timer, so
 * the pty's hot path never waits for the disk; reads see the buffered tail too.
 */
export interface OutputLog {
  /** Called with each output batch of a local pty run. */
  append(taskId: string, data: string): void;
  /** The run ended: writes what is buffered and forgets the task's in-memory state. */
  end(taskId: string): void;
  /** Bytes stored: [start, end) where start > 0 once old segments were dropped; undefined when the task has none. */
  extent(taskId: string): { start: number; end: number } | undefined;
  /**
   * Up to about `maxBytes` from `from`, cut at a character boundary. `start` is where the text
   * begins: later than `from` when that part was dropped.
   */
  read(taskId: string, from: number, maxBytes: number): { start: number; end: number; text: string } | undefined;
  /** Called after every append to `taskId`; returns the unsubscribe. */
  subscribe(taskId: string, listener: () => void): () => void;
  /** Writes every buffer; the host calls it on stop. */
  flush(): void;
}

export interface OutputLogOptions {
  dir: string;
  /** Bytes kept per task; the oldest segments go beyond this. */
  capBytes?: number;
  /** A new segment starts once the current one holds this many bytes. */
  segmentBytes?: number;
  flushMs?: number;
  onError?: (err: Error) => void;
}

interface Segment {
  start: number;
  size: number;
}

interface Writer {
  segments: Segment[];
  pending: Buffer[];
  pendingBytes: number;
}

const validId = /^[\w-]{1,128}$/;

function listSegments(folder: string): Segment[] {
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return [];
  }
  return names
    .filter((n) => /^\d{1,15}\.log$/.test(n))
    .map((n) => ({ start: Number(n.slice(0, -4)), size: statSync(join(folder, n)).size }))
    .sort((a, b) => a.start - b.start);
}

export function createOutputLog(options: OutputLogOptions): OutputLog {
  const capBytes = options.capBytes ?? 8 * 1024 * 1024;
  const segmentBytes = options.segmentBytes ?? Math.max(1, Math.floor(capBytes / 4));
  const flushMs = options.flushMs ?? 100;
  const writers = new Map<string, Writer>();
  const listeners = new Map<string, Set<() => void>>();
  let timer: NodeJS.Timeout | undefined;

  const folderOf = (taskId: string) => join(options.dir, taskId);
  const fileOf = (taskId: string, s: Segment) => join(folderOf(taskId), `${s.start}.log`);

  function write(taskId: string, w: Writer): void {
    if (w.pendingBytes === 0) return;
    const data = Buffer.concat(w.pending, w.pendingBytes);
    w.pending = [];
    w.pendingBytes = 0;
    let last = w.segments.at(-1);
    if (!last || last.size >= segmentBytes) {
      last = { start: last ? last.start + last.size : 0, size: 0 };
      w.segments.push(last);
    }
    try {
      mkdirSync(folderOf(taskId), { recursive: true });
      appendFileSync(fileOf(taskId, last), data);
      last.size += data.length;
      let total = w.segments.reduce((n, s) => n + s.size, 0);
      while (total > capBytes && w.segments.length > 1) {
        const oldest = w.segments.shift()!;
        rmSync(fileOf(taskId, oldest), { force: true });
        total -= oldest.size;
      }
    } catch (err) {
      options.onError?.(err as Error);
    }
  }

  function flushAll(): void {
    clearTimeout(timer);
    timer = undefined;
    for (const [taskId, w] of writers) write(taskId, w);
  }

  function segmentsOf(taskId: string): { segments: Segment[]; tail: Buffer[]; tailBytes: number } {
    const w = writers.get(taskId);
    if (w) return { segments: w.segments, tail: w.pending, tailBytes: w.pendingBytes };
    return { segments: listSegments(folderOf(taskId)), tail: [], tailBytes: 0 };
  }

  function readBytes(taskId: string, s: Segment, from: number, length: number): Buffer {
    const buf = Buffer.alloc(length);
    const fd = openSync(fileOf(taskId, s), 'r');
    try {
      const n = readSync(fd, buf, 0, length, from - s.start);
      return buf.subarray(0, n);
    } finally {
      closeSync(fd);
    }
  }

  return {
    append(taskId, data) {
      if (!validId.test(taskId) || data.length === 0) return;
      let w = writers.get(taskId);
      if (!w) writers.set(taskId, (w = { segments: listSegments(folderOf(taskId)), pending: [], pendingBytes: 0 }));
      const bytes = Buffer.from(data, 'utf8');
      w.pending.push(bytes);
      w.pendingBytes += bytes.length;
      if (w.pendingBytes >= segmentBytes) write(taskId, w);
      else timer ??= setTimeout(flushAll, flushMs);
      for (const l of listeners.get(taskId) ?? []) l();
    },

    end(taskId) {
      const w = writers.get(taskId);
      if (!w) return;
      write(taskId, w);
      writers.delete(taskId);
    },

    extent(taskId) {
      if (!validId.test(taskId)) return undefined;
      const { segments, tailBytes } = segmentsOf(taskId);
      const first = segments[0];
      const last = segments.at(-1);
      const start = first?.start ?? 0;
      const end = (last ? last.start + last.size : 0) + tailBytes;
      return end > start ? { start, end } : undefined;
    },

    read(taskId, from, maxBytes) {
      if (!validId.test(taskId)) return undefined;
      const { segments, tail, tailBytes } = segmentsOf(taskId);
      const fileEnd = segments.length ? segments.at(-1)!.start + segments.at(-1)!.size : 0;
      const start = Math.max(from, segments[0]?.start ?? 0);
      if (start >= fileEnd + tailBytes) return undefined;
      const parts: Buffer[] = [];
      let at = start;
      let budget = maxBytes;
      try {
        for (const s of segments) {
          if (budget <= 0 || at >= s.start + s.size) continue;
          const length = Math.min(budget, s.start + s.size - at);
          const bytes = readBytes(taskId, s, at, length);
          parts.push(bytes);
          at += bytes.length;
          budget -= bytes.length;
          if (bytes.length < length) break;
        }
      } catch (err) {
        // A segment dropped by the cap between listing and reading: the caller reads on from the new start.
        options.onError?.(err as Error);
        if (parts.length === 0) return undefined;
      }
      if (budget > 0 && at >= fileEnd) {
        const memory = Buffer.concat(tail, tailBytes).subarray(at - fileEnd, at - fileEnd + budget);
        parts.push(memory);
        at += memory.length;
      }
      // A cut through a multi-byte character is held back: the decoder keeps it for the next read.
      const decoder = new StringDecoder('utf8');
      const text = decoder.write(Buffer.concat(parts));
      const end = start + Buffer.byteLength(text, 'utf8');
      return end > start ? { start, end, text } : undefined;
    },

    subscribe(taskId, listener) {
      let set = listeners.get(taskId);
      if (!set) listeners.set(taskId, (set = new Set()));
      set.add(listener);
      return () => {
        set.delete(listener);
        if (set.size === 0 && listeners.get(taskId) === set) listeners.delete(taskId);
      };
    },

    flush: flushAll,
  };
}
