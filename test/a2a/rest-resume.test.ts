import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { kindOf, sseFrames, startRestHost, type SseFrame } from './rest-support';

const tickerMessage = (ticks: number, ms: number) =>
  JSON.stringify({ message: { messageId: randomUUID(), role: 'ROLE_USER', parts: [{ text: 'tick' }], metadata: { agent: 'ticker', ticks, ms } } });

async function collect(res: Response, stopAfter = Infinity): Promise<SseFrame[]> {
  const frames: SseFrame[] = [];
  for await (const f of sseFrames(res)) {
    frames.push(f);
    if (frames.length >= stopAfter) break;
  }
  return frames;
}

const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('HTTP+JSON resume with Last-Event-ID', () => {
  it('picks up after a disconnect with no gap and no duplicate, and no second Task snapshot', async () => {
    const { rest } = await startRestHost();
    const abort = new AbortController();
    const stream = await fetch(`${rest}/message:stream`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: tickerMessage(8, 40),
      signal: abort.signal,
    });
    const before = await collect(stream, 3);
    abort.abort();
    const taskId = (JSON.parse(before[0]!.data) as { task: { id: string } }).task.id;
    expect(before.map((f) => f.id)).toEqual([1, 2, 3]);

    // Events keep coming while the client is away.
    await delay(120);
    const resumed = await fetch(`${rest}/tasks/${taskId}:subscribe`, { headers: { 'last-event-id': String(before.at(-1)!.id!) } });
    expect(resumed.status).toBe(200);
    const after = await collect(resumed);

    const ids = [...before, ...after].map((f) => Number(f.id));
    expect(ids).toEqual(Array.from({ length: 11 }, (_, i) => i + 1));
    expect(after.some((f) => kindOf(f.data) === 'task')).toBe(false);
    const last = JSON.parse(after.at(-1)!.data) as { statusUpdate?: { status: { state: string } } };
    expect(last.statusUpdate?.status.state).toBe('TASK_STATE_COMPLETED');
  });

  it('replays the tail of a finished task by POST too, and ends the stream', async () => {
    const { rest } = await startRestHost();
    const full = await collect(await fetch(`${rest}/message:stream`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: tickerMessage(3, 5) }));
    expect(full.map((f) => f.id)).toEqual([1, 2, 3, 4, 5, 6]);
    const taskId = (JSON.parse(full[0]!.data) as { task: { id: string } }).task.id;

    const tail = await fetch(`${rest}/tasks/${taskId}:subscribe`, { method: 'POST', headers: { 'last-event-id': '4' } });
    const frames = await collect(tail);
    expect(frames.map((f) => f.id)).toEqual([5, 6]);
    expect(frames.map((f) => f.data)).toEqual(full.slice(4).map((f) => f.data));
  });

  it('starts a fresh subscribe with the Task, numbered with the seq it reflects', async () => {
    const { rest } = await startRestHost();
    const abort = new AbortController();
    const stream = await fetch(`${rest}/message:stream`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: tickerMessage(5, 30), signal: abort.signal });
    const [first] = await collect(stream, 1);
    abort.abort();
    const taskId = (JSON.parse(first!.data) as { task: { id: string } }).task.id;

    const frames = await collect(await fetch(`${rest}/tasks/${taskId}:subscribe`));
    expect(kindOf(frames[0]!.data)).toBe('task');
    const ids = frames.map((f) => Number(f.id));
    expect(ids.slice(1)).toEqual(Array.from({ length: ids.length - 1 }, (_, i) => ids[0]! + 1 + i));
    expect(ids.at(-1)).toBe(8);
  });

  it('ends open streams when the host stops', async () => {
    const { rest, host } = await startRestHost();
    const stream = await fetch(`${rest}/message:stream`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: tickerMessage(1000, 50) });
    const frames = collect(stream);
    await delay(100);
    const stopping = host.stop();
    // Shutdown ends the stream at once; the agent's own grace period runs on in the background.
    const ended = await Promise.race([frames, delay(1000).then(() => 'still open' as const)]);
    expect(ended).not.toBe('still open');
    expect((ended as SseFrame[]).length).toBeGreaterThan(0);
    await stopping;
  });
});
