import { ListTasksRequest, Role, TaskState, type StreamResponse, type Task } from '@a2a-js/sdk';
import { TaskNotCancelableError, TaskNotFoundError, UnsupportedOperationError } from '@a2a-js/sdk/errors';
import { describe, expect, it } from 'vitest';
import { collect, openStream, request, rpc, startRpcHost } from './support';
import { waitFor } from '../support/wait';

function textOf(task: Task): string {
  return task.artifacts.flatMap((a) => a.parts).map((p) => (p.content?.$case === 'text' ? p.content.value : '')).join('');
}

describe('JSON-RPC v1.0 with the SDK client', () => {
  it('SendMessage blocks until the task completes, and returns at once with returnImmediately', async () => {
    const { client, rpc: url } = await startRpcHost();
    const done = (await client.sendMessage(request('hello'))) as Task;
    expect(done.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    expect(textOf(done)).toBe('hello');
    expect(done.history.map((m) => m.role)).toEqual([Role.ROLE_USER, Role.ROLE_AGENT]);

    const quick = await rpc(url, {
      jsonrpc: '2.0',
      id: 1,
      method: 'SendMessage',
      params: { message: { messageId: 'q1', role: 'ROLE_USER', parts: [{ text: 'slow' }], metadata: { agent: 'blocker' } }, configuration: { returnImmediately: true } },
    });
    expect((quick.body.result?.task as { status: { state: string } }).status.state).toBe('TASK_STATE_SUBMITTED');
  });

  it('SendStreamingMessage yields the task, the artifact and the final status, with strictly increasing ids', async () => {
    const { client, rpc: url } = await startRpcHost();
    const events: StreamResponse[] = [];
    for await (const event of client.sendMessageStream(request('one two three', { metadata: { delayMs: 5 } }))) events.push(event);
    const cases = events.map((e) => e.payload?.$case);
    expect(cases[0]).toBe('task');
    expect(cases.at(-1)).toBe('statusUpdate');
    expect(cases.filter((c) => c === 'artifactUpdate')).toHaveLength(3);

    const res = await openStream(url, { jsonrpc: '2.0', id: 'r', method: 'SendStreamingMessage', params: { message: { messageId: 'm', role: 'ROLE_USER', parts: [{ text: 'a b c' }], metadata: { delayMs: 5 } } } });
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const frames = await collect(res);
    expect(frames.map((f) => f.id)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(frames.every((f) => JSON.parse(f.data).id === 'r')).toBe(true);
  });

  it('GetTask applies historyLength and answers TaskNotFound for an unknown id', async () => {
    const { client } = await startRpcHost();
    const done = (await client.sendMessage(request('history'))) as Task;
    const one = await client.getTask({ id: done.id, tenant: '', historyLength: 1 });
    expect(one.history).toHaveLength(1);
    expect(one.history[0]?.role).toBe(Role.ROLE_AGENT);
    expect((await client.getTask({ id: done.id, tenant: '', historyLength: 0 })).history).toEqual([]);
    await expect(client.getTask({ id: 'nope', tenant: '', historyLength: undefined })).rejects.toBeInstanceOf(TaskNotFoundError);
  });

  it('ListTasks filters by context and state, and pages', async () => {
    const { client } = await startRpcHost();
    const first = (await client.sendMessage(request('a'))) as Task;
    for (const text of ['b', 'c']) await client.sendMessage(request(text, { message: { contextId: first.contextId } }));
    await client.sendMessage(request('elsewhere'));

    const inContext = await client.listTasks(ListTasksRequest.fromJSON({ contextId: first.contextId }));
    expect(inContext.tasks).toHaveLength(3);
    expect(inContext.totalSize).toBe(3);

    const page1 = await client.listTasks(ListTasksRequest.fromJSON({ contextId: first.contextId, pageSize: 2 }));
    expect(page1.tasks).toHaveLength(2);
    expect(page1.nextPageToken).not.toBe('');
    const page2 = await client.listTasks(ListTasksRequest.fromJSON({ contextId: first.contextId, pageSize: 2, pageToken: page1.nextPageToken }));
    expect(page2.tasks).toHaveLength(1);
    expect(page2.nextPageToken).toBe('');
    expect(new Set([...page1.tasks, ...page2.tasks].map((t) => t.id)).size).toBe(3);

    const working = await client.listTasks(ListTasksRequest.fromJSON({ status: 'TASK_STATE_WORKING' }));
    expect(working.tasks).toEqual([]);
  });

  it('CancelTask stops a working task; canceling it again is TaskNotCancelable', async () => {
    const { client, host } = await startRpcHost();
    const submitted = (await client.sendMessage(request('wait', { metadata: { agent: 'blocker' }, configuration: { returnImmediately: true } }))) as Task;
    await waitFor(() => host.tasks.get(submitted.id).status?.state === TaskState.TASK_STATE_WORKING);
    const canceled = await client.cancelTask({ id: submitted.id, tenant: '', metadata: undefined });
    expect(canceled.status?.state).toBe(TaskState.TASK_STATE_CANCELED);
    await expect(client.cancelTask({ id: submitted.id, tenant: '', metadata: undefined })).rejects.toBeInstanceOf(TaskNotCancelableError);
  });

  it('SubscribeToTask starts with the Task, follows to the end, and refuses a terminal task', async () => {
    const { client } = await startRpcHost();
    const submitted = (await client.sendMessage(request('x y z', { metadata: { delayMs: 30 }, configuration: { returnImmediately: true } }))) as Task;
    const events: StreamResponse[] = [];
    for await (const e of client.resubscribeTask({ id: submitted.id, tenant: '' })) events.push(e);
    expect(events[0]?.payload?.$case).toBe('task');
    const last = events.at(-1)?.payload;
    expect(last?.$case === 'statusUpdate' && last.value.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    await expect(async () => {
      for await (const _ of client.resubscribeTask({ id: submitted.id, tenant: '' })) void _;
    }).rejects.toBeInstanceOf(UnsupportedOperationError);
  });
});
