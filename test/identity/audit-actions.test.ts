import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Host } from '../../main/host/host';
import type { AuditEntry } from '../../main/store/audit-repository';
import { tempDir } from '../support/temp-dir';
import { startTestHost } from '../support/host';

const dataDir = tempDir('codetether-audit-');
const work = tempDir('codetether-audit-work-');
let host: Host;
let base: string;

beforeAll(async () => {
  ({ host, origin: base } = await startTestHost({ dataDir, config: { shutdownGraceMs: 200 } }));
}, 60_000);

afterAll(async () => {
  await host?.stop();
});

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: unknown }> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined };
}

/** The entries one step added, oldest first. */
async function during(step: () => Promise<unknown>): Promise<AuditEntry[]> {
  const before = host.audit.query({ limit: 1 })[0]?.seq ?? 0;
  await step();
  return host.audit.query({ limit: 10_000 }).filter((e) => e.seq > before).reverse();
}

const actions = (entries: AuditEntry[]) => entries.map((e) => e.action);

describe('the audit log records each security-relevant action exactly once', () => {
  it('token create and revoke, by who and from where', async () => {
    let id = '';
    const created = await during(async () => {
      const res = await call('POST', '/api/tokens', { name: 'laptop', scopes: ['a2a', 'mcp'] });
      id = (res.json as { info: { id: string } }).info.id;
    });
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({ actor: 'local', action: 'token.created', subject: id, source: expect.stringMatching(/127\.0\.0\.1/), outcome: 'ok', detail: { name: 'laptop', scopes: ['a2a', 'mcp'] } });
    expect(JSON.stringify(created[0])).not.toMatch(/ct_[A-Za-z0-9_-]{43}/);
    const revoked = await during(() => call('POST', `/api/tokens/${id}:revoke`));
    expect(actions(revoked)).toEqual(['token.revoked']);
    // Revoking again changes nothing, and records nothing.
    expect(await during(() => call('POST', `/api/tokens/${id}:revoke`))).toEqual([]);
  });

  it('settings changes, and a LAN mode change as its own action', async () => {
    expect(actions(await during(() => call('PUT', '/api/settings', { defaultAgent: 'echo' })))).toEqual(['settings.changed']);
    const lan = await during(() => call('PUT', '/api/settings', { host: '0.0.0.0' }));
    expect(lan).toHaveLength(1);
    expect(lan[0]).toMatchObject({ action: 'lan.changed', subject: 'on', detail: { host: '0.0.0.0' } });
    const off = await during(() => call('PUT', '/api/settings', { host: null }));
    expect(off).toMatchObject([{ action: 'lan.changed', subject: 'off' }]);
    const secret = await during(() => call('PUT', '/api/settings', { llmApiKey: 'sk-very-secret' }));
    expect(secret).toMatchObject([{ action: 'settings.changed', detail: { llmApiKey: 'set' } }]);
    expect(JSON.stringify(secret)).not.toContain('sk-very-secret');
  });

  it('codebase register and remove, from the monitor and from an MCP client', async () => {
    const folder = join(work, 'app');
    mkdirSync(folder, { recursive: true });
    const added = await during(() => call('POST', '/api/codebases', { name: 'app', path: folder }));
    expect(added).toMatchObject([{ action: 'codebase.registered', subject: 'app', actor: 'local', detail: { via: 'monitor' } }]);
    expect(actions(await during(() => call('DELETE', '/api/codebases/app')))).toEqual(['codebase.removed']);
    // A refused registration (no such folder) records nothing.
    expect(await during(() => call('POST', '/api/codebases', { name: 'gone', path: join(work, 'missing') }))).toEqual([]);

    const token = ((await call('POST', '/api/tokens', { name: 'ide', scopes: ['mcp'] })).json as { token: string; info: { id: string } });
    const client = new Client({ name: 'audit-test', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(host.urls.mcp!), { requestInit: { headers: { authorization: `Bearer ${token.token}` } } }));
    const viaMcp = await during(async () => {
      await client.callTool({ name: 'register_codebase', arguments: { name: 'app2', path: folder } });
      await client.callTool({ name: 'remove_codebase', arguments: { name: 'app2' } });
    });
    await client.close();
    expect(viaMcp).toMatchObject([
      { action: 'codebase.registered', subject: 'app2', actor: `token:${token.info.id}`, detail: { via: 'mcp' } },
      { action: 'codebase.removed', subject: 'app2', actor: `token:${token.info.id}` },
    ]);
  });

  it('sync join and leave', async () => {
    const joined = await during(() => call('POST', '/api/sync/join', { url: 'ws://127.0.0.1:9', workspace: 'team', token: 'relay-secret' }));
    expect(joined).toMatchObject([{ action: 'sync.joined', subject: 'team', detail: { relay: 'ws://127.0.0.1:9' } }]);
    expect(JSON.stringify(joined)).not.toContain('relay-secret');
    expect(actions(await during(() => call('POST', '/api/sync/leave')))).toEqual(['sync.left']);
    expect(await during(() => call('POST', '/api/sync/leave'))).toEqual([]);
  });

  it('tasks created, and by whom', async () => {
    const token = ((await call('POST', '/api/tokens', { name: 'agent-client', scopes: ['a2a'] })).json as { token: string; info: { id: string } });
    const send = (headers: Record<string, string> = {}) =>
      call('POST', '/v1/message:send', { message: { messageId: crypto.randomUUID(), role: 'ROLE_USER', parts: [{ text: 'hi' }] } }, headers);
    const byToken = await during(() => send({ authorization: `Bearer ${token.token}` }));
    expect(byToken).toHaveLength(1);
    expect(byToken[0]).toMatchObject({ action: 'task.created', actor: `token:${token.info.id}`, detail: { agent: 'echo' } });
    const byLocal = await during(() => send());
    expect(byLocal).toMatchObject([{ action: 'task.created', actor: 'local' }]);
  });

  it('refused requests, rate-limited per source and kind so a scan cannot fill the disk', async () => {
    const scan = await during(async () => {
      for (let i = 0; i < 60; i++) await call('GET', '/api/overview', undefined, { authorization: `Bearer ct_${'x'.repeat(43)}` });
      for (let i = 0; i < 20; i++) await call('POST', '/api/tokens', { name: 'x' }, { origin: 'https://evil.example' });
    });
    expect(scan).toHaveLength(2);
    expect(scan[0]).toMatchObject({ action: 'request.refused', outcome: 'refused', actor: 'anonymous', subject: 'GET /api/overview', detail: { status: 401, code: 'invalid_token' } });
    expect(scan[1]).toMatchObject({ action: 'request.refused', subject: 'POST /api/tokens', detail: { status: 403, code: 'forbidden_origin' } });
  });
});

describe('GET /api/audit', () => {
  it('filters by actor, action (prefix), outcome and time, pages back, and refuses bad filters', async () => {
    const page = (await call('GET', '/api/audit?action=token.&actor=local')).json as { entries: { action: string; actor: string }[] };
    expect(page.entries.length).toBeGreaterThanOrEqual(3);
    expect(page.entries.every((e) => e.action.startsWith('token.') && e.actor === 'local')).toBe(true);
    const refused = (await call('GET', '/api/audit?outcome=refused')).json as { entries: { outcome: string }[] };
    expect(refused.entries.length).toBeGreaterThan(0);
    expect(refused.entries.every((e) => e.outcome === 'refused')).toBe(true);
    const future = (await call('GET', `/api/audit?since=${new Date(Date.now() + 3_600_000).toISOString()}`)).json as { entries: unknown[] };
    expect(future.entries).toEqual([]);
    const first = (await call('GET', '/api/audit?limit=2')).json as { entries: { seq: number }[]; nextBefore: number };
    const next = (await call('GET', `/api/audit?limit=2&before=${first.nextBefore}`)).json as { entries: { seq: number }[] };
    expect(next.entries[0]!.seq).toBeLessThan(first.entries[1]!.seq + 1);
    expect(next.entries[0]!.seq).toBe(first.entries[1]!.seq - 1);
    const bad = await call('GET', '/api/audit?since=yesterday');
    expect(bad.status).toBe(400);
    expect((bad.json as { error: { message: string } }).error.message).toMatch(/since takes a duration/);
  });

  it('needs the admin scope', async () => {
    const token = ((await call('POST', '/api/tokens', { name: 'reader', scopes: ['read'] })).json as { token: string });
    expect((await call('GET', '/api/audit', undefined, { authorization: `Bearer ${token.token}` })).status).toBe(403);
  });
});
