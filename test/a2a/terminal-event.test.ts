import { describe, expect, it } from 'vitest';
import { sseFrames, startRestHost, type SseFrame } from './rest-support';

type Json = Record<string, unknown>;
const TERMINAL = ['TASK_STATE_COMPLETED', 'TASK_STATE_FAILED', 'TASK_STATE_CANCELED', 'TASK_STATE_REJECTED'];

const message = (ticks: number, ms: number) => ({ messageId: crypto.randomUUID(), role: 'ROLE_USER', parts: [{ text: 'go' }], metadata: { agent: 'ticker', ticks, ms } });

async function frames(res: Response): Promise<SseFrame[]> {
  const out: SseFrame[] = [];
  for await (const f of sseFrames(res)) out.push(f);
  return out;
}

/** The StreamResponse in a frame of either binding (JSON-RPC wraps it in `result`). */
const payload = (f: SseFrame): Json => {
  const body = JSON.parse(f.data) as Json;
  return ('jsonrpc' in body ? body.result : body) as Json;
};
const stateOf = (p: Json) => ((p.statusUpdate ?? p.task) as { status?: { state?: string } } | undefined)?.status?.state;

/** Streams of both bindings: JSON-RPC at /a2a and HTTP+JSON under /v1. */
function bindings(origin: string) {
  const post = (url: string, body: unknown) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return {
    jsonrpc: {
      stream: (ticks: number, ms: number) => post(`${origin}/a2a`, { jsonrpc: '2.0', id: 1, method: 'SendStreamingMessage', params: { message: message(ticks, ms) } }),
      subscribe: (id: string) => post(`${origin}/a2a`, { jsonrpc: '2.0', id: 2, method: 'SubscribeToTask', params: { id } }),
    },
    rest: {
      stream: (ticks: number, ms: number) => post(`${origin}/v1/message:stream`, { message: message(ticks, ms) }),
      subscribe: (id: string) => post(`${origin}/v1/tasks/${id}:subscribe`, {}),
    },
  };
}

describe.each(['jsonrpc', 'rest'] as const)('the last event of a %s stream', (binding) => {
  it('SubscribeToTask mid-run ends with the terminal state', async () => {
    const { origin } = await startRestHost();
    const b = bindings(origin)[binding];
    const started = await b.stream(6, 25);
    const seen = sseFrames(started);
    const first = payload((await seen.next()).value as SseFrame);
    const id = (first.task as { id: string }).id;
    await seen.next();
    const subscribed = await frames(await b.subscribe(id));
    expect(Object.keys(payload(subscribed[0]!))).toEqual(['task']);
    expect(stateOf(payload(subscribed.at(-1)!))).toBe('TASK_STATE_COMPLETED');
    const rest: SseFrame[] = [];
    for await (const f of seen) rest.push(f);
    expect(stateOf(payload(rest.at(-1)!))).toBe('TASK_STATE_COMPLETED');
  });

  it('SendStreamingMessage ends with the terminal state', async () => {
    const { origin } = await startRestHost();
    const all = await frames(await bindings(origin)[binding].stream(3, 5));
    expect(Object.keys(payload(all[0]!))).toEqual(['task']);
    expect(stateOf(payload(all.at(-1)!))).toBe('TASK_STATE_COMPLETED');
  });

  it('a subscribe racing the end either is refused or ends with the terminal state, never without it', async () => {
    const { origin } = await startRestHost();
    const b = bindings(origin)[binding];
    let streamed = 0;
    for (let i = 0; i < 25; i++) {
      const started = sseFrames(await b.stream(2, i % 4));
      const id = (payload((await started.next()).value as SseFrame).task as { id: string }).id;
      const res = await b.subscribe(id);
      for await (const _ of started);
      if (!res.headers.get('content-type')?.startsWith('text/event-stream')) {
        expect(JSON.stringify(await res.json())).toMatch(/UNSUPPORTED_OPERATION|-32004/);
        continue;
      }
      streamed++;
      const got = await frames(res);
      expect(TERMINAL, `attempt ${i}: ${got.map((f) => f.data).join(' | ')}`).toContain(stateOf(payload(got.at(-1)!)));
    }
    expect(streamed).toBeGreaterThan(0);
  });
});
