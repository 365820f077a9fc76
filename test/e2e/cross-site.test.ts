import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { existsSync, mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useMonitorHost } from './support';

const env = useMonitorHost('codetether-cross-site-');

/** A second origin on this machine: any page the user happens to have open. */
let evil: Server;
let evilOrigin: string;
beforeAll(async () => {
  evil = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>elsewhere</title>'));
  await new Promise<void>((r) => evil.listen(0, '127.0.0.1', r));
  evilOrigin = `http://127.0.0.1:${(evil.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => evil.close(() => r())));

/** Every state-changing route the host serves, with a body that would succeed from the monitor. */
function attacks(folder: string): { method: string; path: string; body: unknown }[] {
  const message = { messageId: 'x-1', role: 'ROLE_USER', parts: [{ text: 'from another site' }] };
  return [
    { method: 'POST', path: '/api/codebases', body: { name: 'stolen', path: folder } },
    { method: 'DELETE', path: '/api/codebases/app', body: undefined },
    { method: 'POST', path: '/api/tokens', body: { name: 'stolen', scopes: ['admin'] } },
    { method: 'POST', path: '/api/tokens/any:revoke', body: {} },
    { method: 'POST', path: '/api/sync/join', body: { url: 'ws://127.0.0.1:9/relay', workspace: 'w', token: 't' } },
    { method: 'POST', path: '/api/sync/leave', body: {} },
    { method: 'PUT', path: '/api/sync/device', body: { name: 'stolen' } },
    { method: 'PUT', path: '/api/settings', body: { defaultAgent: 'echo' } },
    { method: 'PUT', path: '/api/email', body: { email: { host: 'smtp.evil.test', tls: 'none', from: 'x@evil.test', recipients: ['x@evil.test'], events: ['completed'], imap: null } } },
    { method: 'POST', path: '/api/email/test', body: { email: { host: '127.0.0.1', port: 9, tls: 'none', from: 'x@evil.test', recipients: ['x@evil.test'], events: [], imap: null } } },
    { method: 'POST', path: '/a2a', body: { jsonrpc: '2.0', id: 1, method: 'SendMessage', params: { message } } },
    { method: 'POST', path: '/v1/a2a', body: { jsonrpc: '2.0', id: 1, method: 'message/send', params: { message: { kind: 'message', messageId: 'x-2', role: 'user', parts: [{ kind: 'text', text: 'x' }] } } } },
    { method: 'POST', path: '/v1/message:send', body: { message } },
    { method: 'POST', path: '/workers/register', body: { workerId: 'evil', name: 'evil', codebases: ['app'], agents: ['echo'], concurrency: 1 } },
    { method: 'POST', path: '/v1/hooks', body: { event: 'task.completed', targetUrl: 'https://evil.example/steal' } },
    { method: 'DELETE', path: '/v1/hooks/any', body: undefined },
  ];
}

describe('a page on another origin, in real Chromium', () => {
  it('cannot change anything through any state-changing route, in every shape a page can send', async () => {
    const folder = join(env.dataDir, 'victim');
    mkdirSync(folder, { recursive: true });
    const before = await (await fetch(`${env.base}/api/overview`)).json();
    const page = await env.browser.newPage();
    await page.goto(evilOrigin);
    const results = await page.evaluate(
      async ({ base, attacks }) => {
        const out: { path: string; shape: string; status: number }[] = [];
        for (const a of attacks) {
          const text = a.body === undefined ? undefined : JSON.stringify(a.body);
          const shapes: [string, RequestInit][] = [
            ['no-cors text/plain', { method: a.method, mode: 'no-cors', headers: { 'content-type': 'text/plain' }, body: text }],
            ['no-cors untyped blob', { method: a.method, mode: 'no-cors', body: text === undefined ? undefined : new Blob([text]) }],
            ['cors json', { method: a.method, headers: { 'content-type': 'application/json' }, body: text }],
          ];
          for (const [shape, init] of shapes) {
            try {
              const res = await fetch(base + a.path, init);
              out.push({ path: a.path, shape, status: res.status });
            } catch {
              out.push({ path: a.path, shape, status: -1 });
            }
          }
        }
        return out;
      },
      { base: env.base, attacks: attacks(folder) },
    );
    await page.close();
    // no-cors answers are opaque (status 0) and a preflighted one fails outright: the proof is the host's state.
    expect(results.length).toBe(attacks(folder).length * 3);
    const after = await (await fetch(`${env.base}/api/overview`)).json();
    expect(after.total).toBe(before.total);
    expect(after.codebases).toEqual(before.codebases);
    const tokens = await (await fetch(`${env.base}/api/tokens`)).json();
    expect(JSON.stringify(tokens)).not.toContain('stolen');
    const sync = await (await fetch(`${env.base}/sync/status`)).json();
    expect(sync.state).toBe('not-paired');
    expect(sync.deviceName).not.toBe('stolen');
    expect(existsSync(join(env.dataDir, 'config.json'))).toBe(false);
    expect(env.host.tasks.list({ pageSize: 100 }).tasks).toHaveLength(0);
    expect(env.host.hooks.list()).toEqual([]);
  });

  it('is refused with 403 and a reason the host states, while the monitor\'s own page and clients without an Origin still work', async () => {
    const refused = await fetch(`${env.base}/api/codebases`, { method: 'POST', headers: { origin: evilOrigin, 'content-type': 'text/plain' }, body: '{}' });
    expect(refused.status).toBe(403);
    expect((await refused.json()).error.message).toContain(`Origin "${evilOrigin}" may not change anything here`);
    const nullOrigin = await fetch(`${env.base}/api/tokens`, { method: 'POST', headers: { origin: 'null', 'content-type': 'application/json' }, body: '{"name":"n","scopes":["read"]}' });
    expect(nullOrigin.status).toBe(403);
    const crossSiteNoOrigin = await fetch(`${env.base}/api/tokens`, { method: 'POST', headers: { 'sec-fetch-site': 'cross-site', 'content-type': 'application/json' }, body: '{"name":"n","scopes":["read"]}' });
    expect(crossSiteNoOrigin.status).toBe(403);
    // Routes whose effect the first test cannot see from the host's state (a consent needs a
    // pending authorization): the refusal itself, before any handler runs.
    for (const [method, path, body] of [
      ['POST', '/api/oauth/consent/any', '{"approve":true}'],
      ['POST', '/api/oauth/grants/any:revoke', '{}'],
      ['POST', '/auth/oidc/session', '{}'],
      ['POST', '/v1/ralph/runs', '{"codebase":"app","prd":{}}'],
      ['POST', '/v1/ralph/runs/any/cancel', '{}'],
      ['POST', '/v1/tasks/any:cancel', '{}'],
    ]) {
      const res = await fetch(`${env.base}${path}`, { method, headers: { origin: evilOrigin, 'content-type': 'application/json' }, body });
      expect([path, res.status, (await res.json()).error.code]).toEqual([path, 403, 'forbidden_origin']);
    }
    const plainText = await fetch(`${env.base}/api/tokens`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{"name":"plain","scopes":["read"]}' });
    expect(plainText.status).toBe(415);

    const folder = join(env.dataDir, 'mine');
    mkdirSync(folder, { recursive: true });
    const page = await env.browser.newPage();
    await page.goto(env.base);
    const status = await page.evaluate(
      async ({ folder }) => (await fetch('/api/codebases', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'mine', path: folder }) })).status,
      { folder },
    );
    await page.close();
    expect(status).toBe(201);
    const cli = await fetch(`${env.base}/api/tokens`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":"cli","scopes":["read"]}' });
    expect(cli.status).toBe(201);
  });
});
