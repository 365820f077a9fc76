import { TaskState } from '@a2a-js/sdk';
import { describe, expect, it } from 'vitest';
import { collect, openStream, rpc, startRpcHost } from './support';
import { waitFor } from '../support/wait';

/** Every place a JSON-RPC client may post: the card's, the seed's, the bare origin, and each with a trailing slash. */
const PATHS = ['/', '/a2a', '/a2a/', '/v1/a2a', '/v1/a2a/'];

const v1Message = (text: string, metadata?: Record<string, unknown>) => ({ messageId: crypto.randomUUID(), role: 'ROLE_USER', parts: [{ text }], metadata });
const v03Message = (text: string, metadata?: Record<string, unknown>) => ({ kind: 'message', messageId: crypto.randomUUID(), role: 'user', parts: [{ kind: 'text', text }], metadata });
const call = (method: string, params?: unknown) => ({ jsonrpc: '2.0', id: 7, method, ...(params === undefined ? {} : { params }) });

type Json = Record<string, unknown>;

describe('JSON-RPC endpoints', () => {
  it.each(PATHS)('POST %s answers every v1.0 method', async (path) => {
    const { origin, host } = await startRpcHost({ pushAllowlist: ['127.0.0.1'] });
    const url = origin + path;
    const sent = await rpc(url, call('SendMessage', { message: v1Message('hi') }));
    expect(sent.status).toBe(200);
    const task = (sent.body.result as { task: { id: string; status: { state: string } } }).task;
    expect(task.status.state).toBe('TASK_STATE_COMPLETED');
    expect((await rpc(url, call('GetTask', { id: task.id }))).body.result).toMatchObject({ id: task.id });
    expect((await rpc(url, call('ListTasks', { pageSize: 5 }))).body.result).toMatchObject({ pageSize: 5 });

    const streamed = await collect(await openStream(url, call('SendStreamingMessage', { message: v1Message('a b', { delayMs: 1 }) })));
    expect((JSON.parse(streamed.at(-1)!.data) as { result: Json }).result).toMatchObject({ statusUpdate: { status: { state: 'TASK_STATE_COMPLETED' } } });

    const waiting = (await rpc(url, call('SendMessage', { message: v1Message('wait', { agent: 'blocker' }), configuration: { returnImmediately: true } }))).body.result as { task: { id: string } };
    const id = waiting.task.id;
    await waitFor(() => host.tasks.get(id).status?.state === TaskState.TASK_STATE_WORKING);
    const subscribed = await openStream(url, call('SubscribeToTask', { id }));
    expect(subscribed.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const config = { taskId: id, id: 'c1', url: 'http://127.0.0.1:9/hook' };
    expect((await rpc(url, call('CreateTaskPushNotificationConfig', config))).body.result).toMatchObject(config);
    expect((await rpc(url, call('GetTaskPushNotificationConfig', { taskId: id, id: 'c1' }))).body.result).toMatchObject(config);
    expect((await rpc(url, call('ListTaskPushNotificationConfigs', { taskId: id }))).body.result).toMatchObject({ configs: [config] });
    expect((await rpc(url, call('DeleteTaskPushNotificationConfig', { taskId: id, id: 'c1' }))).body).toMatchObject({ id: 7, result: {} });
    expect((await rpc(url, call('CancelTask', { id }))).body.result).toMatchObject({ id, status: { state: 'TASK_STATE_CANCELED' } });
    const last = (await collect(subscribed)).at(-1)!;
    expect(JSON.parse(last.data)).toMatchObject({ result: { statusUpdate: { status: { state: 'TASK_STATE_CANCELED' } } } });

    const card = await rpc(url, call('GetExtendedAgentCard'));
    expect(card.status).toBe(401);
    expect(card.body.error?.code).toBe(-32600);
  });

  it.each(PATHS)('POST %s answers every v0.3 method', async (path) => {
    const { origin, host } = await startRpcHost({ pushAllowlist: ['127.0.0.1'] });
    const url = origin + path;
    const sent = await rpc(url, call('message/send', { message: v03Message('hi') }));
    const task = sent.body.result as { kind: string; id: string; status: { state: string } };
    expect(task).toMatchObject({ kind: 'task', status: { state: 'completed' } });
    expect((await rpc(url, call('tasks/get', { id: task.id }))).body.result).toMatchObject({ kind: 'task', id: task.id });

    const streamed = await collect(await openStream(url, call('message/stream', { message: v03Message('a b', { delayMs: 1 }) })));
    expect((JSON.parse(streamed.at(-1)!.data) as { result: Json }).result).toMatchObject({ kind: 'status-update', status: { state: 'completed' }, final: true });

    const waiting = (await rpc(url, call('message/send', { message: v03Message('wait', { agent: 'blocker' }), configuration: { blocking: false } }))).body.result as { id: string };
    const id = waiting.id;
    await waitFor(() => host.tasks.get(id).status?.state === TaskState.TASK_STATE_WORKING);
    const subscribed = await openStream(url, call('tasks/resubscribe', { id }));
    expect(subscribed.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const pushNotificationConfig = { id: 'c1', url: 'http://127.0.0.1:9/hook' };
    expect((await rpc(url, call('tasks/pushNotificationConfig/set', { taskId: id, pushNotificationConfig }))).body.result).toMatchObject({ taskId: id, pushNotificationConfig });
    expect((await rpc(url, call('tasks/pushNotificationConfig/get', { id, pushNotificationConfigId: 'c1' }))).body.result).toMatchObject({ taskId: id, pushNotificationConfig });
    expect((await rpc(url, call('tasks/pushNotificationConfig/list', { id }))).body.result).toEqual([expect.objectContaining({ taskId: id })]);
    expect((await rpc(url, call('tasks/pushNotificationConfig/delete', { id, pushNotificationConfigId: 'c1' }))).body).toMatchObject({ id: 7, result: null });
    expect((await rpc(url, call('tasks/cancel', { id }))).body.result).toMatchObject({ id, status: { state: 'canceled' } });
    const last = (await collect(subscribed)).at(-1)!;
    expect(JSON.parse(last.data)).toMatchObject({ result: { kind: 'status-update', status: { state: 'canceled' } } });

    const card = await rpc(url, call('agent/getAuthenticatedExtendedCard'));
    expect(card.status).toBe(401);
    expect(card.body.error?.code).toBe(-32600);
  });

  it.each(PATHS)('POST %s answers an unknown method, malformed JSON and other refusals with JSON-RPC errors', async (path) => {
    const { origin } = await startRpcHost();
    const url = origin + path;
    const expectRpcError = (answer: Awaited<ReturnType<typeof rpc>>, code: number, status = 200) => {
      expect(answer.status).toBe(status);
      expect(answer.body.jsonrpc).toBe('2.0');
      expect(Number.isInteger(answer.body.error?.code)).toBe(true);
      expect(answer.body.error?.code).toBe(code);
      expect(answer.body.error?.message).toEqual(expect.any(String));
    };
    expectRpcError(await rpc(url, call('tasks/explode')), -32601);
    expectRpcError(await rpc(url, '{"jsonrpc":"2.0","id":1,"method":'), -32700);
    expectRpcError(await rpc(url, '[]'), -32600);
    expectRpcError(await rpc(url, call('GetTask', { id: 5 })), -32602);
    const notFound = await rpc(url, call('GetTask', { id: 'nope' }));
    expectRpcError(notFound, -32001);
    // A2A errors carry the spec's ErrorInfo in `data`.
    expect((notFound.body.error as { data?: unknown }).data).toEqual([expect.objectContaining({ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'TASK_NOT_FOUND', domain: 'a2a-protocol.org' })]);
    const wrongType = await rpc(url, call('GetTask', { id: 'nope' }), { 'content-type': 'text/plain' });
    expectRpcError(wrongType, -32005);
    expect((wrongType.body.error as { data?: { reason: string }[] }).data?.[0]?.reason).toBe('CONTENT_TYPE_NOT_SUPPORTED');
    expectRpcError(await rpc(url, call('GetTask', { id: 'nope' }), { 'a2a-version': '9.9' }), -32009);
    // curl -d without -H sends no type at all (a byte body here): read as JSON.
    const untyped = await fetch(url, { method: 'POST', body: new TextEncoder().encode('{"jsonrpc":"2.0","id":1,') });
    expect(untyped.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await untyped.json()).toMatchObject({ jsonrpc: '2.0', error: { code: -32700 } });
  });

  it('answers other HTTP methods on a JSON-RPC path with a JSON-RPC error, and leaves GET / to the monitor', async () => {
    const { origin } = await startRpcHost();
    for (const path of PATHS.filter((p) => p !== '/')) {
      for (const method of ['GET', 'PUT', 'DELETE']) {
        const res = await fetch(origin + path, { method });
        expect(res.status, `${method} ${path}`).toBe(405);
        expect(res.headers.get('allow')).toBe('POST');
        expect(await res.json()).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: -32600, message: expect.stringMatching(/POST/) } });
      }
    }
    const put = await fetch(`${origin}/`, { method: 'PUT' });
    expect(await put.json()).toMatchObject({ jsonrpc: '2.0', error: { code: -32600 } });
    const monitor = await fetch(`${origin}/`);
    expect(monitor.headers.get('content-type')).toMatch(/^text\/html/);
  });
});
