import { Role, TaskState, type Message, type StreamResponse, type Task } from '@a2a-js/sdk';
import { ClientFactory, ClientFactoryOptions, type Client } from '@a2a-js/sdk/client';
import { TaskNotFoundError } from '@a2a-js/sdk/errors';
import { describe, expect, it } from 'vitest';
import { collect, openStream, request, rpc, startRpcHost } from './support';

type Clients = Awaited<ReturnType<typeof hostWithClients>>;

/** A host with the SDK's clients of both bindings and its v0.3 compat client. */
async function hostWithClients() {
  const started = await startRpcHost();
  const rest = await new ClientFactory(ClientFactoryOptions.createFrom(ClientFactoryOptions.default, { preferredTransports: ['HTTP+JSON'] })).createFromUrl(started.origin);
  return { ...started, clients: { 'JSON-RPC': started.client, 'HTTP+JSON': rest, 'v0.3 JSON-RPC': started.legacy } as Record<string, Client> };
}

async function streamOf(client: Client, text: string, answer: string): Promise<StreamResponse[]> {
  const events: StreamResponse[] = [];
  for await (const e of client.sendMessageStream(request(text, { metadata: { answer } }))) events.push(e);
  return events;
}

const stateAt = (e: StreamResponse | undefined) => {
  const p = e?.payload;
  return p?.$case === 'statusUpdate' ? p.value.status?.state : p?.$case === 'task' ? p.value.status?.state : undefined;
};

const BINDINGS = ['JSON-RPC', 'HTTP+JSON', 'v0.3 JSON-RPC'];

describe.each(BINDINGS)('an agent that answers over %s', (binding) => {
  const clientOf = (h: Clients) => h.clients[binding]!;

  it('with a Message: the answer is that Message and no task is left', async () => {
    const h = await hostWithClients();
    const client = clientOf(h);
    const answer = (await client.sendMessage(request('quick one', { metadata: { answer: 'message' } }))) as Message;
    expect(answer.messageId).toEqual(expect.any(String));
    expect(answer.role).toBe(Role.ROLE_AGENT);
    expect(answer.parts.map((p) => p.content?.$case === 'text' && p.content.value)).toEqual(['quick one']);
    expect(answer.contextId).not.toBe('');
    expect(h.host.tasks.list({ contextId: answer.contextId }).tasks).toEqual([]);

    const events = await streamOf(client, 'streamed quick one', 'message');
    expect(events).toHaveLength(1);
    const only = events[0]!.payload;
    expect(only?.$case).toBe('message');
    expect(only?.$case === 'message' && only.value.parts[0]?.content).toEqual({ $case: 'text', value: 'streamed quick one' });
    expect(h.host.tasks.list({ contextId: only?.$case === 'message' ? only.value.contextId : '' }).tasks).toEqual([]);
  });

  it('by rejecting the task', async () => {
    const h = await hostWithClients();
    const client = clientOf(h);
    const task = (await client.sendMessage(request('please refuse', { metadata: { answer: 'rejected' } }))) as Task;
    expect(task.status?.state).toBe(TaskState.TASK_STATE_REJECTED);
    expect(task.status?.message?.parts[0]?.content).toEqual({ $case: 'text', value: expect.stringMatching(/^Rejected/) });
    expect((await client.getTask({ id: task.id, tenant: '', historyLength: undefined })).status?.state).toBe(TaskState.TASK_STATE_REJECTED);

    const events = await streamOf(client, 'refuse streamed', 'rejected');
    expect(events[0]?.payload?.$case).toBe('task');
    expect(stateAt(events.at(-1))).toBe(TaskState.TASK_STATE_REJECTED);
  });

  it('by asking for authorization, and going on after the next message', async () => {
    const h = await hostWithClients();
    const client = clientOf(h);
    const task = (await client.sendMessage(request('behind a login', { metadata: { answer: 'auth-required' } }))) as Task;
    expect(task.status?.state).toBe(TaskState.TASK_STATE_AUTH_REQUIRED);
    expect(task.status?.message?.parts[0]?.content).toEqual({ $case: 'text', value: expect.stringMatching(/^Authorization required/) });
    const resumed = (await client.sendMessage(request('authorized now', { message: { taskId: task.id, contextId: task.contextId } }))) as Task;
    expect(resumed.id).toBe(task.id);
    expect(resumed.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);

    const events = await streamOf(client, 'login streamed', 'auth-required');
    expect(stateAt(events.at(-1))).toBe(TaskState.TASK_STATE_AUTH_REQUIRED);
  });
});

describe('a Message answer, on the wire', () => {
  it('is {"message": ...} to a v1.0 send, and a v0.3 kind "message" result', async () => {
    const { rpc: url, origin } = await startRpcHost();
    const msg = { messageId: crypto.randomUUID(), role: 'ROLE_USER', parts: [{ text: 'hey' }], metadata: { answer: 'message' } };
    const v1 = await rpc(url, { jsonrpc: '2.0', id: 1, method: 'SendMessage', params: { message: msg } });
    expect(v1.body.result).toEqual({ message: expect.objectContaining({ role: 'ROLE_AGENT', parts: [{ text: 'hey' }] }) });
    const v03 = await rpc(`${origin}/`, { jsonrpc: '2.0', id: 2, method: 'message/send', params: { message: { kind: 'message', messageId: 'm', role: 'user', parts: [{ kind: 'text', text: 'hey' }], metadata: { answer: 'message' } } } });
    expect(v03.body.result).toMatchObject({ kind: 'message', role: 'agent', parts: [{ kind: 'text', text: 'hey' }] });
    const rest = await fetch(`${origin}/v1/message:send`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ message: msg }) });
    expect(await rest.json()).toEqual({ message: expect.objectContaining({ role: 'ROLE_AGENT' }) });
    const streamed = await collect(await openStream(url, { jsonrpc: '2.0', id: 3, method: 'SendStreamingMessage', params: { message: { ...msg, messageId: crypto.randomUUID() } } }));
    expect(streamed.map((f) => Object.keys((JSON.parse(f.data) as { result: object }).result))).toEqual([['message']]);
  });

  it('leaves the exchange in the session and no task to get', async () => {
    const { client, host } = await startRpcHost();
    const before = host.tasks.list({}).totalSize;
    const answer = (await client.sendMessage(request('remember me', { metadata: { answer: 'message' } }))) as Message;
    expect(host.tasks.list({}).totalSize).toBe(before);
    const texts = host.db.prepare('SELECT role, body_json FROM messages WHERE context_id = ? ORDER BY seq').all(answer.contextId) as { role: string; body_json: string }[];
    expect(texts.map((r) => r.role)).toEqual(['user', 'agent']);
    await expect(client.getTask({ id: answer.taskId || 'none', tenant: '', historyLength: undefined })).rejects.toBeInstanceOf(TaskNotFoundError);
  });
});
