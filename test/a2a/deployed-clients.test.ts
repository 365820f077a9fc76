import { TaskState, type StreamResponse, type Task } from '@a2a-js/sdk';
import { DefaultAgentCardResolver } from '@a2a-js/sdk/client';
import { LegacyJsonRpcTransport } from '@a2a-js/sdk/compat/v0_3/client';
import { A2AClient } from 'a2a-sdk-v03/client';
import { describe, expect, it } from 'vitest';
import { request, startRpcHost } from './support';
import { waitFor } from '../support/wait';

type Json = Record<string, unknown>;

const v03Message = (text: string, metadata?: Record<string, unknown>) => ({ kind: 'message' as const, messageId: crypto.randomUUID(), role: 'user' as const, parts: [{ kind: 'text' as const, text }], metadata });

/** The JSON-RPC result of a v0.3 client call, or a failure naming its error. */
function resultOf<T>(answer: { result?: unknown; error?: { code: number; message: string } } | Json): T {
  if ('error' in answer && answer.error) throw new Error(`JSON-RPC error ${JSON.stringify(answer.error)}`);
  return (answer as { result: T }).result;
}

describe('discovery from the header-less card', () => {
  it('is a v0.3 card that still lists the v1.0 interfaces', async () => {
    const { origin } = await startRpcHost();
    const res = await fetch(`${origin}/.well-known/agent-card.json`);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(res.headers.get('vary')).toBe('A2A-Version');
    const card = (await res.json()) as Json;
    expect(card).toMatchObject({ protocolVersion: '0.3', url: `${origin}/a2a`, preferredTransport: 'JSONRPC' });
    expect(card.supportedInterfaces).toEqual(expect.arrayContaining([{ url: `${origin}/a2a`, protocolBinding: 'JSONRPC', protocolVersion: '1.0' }, { url: `${origin}/v1`, protocolBinding: 'HTTP+JSON', protocolVersion: '1.0' }]));
    const again = await fetch(`${origin}/.well-known/agent-card.json`, { headers: { 'if-none-match': res.headers.get('etag')! } });
    expect(again.status).toBe(304);
  });

  it('serves the deployed v0.3 client (@a2a-js/sdk 0.3.x A2AClient.fromCardUrl): send, get, cancel, stream', async () => {
    const { origin, host } = await startRpcHost();
    const client = await A2AClient.fromCardUrl(`${origin}/.well-known/agent-card.json`);

    const sent = resultOf<{ kind: string; id: string; status: { state: string }; artifacts: { parts: { text: string }[] }[] }>(await client.sendMessage({ message: v03Message('hello from 0.3') }));
    expect(sent).toMatchObject({ kind: 'task', status: { state: 'completed' } });
    expect(sent.artifacts[0]!.parts[0]!.text).toBe('hello from 0.3');
    expect(resultOf<{ id: string }>(await client.getTask({ id: sent.id }))).toMatchObject({ id: sent.id, status: { state: 'completed' } });

    const waiting = resultOf<{ id: string }>(await client.sendMessage({ message: v03Message('wait', { agent: 'blocker' }), configuration: { blocking: false, acceptedOutputModes: [] } }));
    await waitFor(() => host.tasks.get(waiting.id).status?.state === TaskState.TASK_STATE_WORKING);
    expect(resultOf<Json>(await client.cancelTask({ id: waiting.id }))).toMatchObject({ id: waiting.id, status: { state: 'canceled' } });

    const events: Json[] = [];
    for await (const event of client.sendMessageStream({ message: v03Message('one two', { delayMs: 2 }) })) events.push(event as unknown as Json);
    expect(events[0]).toMatchObject({ kind: 'task' });
    expect(events.at(-1)).toMatchObject({ kind: 'status-update', status: { state: 'completed' }, final: true });
  });

  it("serves the v1.x SDK's v0.3 compat transport at the card's url: send, get, cancel, stream", async () => {
    const { origin, host } = await startRpcHost();
    const card = (await (await fetch(`${origin}/.well-known/agent-card.json`)).json()) as { url: string };
    const legacy = new LegacyJsonRpcTransport({ endpoint: card.url });
    expect(legacy.protocolVersion).toBe('0.3');

    const done = (await legacy.sendMessage(request('compat hello'))) as Task;
    expect(done.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    expect((await legacy.getTask({ id: done.id, tenant: '', historyLength: undefined })).id).toBe(done.id);

    const waiting = (await legacy.sendMessage(request('wait', { metadata: { agent: 'blocker' }, configuration: { returnImmediately: true } }))) as Task;
    await waitFor(() => host.tasks.get(waiting.id).status?.state === TaskState.TASK_STATE_WORKING);
    expect((await legacy.cancelTask({ id: waiting.id, tenant: '', metadata: undefined })).status?.state).toBe(TaskState.TASK_STATE_CANCELED);

    const events: StreamResponse[] = [];
    for await (const e of legacy.sendMessageStream(request('a b', { metadata: { delayMs: 2 } }))) events.push(e);
    expect(events[0]?.payload?.$case).toBe('task');
    const last = events.at(-1)?.payload;
    expect(last?.$case === 'statusUpdate' && last.value.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
  });

  it('gives the v1.0 client, which sends A2A-Version: 1.0, the pure v1.0 card', async () => {
    const { origin } = await startRpcHost();
    const seen: { version: string | null; body: Json }[] = [];
    const resolver = new DefaultAgentCardResolver({
      fetchImpl: async (input, init) => {
        const res = await fetch(input, init);
        seen.push({ version: new Headers(init?.headers).get('a2a-version'), body: (await res.clone().json()) as Json });
        return res;
      },
    });
    const card = await resolver.resolve(origin);
    expect(seen[0]!.version).toBe('1.0');
    expect(seen[0]!.body.url).toBeUndefined();
    expect(seen[0]!.body.protocolVersion).toBeUndefined();
    expect(card.supportedInterfaces.map((i) => `${i.protocolBinding} ${i.protocolVersion}`)).toEqual(['JSONRPC 1.0', 'HTTP+JSON 1.0', 'JSONRPC 0.3']);
  });
});
