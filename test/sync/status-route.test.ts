import { expect, it } from 'vitest';
import type { Scope } from '../../main/auth/scopes';
import { startTestHost } from '../support/host';

it('GET /sync/status goes through the auth guard: the read scope suffices, others do not', async () => {
  const { host } = await startTestHost({ config: { requireAuth: true } });
  const tokens = host.tokens;
  const mint = (name: string, scopes: Scope[]) => {
    const created = tokens.create({ name, scopes });
    if (!created.ok) throw new Error('token name taken');
    return created.token;
  };
  const url = host.urls.health.replace(/\/healthz$/, '/sync/status');
  const get = (token?: string) => fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {} });

  expect((await get()).status).toBe(401);
  expect((await get(mint('mcp-only', ['mcp']))).status).toBe(403);
  const reader = await get(mint('reader', ['read']));
  expect(reader.status).toBe(200);
  expect(await reader.json()).toMatchObject({ state: 'not-paired', pending: 0 });
  expect((await get(mint('client', ['a2a']))).status).toBe(200);
});

it('POST /api/sync/join and /leave: admin only, the CLI\'s checks, and the host follows at once', async () => {
  const { host } = await startTestHost({ config: { requireAuth: true } });
  const tokens = host.tokens;
  const mint = (name: string, scopes: Scope[]) => {
    const created = tokens.create({ name, scopes });
    if (!created.ok) throw new Error('token name taken');
    return created.token;
  };
  const admin = mint('admin', ['admin']);
  const base = host.urls.health.replace(/\/healthz$/, '');
  const post = (path: string, body: unknown, token: string) =>
    fetch(`${base}${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  // Nothing listens on this port: the pairing is stored and the host tries, offline.
  const pairing = { url: 'ws://127.0.0.1:9/', workspace: 'team', token: 'relay-secret' };

  expect((await post('/api/sync/join', pairing, mint('reader', ['read', 'a2a']))).status).toBe(403);
  const badUrl = await post('/api/sync/join', { ...pairing, url: 'http://relay' }, admin);
  expect(badUrl.status).toBe(400);
  expect(((await badUrl.json()) as { error: { message: string } }).error.message).toContain('ws://');
  expect((await post('/api/sync/join', { ...pairing, workspace: 'no spaces' }, admin)).status).toBe(400);
  expect((await post('/api/sync/join', { ...pairing, token: '' }, admin)).status).toBe(400);

  const joined = await post('/api/sync/join', pairing, admin);
  expect(joined.status).toBe(200);
  const status = (await joined.json()) as Record<string, unknown>;
  expect(status).toMatchObject({ state: 'offline', relay: 'ws://127.0.0.1:9', workspace: 'team' });
  expect(JSON.stringify(status)).not.toContain('relay-secret');
  expect(host.sync.status().state).toBe('offline');

  const left = await post('/api/sync/leave', {}, admin);
  expect(left.status).toBe(200);
  expect(await left.json()).toMatchObject({ state: 'not-paired' });
});
