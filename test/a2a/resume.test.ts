import { describe, expect, it } from 'vitest';
import { collect, openStream, rpc, sseFrames, startRpcHost } from './support';
import { waitFor } from '../support/wait';

const words = 'one two three four five six seven eight';

async function startSlowTask(url: string, delayMs = 40): Promise<string> {
  const sent = await rpc(url, {
    jsonrpc: '2.0',
    id: 1,
    method: 'SendMessage',
    params: { message: { messageId: `m-${Math.random()}`, role: 'ROLE_USER', parts: [{ text: words }], metadata: { delayMs } }, configuration: { returnImmediately: true } },
  });
  return (sent.body.result!.task as { id: string }).id;
}

const subscribe = (id: string) => ({ jsonrpc: '2.0', id: 's', method: 'SubscribeToTask', params: { id } });

describe('resumable SSE', () => {
  it('a client that drops mid-stream resumes with Last-Event-ID: no event missed or repeated', async () => {
    const { rpc: url, host } = await startRpcHost();
    const controller = new AbortController();
    const res = await openStream(url, { jsonrpc: '2.0', id: 1, method: 'SendStreamingMessage', params: { message: { messageId: 'm1', role: 'ROLE_USER', parts: [{ text: words }], metadata: { delayMs: 40 } } } }, {}, controller.signal);
    const before = await collect(res, 3);
    controller.abort();
    const taskId = (JSON.parse(before[0]!.data).result.task as { id: string }).id;

    const resumed = await collect(await openStream(url, subscribe(taskId), { 'last-event-id': String(before.at(-1)!.id) }));
    const seqs = [...before, ...resumed].map((f) => f.id);
    const all = host.tasks.eventsAfter(taskId, 0).map((e) => e.seq);
    expect(seqs).toEqual(all);
    expect(new Set(seqs).size).toBe(seqs.length);
    // The resumed stream has no Task snapshot: it continues the event log.
    expect(JSON.parse(resumed[0]!.data).result.task).toBeUndefined();
    expect(JSON.parse(resumed.at(-1)!.data).result.statusUpdate.status.state).toBe('TASK_STATE_COMPLETED');
  });

  it('a resume past the last event of a finished task ends at once', async () => {
    const { rpc: url, host } = await startRpcHost();
    const taskId = await startSlowTask(url, 1);
    await host.tasks.settled(taskId);
    const last = host.tasks.eventsAfter(taskId, 0).at(-1)!.seq;
    expect(await collect(await openStream(url, subscribe(taskId), { 'last-event-id': String(last) }))).toEqual([]);
    const tail = await collect(await openStream(url, subscribe(taskId), { 'last-event-id': String(last - 1) }));
    expect(tail.map((f) => f.id)).toEqual([last]);
  });

  it('concurrent subscribers of one task see the same events in the same order', async () => {
    const { rpc: url } = await startRpcHost();
    const taskId = await startSlowTask(url, 20);
    const streams = await Promise.all([0, 1, 2].map(() => openStream(url, subscribe(taskId))));
    const results = await Promise.all(streams.map((s) => collect(s)));
    const tails = results.map((frames) => frames.slice(1).map((f) => [f.id, f.data]));
    // Each starts with its own snapshot (taken when it joined); from the joint part on they agree.
    const common = Math.max(...results.map((frames) => frames[0]!.id!));
    const fromCommon = tails.map((t) => t.filter(([id]) => (id as number) > common));
    expect(fromCommon[1]).toEqual(fromCommon[0]);
    expect(fromCommon[2]).toEqual(fromCommon[0]);
    expect(fromCommon[0]!.length).toBeGreaterThan(3);
    for (const frames of results) {
      const ids = frames.map((f) => f.id!);
      expect(ids).toEqual([...ids].sort((a, b) => a - b));
    }
  });

  it('a client that goes away ends its stream on the server (no listener left behind)', async () => {
    const { rpc: url, host } = await startRpcHost();
    const taskId = await startSlowTask(url, 200);
    const controller = new AbortController();
    const res = await openStream(url, subscribe(taskId), {}, controller.signal);
    const frames = sseFrames(res);
    await frames.next();
    expect(host.tasks.listenerCount(taskId)).toBe(1);
    controller.abort();
    await frames.return(undefined);
    await waitFor(() => host.tasks.listenerCount(taskId) === 0);
    const canceled = await rpc(url, { jsonrpc: '2.0', id: 2, method: 'CancelTask', params: { id: taskId } });
    expect(canceled.body.result?.status).toMatchObject({ state: 'TASK_STATE_CANCELED' });
  });

  it('host shutdown ends open streams', async () => {
    const { rpc: url, host } = await startRpcHost();
    const sent = await rpc(url, {
      jsonrpc: '2.0',
      id: 1,
      method: 'SendMessage',
      params: { message: { messageId: 'b', role: 'ROLE_USER', parts: [{ text: 'x' }], metadata: { agent: 'blocker' } }, configuration: { returnImmediately: true } },
    });
    const taskId = (sent.body.result!.task as { id: string }).id;
    const stream = collect(await openStream(url, subscribe(taskId)));
    await waitFor(() => host.tasks.listenerCount(taskId) === 1);
    const started = Date.now();
    await host.stop();
    const frames = await stream;
    expect(frames[0] && JSON.parse(frames[0].data).result.task.id).toBe(taskId);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(host.tasks.listenerCount(taskId)).toBe(0);
  });
});
