import { Role, TaskState, type StreamResponse, type Task } from '@a2a-js/sdk';
import { TaskNotFoundError } from '@a2a-js/sdk/errors';
import { describe, expect, it } from 'vitest';
import { request, rpc, startRpcHost } from './support';
import { waitFor } from '../support/wait';

describe('v0.3 compatibility', () => {
  it("answers the seed's documented curl body as written", async () => {
    const { origin } = await startRpcHost();
    const res = await fetch(`${origin}/v1/a2a`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{"jsonrpc":"2.0","method":"message/send","params":{"message":{"parts":[{"type":"text","content":"Analyze this codebase"}]}},"id":"1"}',
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { id: string; result: { kind: string; status: { state: string }; artifacts: { parts: { kind: string; text: string }[] }[] } };
    expect(body.id).toBe('1');
    expect(body.result.kind).toBe('task');
    expect(body.result.status.state).toBe('completed');
    expect(body.result.artifacts[0]!.parts[0]).toEqual({ kind: 'text', text: 'Analyze this codebase' });
  });

  it('serves the SDK v0.3 compat client: send, stream, get, cancel', async () => {
    const { legacy, host } = await startRpcHost();
    const done = (await legacy.sendMessage(request('legacy hello'))) as Task;
    expect(done.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    expect(done.history.at(-1)?.role).toBe(Role.ROLE_AGENT);

    const events: StreamResponse[] = [];
    for await (const e of legacy.sendMessageStream(request('a b', { metadata: { delayMs: 5 } }))) events.push(e);
    expect(events[0]?.payload?.$case).toBe('task');
    const last = events.at(-1)?.payload;
    expect(last?.$case === 'statusUpdate' && last.value.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);

    expect((await legacy.getTask({ id: done.id, tenant: '', historyLength: 1 })).history).toHaveLength(1);
    await expect(legacy.getTask({ id: 'nope', tenant: '', historyLength: undefined })).rejects.toBeInstanceOf(TaskNotFoundError);

    const waiting = (await legacy.sendMessage(request('wait', { metadata: { agent: 'blocker' }, configuration: { returnImmediately: true } }))) as Task;
    await waitFor(() => host.tasks.get(waiting.id).status?.state === TaskState.TASK_STATE_WORKING);
    expect((await legacy.cancelTask({ id: waiting.id, tenant: '', metadata: undefined })).status?.state).toBe(TaskState.TASK_STATE_CANCELED);
  });
});

describe('agent card', () => {
  it('is the v1.0 card with both bindings, skills, ETag and 304 for a client that asks for 1.0', async () => {
    const { origin } = await startRpcHost();
    const res = await fetch(`${origin}/.well-known/agent-card.json`, { headers: { 'a2a-version': '1.0' } });
    expect(res.headers.get('cache-control')).toMatch(/max-age=/);
    const etag = res.headers.get('etag')!;
    const card = (await res.json()) as { name: string; supportedInterfaces: { url: string; protocolBinding: string; protocolVersion: string }[]; capabilities: Record<string, boolean>; skills: { id: string }[]; securitySchemes?: unknown };
    expect(card.name).toBe('CodeTether');
    expect(card.supportedInterfaces).toEqual(
      expect.arrayContaining([
        { url: `${origin}/a2a`, protocolBinding: 'JSONRPC', protocolVersion: '1.0' },
        { url: `${origin}/v1`, protocolBinding: 'HTTP+JSON', protocolVersion: '1.0' },
        { url: `${origin}/a2a`, protocolBinding: 'JSONRPC', protocolVersion: '0.3' },
      ]),
    );
    expect(card.supportedInterfaces).toHaveLength(3);
    expect(card.capabilities).toEqual({ streaming: true, pushNotifications: true, extendedAgentCard: false });
    expect(card.skills.map((s) => s.id)).toEqual(expect.arrayContaining(['echo', 'blocker']));
    expect(card.securitySchemes).toBeUndefined();
    expect((card as Record<string, unknown>).url).toBeUndefined();
    const again = await fetch(`${origin}/.well-known/agent-card.json`, { headers: { 'if-none-match': etag, 'a2a-version': '1.0' } });
    expect(again.status).toBe(304);
    // Each shape has its own ETag: the v1.0 card's does not validate the header-less one.
    expect((await fetch(`${origin}/.well-known/agent-card.json`, { headers: { 'if-none-match': etag } })).status).toBe(200);
    expect((await fetch(`${origin}/.well-known/agent-card.json?A2A-Version=1.0`, { headers: { 'if-none-match': etag } })).status).toBe(304);
  });

  it('names the bearer scheme when routes need a token', async () => {
    const { origin } = await startRpcHost({ requireAuth: true });
    const card = (await (await fetch(`${origin}/.well-known/agent-card.json?version=1.0`)).json()) as Record<string, unknown>;
    expect(card.securitySchemes).toEqual({ bearer: { httpAuthSecurityScheme: expect.objectContaining({ scheme: 'Bearer' }) } });
    expect(card.securityRequirements).toEqual([{ schemes: { bearer: {} } }]);
    expect(card.capabilities).toEqual({ streaming: true, pushNotifications: true, extendedAgentCard: true });
    const legacy = (await (await fetch(`${origin}/.well-known/agent-card.json?version=0.3`)).json()) as Record<string, unknown>;
    expect(legacy).toMatchObject({ securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } }, security: [{ bearer: [] }] });
  });

  it('is v0.3-shaped for a client that asks for 0.3', async () => {
    const { origin } = await startRpcHost();
    const byHeader = (await (await fetch(`${origin}/.well-known/agent-card.json`, { headers: { 'a2a-version': '0.3' } })).json()) as Record<string, unknown>;
    expect(byHeader).toMatchObject({ protocolVersion: '0.3', url: `${origin}/a2a`, preferredTransport: 'JSONRPC', supportsAuthenticatedExtendedCard: false });
    expect((byHeader.skills as { id: string; tags: string[] }[])[0]).toMatchObject({ id: 'echo', tags: ['echo', 'test'] });
    expect(byHeader.supportedInterfaces).toBeUndefined();
  });

  it('gives the extended card only to a bearer token', async () => {
    const { rpc: url, host } = await startRpcHost();
    const body = { jsonrpc: '2.0', id: 1, method: 'GetExtendedAgentCard' };
    const anonymous = await rpc(url, body);
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error?.message).toContain('Bearer');
    const created = host.tokens.create({ name: 'card-reader', scopes: ['a2a'] });
    if (!created.ok) throw new Error('token not created');
    const authed = await rpc(url, body, { authorization: `Bearer ${created.token}` });
    expect(authed.body.result).toMatchObject({ name: 'CodeTether' });
  });
});
