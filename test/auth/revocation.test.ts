import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { describe, expect, it } from 'vitest';
import { connectClient, startMcpHost, type McpHost } from '../mcp/support';
import { spawnCli } from '../support/cli-process';

/** Resolves once the request's answer has ended, or its connection broke. */
async function ending(res: Promise<Response>): Promise<void> {
  try {
    const reader = (await res).body!.getReader();
    for (;;) if ((await reader.read()).done) return;
  } catch {
    // A cut connection ends the request as surely as an end.
  }
}

interface Open {
  /** Every long-lived request made with the token, by what it is: each resolves once it has ended. */
  ends: Record<string, Promise<void>>;
  mcp: Client;
}

/** Opens, with the host's token, every kind of request that outlives its answer. */
async function openEverything(m: McpHost): Promise<Open> {
  const origin = new URL(m.host.urls.health).origin;
  const auth = { authorization: `Bearer ${m.token}` };
  const json = { ...auth, 'content-type': 'application/json' };
  const sent = await fetch(`${origin}/a2a`, {
    method: 'POST', headers: json,
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'SendMessage', params: { message: { messageId: 'm1', role: 'ROLE_USER', parts: [{ text: 'long' }], metadata: { agent: 'ticker', ticks: 1000, ms: 100 } }, configuration: { returnImmediately: true } } }),
  });
  const taskId = ((await sent.json()) as { result: { task: { id: string } } }).result.task.id;
  const register = await fetch(`${origin}/workers/register`, {
    method: 'POST', headers: json, body: JSON.stringify({ workerId: 'w-revoked', name: 'w', codebases: ['app'], agents: ['ticker'], concurrency: 1 }),
  });
  const { sessionId } = (await register.json()) as { sessionId: string };
  const streams: Record<string, Response> = {
    'monitor feed': await fetch(`${origin}/api/events`, { headers: auth }),
    'task log': await fetch(`${origin}/api/tasks/${taskId}/events`, { headers: auth }),
    'A2A SubscribeToTask': await fetch(`${origin}/a2a`, { method: 'POST', headers: json, body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'SubscribeToTask', params: { id: taskId } }) }),
    'A2A REST subscribe': await fetch(`${origin}/v1/tasks/${taskId}:subscribe`, { headers: auth }),
  };
  for (const [what, res] of Object.entries(streams)) expect(res.status, what).toBe(200);
  const ends = Object.fromEntries(Object.entries(streams).map(([what, res]) => [what, ending(Promise.resolve(res))]));
  // The long-poll answers only when a task comes or its wait runs out.
  ends['worker claim'] = ending(fetch(`${origin}/workers/sessions/${sessionId}/claim`, { method: 'POST', headers: json, body: '{}' }));
  const { client } = await connectClient(m);
  await client.listTools();
  return { ends, mcp: client };
}

async function expectAllEnd(open: Open, ms: number): Promise<void> {
  const started = Date.now();
  const open_ = new Set(Object.keys(open.ends));
  for (const [what, end] of Object.entries(open.ends)) void end.then(() => open_.delete(what));
  const timer = new Promise<void>((r) => setTimeout(r, ms));
  await Promise.race([Promise.all(Object.values(open.ends)), timer]);
  expect([...open_], `still open ${Date.now() - started} ms later`).toEqual([]);
  await expect(open.mcp.listTools()).rejects.toThrow();
}

describe('a revoked or expired token', () => {
  it('ends its open streams, long-polls and MCP sessions at once when revoked on this host', async () => {
    const m = await startMcpHost(['admin'], { requireAuth: true });
    const open = await openEverything(m);
    const id = m.host.tokens.list().find((t) => t.name === 'test')!.id;
    expect(m.host.tokens.revoke(id).kind).toBe('revoked');
    await expectAllEnd(open, 1_000);
  });

  it('ends them within seconds when the CLI revokes it from another process', async () => {
    const m = await startMcpHost(['admin'], { requireAuth: true });
    const open = await openEverything(m);
    // Its own process, as a user runs it: in this one it would wait on the host's open write batch.
    const revoke = spawnCli(['token', 'revoke', 'test', '--data-dir', m.dataDir]);
    expect(await revoke.exited).toBe(0);
    expect(revoke.stderr()).toContain('Revoked token');
    await expectAllEnd(open, 3_000);
  });

  it('ends them once it expires', async () => {
    const m = await startMcpHost(['admin'], { requireAuth: true });
    const created = m.host.tokens.create({ name: 'short', scopes: ['admin'], expiresAt: Date.now() + 5_000 });
    if (!created.ok) throw new Error('token not created');
    const open = await openEverything({ ...m, token: created.token });
    await expectAllEnd(open, 7_000);
  });
});
