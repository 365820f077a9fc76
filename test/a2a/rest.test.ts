import { ListTasksRequest, SendMessageRequest, TaskState, type StreamResponse, type Task } from '@a2a-js/sdk';
import { TaskNotCancelableError, TaskNotFoundError } from '@a2a-js/sdk/errors';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { kindOf, sseFrames, startRestHost } from './rest-support';

function send(text: string, extra: { contextId?: string; metadata?: Record<string, unknown>; configuration?: Record<string, unknown> } = {}) {
  return SendMessageRequest.fromJSON({
    message: { messageId: randomUUID(), role: 'ROLE_USER', parts: [{ text }], contextId: extra.contextId, metadata: extra.metadata },
    configuration: extra.configuration,
  });
}

const textOf = (task: Task) => task.artifacts.flatMap((a) => a.parts.map((p) => (p.content?.$case === 'text' ? p.content.value : '')));

describe('HTTP+JSON binding with the SDK client', () => {
  it('is what the card offers: an HTTP+JSON interface at /v1', async () => {
    const { origin, rest } = await startRestHost();
    const card = (await (await fetch(`${origin}/.well-known/agent-card.json`)).json()) as { supportedInterfaces: unknown[] };
    expect(card.supportedInterfaces).toContainEqual(expect.objectContaining({ protocolBinding: 'HTTP+JSON', url: rest, protocolVersion: '1.0' }));
  });

  it('sends a message and gets the completed echo task, then reads it back', async () => {
    const { client } = await startRestHost();
    const result = (await client.sendMessage(send('hello rest'))) as Task;
    expect(result.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    expect(textOf(result)).toEqual(['hello rest']);

    const got = await client.getTask({ id: result.id, tenant: '', historyLength: undefined });
    expect(got.id).toBe(result.id);
    expect(got.history.length).toBe(2);
    const one = await client.getTask({ id: result.id, tenant: '', historyLength: 1 });
    expect(one.history.map((m) => m.role)).toEqual([result.history.at(-1)!.role]);
    const none = await client.getTask({ id: result.id, tenant: '', historyLength: 0 });
    expect(none.history).toEqual([]);
  });

  it('streams a send: Task first, then the agent events, ending at completed', async () => {
    const { client } = await startRestHost();
    const events: StreamResponse[] = [];
    for await (const e of client.sendMessageStream(send('tick', { metadata: { agent: 'ticker', ticks: 3, ms: 5 } }))) events.push(e);
    const kinds = events.map((e) => e.payload?.$case);
    expect(kinds).toEqual(['task', 'statusUpdate', 'artifactUpdate', 'artifactUpdate', 'artifactUpdate', 'statusUpdate']);
    const last = events.at(-1)!.payload!;
    expect(last.$case === 'statusUpdate' && last.value.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
  });

  it('numbers every SSE event with its seq and sends bare StreamResponse JSON', async () => {
    const { rest } = await startRestHost();
    const res = await fetch(`${rest}/message:stream`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'a2a-version': '1.0' },
      body: JSON.stringify({ message: { messageId: randomUUID(), role: 'ROLE_USER', parts: [{ text: 'x' }], metadata: { agent: 'ticker', ticks: 2, ms: 5 } } }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const frames = [];
    for await (const f of sseFrames(res)) frames.push(f);
    expect(frames.map((f) => f.id)).toEqual([1, 2, 3, 4, 5]);
    expect(frames.map((f) => kindOf(f.data))).toEqual(['task', 'statusUpdate', 'artifactUpdate', 'artifactUpdate', 'statusUpdate']);
  });

  it('lists tasks with filters and pages through them', async () => {
    const { client } = await startRestHost();
    const contextId = randomUUID();
    const ids: string[] = [];
    for (const text of ['a', 'b', 'c']) ids.push(((await client.sendMessage(send(text, { contextId }))) as Task).id);
    await client.sendMessage(send('elsewhere'));

    const first = await client.listTasks(ListTasksRequest.fromJSON({ contextId, pageSize: 2 }));
    expect(first.tasks).toHaveLength(2);
    expect(first.totalSize).toBe(3);
    expect(first.pageSize).toBe(2);
    expect(first.nextPageToken).not.toBe('');
    const second = await client.listTasks(ListTasksRequest.fromJSON({ contextId, pageSize: 2, pageToken: first.nextPageToken }));
    expect(second.tasks).toHaveLength(1);
    expect(second.nextPageToken).toBe('');
    expect([...first.tasks, ...second.tasks].map((t) => t.id).sort()).toEqual([...ids].sort());

    const all = await client.listTasks(ListTasksRequest.fromJSON({ status: 'TASK_STATE_COMPLETED' }));
    expect(all.totalSize).toBe(4);
    const none = await client.listTasks(ListTasksRequest.fromJSON({ status: 'TASK_STATE_WORKING' }));
    expect(none.tasks).toEqual([]);
    expect(none.totalSize).toBe(0);
    const withArtifacts = await client.listTasks(ListTasksRequest.fromJSON({ contextId, includeArtifacts: true, historyLength: 0 }));
    expect(withArtifacts.tasks.every((t) => t.artifacts.length === 1 && t.history.length === 0)).toBe(true);
  });

  it('always returns all four ListTasks fields, even for an empty page', async () => {
    const { rest } = await startRestHost();
    const res = await fetch(`${rest}/tasks?contextId=${randomUUID()}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(await res.json()).toEqual({ tasks: [], nextPageToken: '', pageSize: 50, totalSize: 0 });
  });

  it('cancels a running task; a second cancel is refused as not cancelable', async () => {
    const { client } = await startRestHost();
    const task = (await client.sendMessage(
      send('slow', { metadata: { agent: 'ticker', ticks: 1000, ms: 50 }, configuration: { returnImmediately: true } }),
    )) as Task;
    expect(task.status?.state).not.toBe(TaskState.TASK_STATE_COMPLETED);
    const canceled = await client.cancelTask({ id: task.id, tenant: '', metadata: undefined });
    expect(canceled.status?.state).toBe(TaskState.TASK_STATE_CANCELED);
    await expect(client.cancelTask({ id: task.id, tenant: '', metadata: undefined })).rejects.toBeInstanceOf(TaskNotCancelableError);
    await expect(client.getTask({ id: 'no-such-task', tenant: '' })).rejects.toBeInstanceOf(TaskNotFoundError);
  });

  it('subscribes to a running task: the Task first, then its events to the end', async () => {
    const { client } = await startRestHost();
    const task = (await client.sendMessage(
      send('sub', { metadata: { agent: 'ticker', ticks: 4, ms: 20 }, configuration: { returnImmediately: true } }),
    )) as Task;
    const events: StreamResponse[] = [];
    for await (const e of client.resubscribeTask({ id: task.id, tenant: '' })) events.push(e);
    expect(events[0]!.payload?.$case).toBe('task');
    const last = events.at(-1)!.payload!;
    expect(last.$case === 'statusUpdate' && last.value.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
  });

  it('refuses to subscribe to a finished task with UnsupportedOperation', async () => {
    const { client } = await startRestHost();
    const task = (await client.sendMessage(send('done'))) as Task;
    const run = async () => {
      for await (const _ of client.resubscribeTask({ id: task.id, tenant: '' })) void _;
    };
    await expect(run()).rejects.toMatchObject({ name: 'UnsupportedOperationError' });
  });
});
