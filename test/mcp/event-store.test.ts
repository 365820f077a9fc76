import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it } from 'vitest';
import { createEventStore } from '../../main/mcp/event-store';

const note = (n: number): JSONRPCMessage => ({ jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: 1, progress: n } });

function progressOf(m: JSONRPCMessage): number {
  return 'params' in m ? Number((m.params as { progress: number }).progress) : -1;
}

async function replay(store: ReturnType<typeof createEventStore>, after: string) {
  const sent: [string, JSONRPCMessage][] = [];
  const stream = await store.replayEventsAfter(after, { send: async (id, m) => void sent.push([id, m]) });
  return { stream, sent };
}

describe('MCP replay buffer', () => {
  it('replays a stream after an event id, skipping priming events and other streams', async () => {
    const store = createEventStore();
    const first = await store.storeEvent('a_b.c', {} as JSONRPCMessage);
    await store.storeEvent('other', note(99));
    const second = await store.storeEvent('a_b.c', note(1));
    await store.storeEvent('a_b.c', note(2));
    expect(await store.getStreamIdForEventId!(second)).toBe('a_b.c');
    const { stream, sent } = await replay(store, first);
    expect(stream).toBe('a_b.c');
    expect(sent.map(([, m]) => progressOf(m))).toEqual([1, 2]);
    expect((await replay(store, second)).sent).toHaveLength(1);
  });

  it('keeps at most N events per stream and M streams', async () => {
    const store = createEventStore({ eventsPerStream: 3, streams: 2 });
    const ids: string[] = [];
    for (let i = 1; i <= 10; i++) ids.push(await store.storeEvent('s', note(i)));
    const { sent } = await replay(store, ids[0]!);
    expect(sent.map(([, m]) => progressOf(m))).toEqual([8, 9, 10]);

    await store.storeEvent('t', note(1));
    await store.storeEvent('u', note(1));
    expect(await store.getStreamIdForEventId!(ids[9]!)).toBeUndefined();
    expect((await replay(store, ids[9]!)).stream).toBe('');
    expect(await store.getStreamIdForEventId!('garbage')).toBeUndefined();
  });
});
