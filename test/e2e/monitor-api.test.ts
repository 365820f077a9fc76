import { TaskState } from '@a2a-js/sdk';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Scope } from '../../main/auth/scopes';
import type { Host } from '../../main/host/host';
import { monitorCsp } from '../../main/monitor/csp';
import { startTestHost, type ConfigFlags } from '../support/host';
import { userMessage } from '../support/task-core';
import { tempDir } from '../support/temp-dir';
import { fillPath, monitorRouteKeys, splitRouteKey } from '../../shared/monitor-routes';
import type { AgentExecutor } from '../../main/tasks/executor';

async function start(settings: ConfigFlags = {}, monitorDir?: string) {
  const dataDir = tempDir('codetether-monitor-api-');
  const { host, origin } = await startTestHost({ dataDir, config: { shutdownGraceMs: 200, ...settings }, monitorDir: monitorDir ?? join(dataDir, 'no-build') });
  return { host, dataDir, base: origin };
}

describe('the monitor API', () => {
  it('serves the built page and its assets with types and a CSP, and says how to build when there is none', async () => {
    const build = tempDir('codetether-build-');
    mkdirSync(join(build, 'assets'));
    writeFileSync(join(build, 'index.html'), '<!doctype html><title>m</title>');
    writeFileSync(join(build, 'assets', 'index-abc.js'), 'console.log(1)');
    const { base } = await start({}, build);
    const page = await fetch(`${base}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toBe(monitorCsp);
    expect(page.headers.get('cache-control')).toBe('no-cache');
    const asset = await fetch(`${base}/assets/index-abc.js`);
    expect(asset.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(asset.headers.get('cache-control')).toContain('immutable');
    expect((await fetch(`${base}/assets/nope.js`)).status).toBe(404);
    // Names no build makes are refused before the file system sees them: a path, a NUL, a huge name.
    for (const name of ['..%2Findex.html', '%00', 'a%00.js', 'x'.repeat(10_000), '.hidden']) {
      const res = await fetch(`${base}/assets/${name}`);
      expect(res.status, name.slice(0, 20)).toBe(400);
      expect((await res.json()).error.code).toBe('bad_request');
    }

    const bare = await start();
    const missing = await fetch(`${bare.base}/`);
    expect(missing.status).toBe(503);
    expect(await missing.text()).toContain('npm run build');
  });

  it('replays a task log from any seq, then goes live; and the feed starts with a snapshot', async () => {
    const { host, base } = await start();
    const { task } = await host.tasks.send({ message: userMessage('hello') });
    await host.tasks.settled(task.id);
    const ctl = new AbortController();
    const read = async (path: string, headers: Record<string, string> = {}) => {
      const res = await fetch(`${base}${path}`, { signal: ctl.signal, headers });
      const reader = res.body!.getReader();
      const { value } = await reader.read();
      return new TextDecoder().decode(value);
    };
    const all = await read(`/api/tasks/${task.id}/events`);
    expect(all).toMatch(/^id: 1\ndata: \{"seq":1,"response":\{"task":/);
    const resumed = await read(`/api/tasks/${task.id}/events`, { 'last-event-id': '1' });
    expect(resumed.startsWith('id: 2\n')).toBe(true);
    const feed = await read('/api/events');
    expect(feed).toMatch(/^event: snapshot\ndata: \{"type":"snapshot","overview":\{"counts":\{/);
    ctl.abort();
    expect((await fetch(`${base}/api/tasks/nope/events`)).status).toBe(404);
    // One task's and one session's summary, for a view of a task or session the live feed does not hold.
    expect(await (await fetch(`${base}/api/tasks/${task.id}`)).json()).toMatchObject({ id: task.id, contextId: task.contextId, title: 'hello', origin: null });
    expect(await (await fetch(`${base}/api/sessions/${task.contextId}`)).json()).toMatchObject({ id: task.contextId, title: 'hello', taskCount: 1 });
    for (const path of ['/api/tasks/nope', '/api/sessions/nope']) expect((await fetch(`${base}${path}`)).status, path).toBe(404);
    expect((await fetch(`${base}/api/tasks/${task.id}/events?after=x`)).status).toBe(400);
  });

  it('replays a long task log page by page, in order, once each, and goes on live', async () => {
    const chatty: AgentExecutor = {
      name: 'chatty',
      description: 'many events',
      skill: { id: 'chatty', name: 'Chatty', description: 'many events', tags: [] },
      async execute(ctx) {
        for (let i = 0; i < 300; i++) ctx.update({ kind: 'status', state: TaskState.TASK_STATE_WORKING });
        await new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve(), { once: true }));
      },
    };
    const dataDir = tempDir('codetether-monitor-api-');
    const { host } = await startTestHost({ dataDir, config: { shutdownGraceMs: 200 }, monitorDir: join(dataDir, 'no-build'), agents: [chatty] });
    const { task } = await host.tasks.send({ message: userMessage('go', { metadata: { agent: 'chatty' } }) });
    while (host.tasks.eventsAfter(task.id, 0).length < 301) await new Promise((r) => setTimeout(r, 10));

    const ctl = new AbortController();
    const res = await fetch(`${new URL(host.urls.health).origin}/api/tasks/${task.id}/events?after=5`, { signal: ctl.signal });
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    const ids = () => [...text.matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]));
    while (ids().at(-1) !== 301) text += decoder.decode((await reader.read()).value);
    await host.tasks.cancel(task.id);
    while (ids().at(-1) !== 302) text += decoder.decode((await reader.read()).value);
    ctl.abort();
    expect(ids()).toEqual(Array.from({ length: 297 }, (_, i) => i + 6));
  });

  it('serves every route of the shared route table, with the method the table gives it', async () => {
    const { base } = await start();
    const answer = async (method: string, path: string) => {
      const res = await fetch(`${base}${path}`, { method, headers: { 'content-type': 'application/json' }, body: method === 'GET' ? undefined : '{}' });
      return `${res.status} ${await res.text()}`;
    };
    // What the host answers for a path no route serves (its own and the A2A binding's words), and for a method a route does not take.
    const unserved = (a: string) => /^404 .*No (HTTP\+JSON )?route for /.test(a) || a.startsWith('405 ');
    for (const path of ['/api/no-such-route', '/sync/no-such-route', '/v1/no-such-route']) expect(unserved(await answer('GET', path)), path).toBe(true);
    expect(unserved(await answer('DELETE', '/api/tokens'))).toBe(true);
    for (const key of monitorRouteKeys) {
      const { method, path } = splitRouteKey(key);
      const params = Object.fromEntries([...path.matchAll(/\{(\w+)\}/g)].map(([, name]) => [name!, `no-such-${name}`]));
      expect(unserved(await answer(method, fillPath(path, params))), key).toBe(false);
    }
  });

  it('parses every request body at the boundary: a refused one is a 400 naming the field, and changes nothing', async () => {
    const { host, base, dataDir } = await start();
    const send = async (method: string, path: string, body: unknown) => {
      const res = await fetch(`${base}${path}`, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      return { status: res.status, message: ((await res.json()) as { error: { message: string } }).error.message };
    };
    const refused = (message: string) => ({ status: 400, message });

    expect(await send('POST', '/api/codebases', { path: dataDir })).toEqual(refused('"name" is required.'));
    expect(await send('POST', '/api/codebases', { name: 'app', path: dataDir, allowedAgents: 'echo' })).toEqual(refused('Invalid "allowedAgents": must be a list of agent names.'));
    expect(await send('POST', '/api/codebases', [{ name: 'app', path: dataDir }])).toEqual(refused('The request body must be a JSON object.'));
    expect(await send('POST', '/api/tokens', { name: ' ' })).toEqual(refused('Invalid "name": must be 1 to 100 characters.'));
    expect((await send('POST', '/api/tokens', { name: 'ide', scopes: ['a2a', 'root'] })).message).toMatch(/^Invalid "scopes.1": must be a non-empty list of: admin, /);
    expect(await send('POST', '/api/tokens', { name: 'ide', expiresInDays: 1.5 })).toEqual(refused('Invalid "expiresInDays": must be a whole number of days, 1 or more.'));
    expect(await send('POST', '/api/sync/join', { url: 7, workspace: 'team', token: 't' })).toMatchObject({ status: 400, message: expect.stringMatching(/^Invalid "url": /) });
    expect(await send('PUT', '/api/settings', { llmModel: 'coder', port: 1 })).toEqual(refused('"port" cannot be set here; settable keys: llmBaseUrl, llmApiKey, llmModel, defaultAgent, host.'));
    expect(await send('PUT', '/api/settings', { llmModel: ['coder'] })).toMatchObject({ status: 400, message: expect.stringMatching(/^Invalid "llmModel": expected a string/) });

    expect(await (await fetch(`${base}/api/codebases`)).json()).toEqual([]);
    expect(host.tokens.list()).toEqual([]);
    expect(host.sync.status().state).toBe('not-paired');
  });

  it('refuses bad codebases and token requests with a clear 400, and keeps tokens and codebase changes to admins', async () => {
    const { host, base, dataDir } = await start({ requireAuth: true });
    const token = (scopes: Scope[]) => {
      const r = createToken(host, scopes);
      return { authorization: `Bearer ${r}`, 'content-type': 'application/json' };
    };
    const admin = token(['admin']);
    const reader = token(['read']);
    const post = (path: string, body: unknown, headers = admin) => fetch(`${base}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });

    expect((await fetch(`${base}/api/overview`)).status).toBe(401);
    expect((await fetch(`${base}/api/overview`, { headers: reader })).status).toBe(200);
    expect((await fetch(`${base}/api/tokens`, { headers: reader })).status).toBe(403);
    expect((await post('/api/codebases', { name: 'x', path: dataDir }, reader)).status).toBe(403);
    // The page itself is public: a LAN browser loads it before it has a token.
    expect((await fetch(`${base}/`)).status).toBe(503);

    const relative = await post('/api/codebases', { name: 'app', path: 'src/app' });
    expect(relative.status).toBe(400);
    expect((await relative.json()).error.message).toContain('must be absolute');
    expect((await (await post('/api/codebases', { name: 'Bad Name', path: dataDir })).json()).error.message).toContain('is invalid');
    expect((await post('/api/codebases', { name: 'app', path: dataDir, defaultAgent: 'ghost' })).status).toBe(400);
    expect((await post('/api/codebases', { name: 'app', path: dataDir })).status).toBe(201);
    expect((await fetch(`${base}/api/codebases/app`, { method: 'DELETE', headers: admin })).status).toBe(204);
    expect((await fetch(`${base}/api/codebases/app`, { method: 'DELETE', headers: admin })).status).toBe(404);

    expect((await post('/api/tokens', { name: 'ide', scopes: ['root'] })).status).toBe(400);
    const created = await post('/api/tokens', { name: 'ide', scopes: ['mcp'] });
    expect(created.status).toBe(201);
    expect(created.headers.get('cache-control')).toBe('no-store');
    const { token: secret, info } = await created.json();
    expect(secret).toMatch(/^ct_/);
    expect((await post('/api/tokens', { name: 'ide' })).status).toBe(409);
    const listed = await (await fetch(`${base}/api/tokens`, { headers: admin })).text();
    expect(listed).not.toContain(secret);
    expect((await post(`/api/tokens/${info.id}:revoke`, {})).status).toBe(200);
    expect((await post('/api/tokens/nope:revoke', {})).status).toBe(404);

    expect((await fetch(`${base}/api/ide-config?client=notepad`, { headers: reader })).status).toBe(400);
    const snippet = await (await fetch(`${base}/api/ide-config?client=claude-code&transport=http`, { headers: reader })).json();
    expect(snippet.text).toContain(host.urls.mcp);
  });
});

let tokenCount = 0;
function createToken(host: Host, scopes: Scope[]): string {
  const result = host.tokens.create({ name: `t${++tokenCount}`, scopes });
  if (!result.ok) throw new Error('token name taken');
  return result.token;
}
