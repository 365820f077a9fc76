import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { CallToolResultSchema, ResourceUpdatedNotificationSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { createServer, request } from 'node:http';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createLogger } from '../../main/base/log';
import { createMcpEndpoint } from '../../main/mcp/http-endpoint';
import { createSessionQueries } from '../../main/mcp/session-queries';
import { createA2aPeerRepository } from '../../main/store/a2a-peer-repository';
import { createCodebaseRepository } from '../../main/store/codebase-repository';
import { createSummaryRepository } from '../../main/store/summary-repository';
import { connectClient, httpTransport, startMcpHost, type McpHost } from './support';

const initialize = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
};

function post(mcp: McpHost, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(mcp.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', authorization: `Bearer ${mcp.token}`, ...headers },
    body: JSON.stringify(body),
  });
}

/** node:http, because fetch will not send a Host header of our choosing. */
function postWithHost(mcp: McpHost, host: string): Promise<number> {
  const url = new URL(mcp.url);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { host, 'content-type': 'application/json', accept: 'application/json, text/event-stream', authorization: `Bearer ${mcp.token}` } },
      (res) => {
        res.resume();
        resolve(res.statusCode!);
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(initialize));
  });
}

describe('MCP Streamable HTTP endpoint', () => {
  it('binds 127.0.0.1 even when the host binds every interface', async () => {
    const mcp = await startMcpHost(['mcp'], { host: '0.0.0.0' });
    expect(new URL(mcp.host.urls.a2a).hostname).toBe('127.0.0.1');
    expect(mcp.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
    const { client } = await connectClient(mcp);
    expect((await client.listTools()).tools.length).toBeGreaterThan(0);
  });

  it('keeps the host up without MCP when the MCP port is taken, and says why', async () => {
    const squatter = createServer();
    await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
    onTestFinished(() => void squatter.close());
    const port = (squatter.address() as { port: number }).port;
    const lines: string[] = [];
    const mcp = await startMcpHost(['mcp'], { mcpPort: port }, createLogger('error', (line) => lines.push(line)));
    expect(mcp.host.urls.mcp).toBeUndefined();
    expect((await fetch(mcp.host.urls.health)).status).toBe(200);
    expect(lines.join('\n')).toMatch(new RegExp(`port ${port} on 127.0.0.1 is already in use.*--mcp-port`));
  });

  it('refuses a foreign Origin or a non-loopback Host with 403, and a missing or wrong-scope token with 401/403', async () => {
    const mcp = await startMcpHost();
    expect((await post(mcp, initialize, { origin: 'https://evil.example' })).status).toBe(403);
    expect((await post(mcp, initialize, { origin: 'null' })).status).toBe(403);
    expect(await postWithHost(mcp, 'evil.example:80')).toBe(403);
    expect(await postWithHost(mcp, `localhost:${new URL(mcp.url).port}`)).toBe(200);
    expect((await post(mcp, initialize, { origin: 'http://localhost:6274' })).status).toBe(200);

    const anonymous = await fetch(mcp.url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' }, body: JSON.stringify(initialize) });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect((await post(mcp, initialize, { authorization: 'Bearer ct_nottherealtoken' })).status).toBe(401);

    const a2aOnly = mcp.host.tokens.create({ name: 'a2a-only', scopes: ['a2a'] });
    if (!a2aOnly.ok) throw new Error('token');
    expect((await post(mcp, initialize, { authorization: `Bearer ${a2aOnly.token}` })).status).toBe(403);

    const client = new Client({ name: 'no-token', version: '1' });
    await expect(client.connect(httpTransport({ ...mcp, token: 'ct_wrong' }))).rejects.toThrow();
  });

  it('answers 404 for an unknown or ended session, 400 without one, and ends a session on DELETE', async () => {
    const mcp = await startMcpHost();
    const list = { jsonrpc: '2.0', id: 2, method: 'tools/list', params: {} };
    const unknown = await post(mcp, list, { 'mcp-session-id': 'f00dfeed-0000-4000-8000-000000000000' });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: { code: -32001 } });
    expect((await post(mcp, list)).status).toBe(400);

    const { transport } = await connectClient(mcp);
    const sessionId = transport.sessionId!;
    await transport.terminateSession();
    const ended = await post(mcp, list, { 'mcp-session-id': sessionId });
    expect(ended.status).toBe(404);
  });

  it('answers every malformed request in JSON-RPC shape: bad JSON -32700, a wrong method, path, type or size -32600', async () => {
    const mcp = await startMcpHost(['mcp'], { bodyLimit: 2048 });
    const auth = { authorization: `Bearer ${mcp.token}`, accept: 'application/json, text/event-stream' };
    const cases: [string, RequestInit & { url?: string }, number, number][] = [
      ['not JSON', { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: '{"jsonrpc":' }, 400, -32700],
      ['PUT', { method: 'PUT', headers: { ...auth, 'content-type': 'application/json' }, body: '{}' }, 405, -32600],
      ['another path', { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: '{}', url: mcp.url.replace('/mcp', '/other') }, 404, -32600],
      ['a form', { method: 'POST', headers: { ...auth, 'content-type': 'application/x-www-form-urlencoded' }, body: 'a=1' }, 415, -32600],
      ['too large', { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ pad: 'x'.repeat(4096) }) }, 413, -32600],
    ];
    for (const [what, init, status, code] of cases) {
      const res = await fetch(init.url ?? mcp.url, init);
      expect(res.status, what).toBe(status);
      const body = (await res.json()) as { jsonrpc: string; id: null; error: { code: number; message: string } };
      expect(body, what).toMatchObject({ jsonrpc: '2.0', id: null, error: { code } });
      expect(body.error.message.length, what).toBeGreaterThan(10);
    }
  });

  it('a session of one token is not reachable with another', async () => {
    const mcp = await startMcpHost();
    const { transport } = await connectClient(mcp);
    const other = mcp.host.tokens.create({ name: 'other', scopes: ['mcp'] });
    if (!other.ok) throw new Error('token');
    const res = await post(mcp, { jsonrpc: '2.0', id: 2, method: 'tools/list', params: {} }, { 'mcp-session-id': transport.sessionId!, authorization: `Bearer ${other.token}` });
    expect(res.status).toBe(404);
  });

  it('expires idle sessions', async () => {
    const mcp = await startMcpHost();
    const endpoint = createMcpEndpoint({
      deps: { tasks: mcp.host.tasks, sessions: createSessionQueries(createSummaryRepository(mcp.host.db)), codebases: createCodebaseRepository(mcp.host.db), peers: createA2aPeerRepository(mcp.host.db), agents: new Map(), card: () => { throw new Error('unused'); }, log: createLogger('silent') },
      tokens: mcp.host.tokens,
      log: createLogger('silent'),
      bodyLimit: 1 << 20,
      idleMs: 100,
    });
    const url = await endpoint.listen(0);
    try {
      const client = new Client({ name: 'idle', version: '1' });
      const transport = httpTransport({ ...mcp, url });
      await client.connect(transport);
      // The SDK client keeps a GET stream open, which counts as activity: close it to go idle.
      await transport.close();
      expect(endpoint.sessionCount).toBe(1);
      await expect.poll(() => endpoint.sessionCount, { timeout: 3000, interval: 50 }).toBe(0);
      const res = await post({ ...mcp, url }, { jsonrpc: '2.0', id: 2, method: 'tools/list', params: {} }, { 'mcp-session-id': transport.sessionId! });
      expect(res.status).toBe(404);
    } finally {
      await endpoint.close(100);
    }
  });

  it('sends progress notifications while a long task runs, so a short client timeout keeps waiting', async () => {
    const { client } = await connectClient(await startMcpHost());
    const progress: { progress: number; message?: string }[] = [];
    const result = (await client.callTool({ name: 'send_task_and_wait', arguments: { message: 'long', agent: 'ticker' } }, undefined, {
      onprogress: (p) => progress.push(p),
      // Shorter than the task (5 x 100 ms): only the progress notifications keep the call alive.
      timeout: 350,
      resetTimeoutOnProgress: true,
    })) as CallToolResult;
    expect(result.structuredContent).toMatchObject({ state: 'completed', output: 'tick 1\ntick 2\ntick 3\ntick 4\ntick 5\n' });
    expect(progress.length).toBeGreaterThanOrEqual(6);
    expect(progress.map((p) => p.progress)).toEqual(progress.map((_, i) => i + 1));
    expect(progress.map((p) => p.message)).toEqual(expect.arrayContaining(['working', 'output: tick 1\n', 'completed: done after 5 ticks']));
  });

  it('replays what a client missed when it reconnects with Last-Event-ID', async () => {
    const mcp = await startMcpHost();
    const { client, transport } = await connectClient(mcp);
    const sessionId = transport.sessionId!;
    let lastEventId: string | undefined;
    let seen = 0;
    const disconnected = new Promise<void>((resolve) => {
      const call = client.request(
        { method: 'tools/call', params: { name: 'send_task_and_wait', arguments: { message: 'resume me', agent: 'ticker' } } },
        CallToolResultSchema,
        {
          onresumptiontoken: (token) => (lastEventId = token),
          onprogress: () => {
            // Drop the connection after the second notification, mid-task.
            if (++seen === 2) void transport.close().then(resolve);
          },
        },
      );
      call.catch(() => {});
    });
    await disconnected;
    expect(lastEventId).toBeDefined();
    // The server learns of the dropped connection a moment after the client; a resume before
    // that is refused (409, stream still connected). Real clients wait their reconnection delay (1 s).
    await new Promise((resolve) => setTimeout(resolve, 150));

    const resumed = new Client({ name: 'codetether-test', version: '1.0.0' });
    const transport2 = httpTransport(mcp, sessionId);
    await resumed.connect(transport2);
    // Replayed progress carries the first request's progressToken, which this client does not
    // know, so it is watched on the wire.
    const replayed: number[] = [];
    const deliver = transport2.onmessage!;
    transport2.onmessage = (message) => {
      if ('method' in message && message.method === 'notifications/progress') replayed.push(Number(message.params!.progress));
      deliver(message);
    };
    const result = await resumed.request(
      { method: 'tools/call', params: { name: 'send_task_and_wait', arguments: { message: 'resume me', agent: 'ticker' } } },
      CallToolResultSchema,
      { resumptionToken: lastEventId },
    );
    await resumed.close();
    expect(result.structuredContent).toMatchObject({ state: 'completed', output: 'tick 1\ntick 2\ntick 3\ntick 4\ntick 5\n' });
    // The replay starts right after the last event the first connection saw, and misses none.
    expect(replayed[0]).toBe(seen + 1);
    expect(replayed).toEqual(replayed.map((_, i) => seen + 1 + i));
    // Only one task ran: the resumed call replayed the first one instead of sending again.
    expect((await mcp.host.tasks.list({})).totalSize).toBe(1);
  });

  it('serves task output and session transcripts as resources and notifies subscribers', async () => {
    const { client } = await connectClient(await startMcpHost());
    const templates = await client.listResourceTemplates();
    expect(templates.resourceTemplates.map((t) => t.uriTemplate).sort()).toEqual(['codetether://sessions/{contextId}', 'codetether://tasks/{taskId}/output']);

    const started = (await client.callTool({ name: 'send_task', arguments: { message: 'watch me', agent: 'ticker' } })).structuredContent as { taskId: string; contextId: string };
    const uri = `codetether://tasks/${started.taskId}/output`;
    const updates: string[] = [];
    client.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => void updates.push(n.params.uri));
    await client.subscribeResource({ uri });
    await client.subscribeResource({ uri: `codetether://sessions/${started.contextId}` });
    await expect.poll(async () => ((await client.readResource({ uri })).contents[0] as { text: string }).text, { timeout: 5000 }).toBe('tick 1\ntick 2\ntick 3\ntick 4\ntick 5\n');
    await expect.poll(() => updates.includes(uri), { timeout: 2000 }).toBe(true);
    expect(updates).toContain(`codetether://sessions/${started.contextId}`);

    const listed = await client.listResources();
    expect(listed.resources.map((r) => r.uri)).toEqual(expect.arrayContaining([uri, `codetether://sessions/${started.contextId}`]));
    const transcript = JSON.parse(((await client.readResource({ uri: `codetether://sessions/${started.contextId}` })).contents[0] as { text: string }).text);
    expect(transcript.messages.map((m: { text: string }) => m.text)).toEqual(['watch me', 'done after 5 ticks']);

    await client.unsubscribeResource({ uri });
    await expect(client.readResource({ uri: 'codetether://tasks/nope/output' })).rejects.toThrow(/does not exist/);
    await expect(client.subscribeResource({ uri: 'codetether://elsewhere' })).rejects.toThrow(/only codetether/);
  });
});
