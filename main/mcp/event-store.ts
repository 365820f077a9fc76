import type { EventId, EventStore, StreamId } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';

export interface EventStoreLimits {
  /** Events kept per stream; older ones are dropped first. */
  eventsPerStream: number;
  /** Streams kept; the least recently written is dropped first. */
  streams: number;
}

const defaults: EventStoreLimits = { eventsPerStream: 500, streams: 64 };

interface Stream {
  events: { n: number; message: JSONRPCMessage }[];
}

/**
 * One MCP session's replay buffer, for clients that reconnect with Last-Event-ID. Memory is
 * bounded by the limits, and the store dies with its session. A client that fell further
 * behind than the buffer gets what is left; the task tools read the durable task log anyway.
 */
export function createEventStore(limits: Partial<EventStoreLimits> = {}): EventStore {
  const { eventsPerStream, streams: maxStreams } = { ...defaults, ...limits };
  const streams = new Map<StreamId, Stream>();
  let counter = 0;

  // `<n>.<streamId>`: n first, because stream ids are the SDK's and may hold any character.
  const parse = (eventId: EventId): { n: number; streamId: StreamId } | undefined => {
    const dot = eventId.indexOf('.');
    const n = Number(eventId.slice(0, dot));
    return dot > 0 && Number.isSafeInteger(n) ? { n, streamId: eventId.slice(dot + 1) } : undefined;
  };

  return {
    async storeEvent(streamId, message) {
      let stream = streams.get(streamId);
      if (stream) streams.delete(streamId);
      else stream = { events: [] };
      streams.set(streamId, stream);
      if (streams.size > maxStreams) streams.delete(streams.keys().next().value!);
      const n = ++counter;
      stream.events.push({ n, message });
      if (stream.events.length > eventsPerStream) stream.events.splice(0, stream.events.length - eventsPerStream);
      return `${n}.${streamId}`;
    },
    async getStreamIdForEventId(eventId) {
      const parsed = parse(eventId);
      return parsed && streams.has(parsed.streamId) ? parsed.streamId : undefined;
    },
    async replayEventsAfter(lastEventId, { send }) {
      const parsed = parse(lastEventId);
      const stream = parsed && streams.get(parsed.streamId);
      if (!parsed || !stream) return '';
      for (const { n, message } of [...stream.events]) {
        // Priming events (empty, written only to hand the client an id) carry nothing to replay.
        if (n > parsed.n && 'jsonrpc' in message) await send(`${n}.${parsed.streamId}`, message);
      }
      return parsed.streamId;
    },
  };
}
