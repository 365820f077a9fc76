import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createGuard, type GuardOptions } from '../../main/auth/guard';
import { principalOf } from '../../main/auth/principal';
import { publicRules, scopeResolver } from '../../main/auth/route-scopes';
import { createTokenStore, type TokenStore } from '../../main/auth/token-store';
import { createLogger } from '../../main/base/log';
import { sendJson } from '../../main/http/respond';
import { createRouter, type Handler } from '../../main/http/router';
import { createHttpServer } from '../../main/http/server';
import { closeDatabase, openDatabase } from '../../main/store/open';
import { bearer, call } from './support';
import { tempDir } from '../support/temp-dir';

/** A real server with the guard, a public /healthz, a2a and admin probes that echo the principal. */
async function serve(bindHost: string, options: Partial<GuardOptions> = {}): Promise<{ port: number; tokens: TokenStore }> {
  const db = openDatabase(join(tempDir(), 'codetether.db'));
  const tokens = createTokenStore(db);
  const router = createRouter();
  const echo: Handler = (req, res) => sendJson(res, 200, { principal: principalOf(req) ?? null });
  router.add('GET', '/healthz', echo);
  router.add(['GET', 'POST'], '/probe', echo);
  router.add('GET', '/admin/thing', echo);
  const guard = createGuard({
    tokens,
    bindHost,
    requireAuth: false,
    routeScope: scopeResolver([...publicRules, { path: '/admin/', prefix: true, scope: 'admin' }]),
    ...options,
  });
  const http = createHttpServer({ router, log: createLogger('silent'), guard });
  const { port } = await http.listen(bindHost, 0);
  onTestFinished(async () => {
    await http.close(0);
    closeDatabase(db);
  });
  return { port, tokens };
}

function issue(tokens: TokenStore, name: string, scopes: Parameters<TokenStore['create']>[0]['scopes']): string {
  const result = tokens.create({ name, scopes });
  if (!result.ok) throw new Error('create failed');
  return result.token;
}

describe('guard on a loopback bind', () => {
  it('refuses a non-loopback Host header with 403 (DNS rebinding)', async () => {
    const { port } = await serve('127.0.0.1');
    for (const host of ['evil.example', 'evil.example:' + port, '127.0.0.1.evil.example', 'localhost.evil.example', '192.168.1.4']) {
      const r = await call(port, '/probe', { headers: { host } });
      expect(r.status, host).toBe(403);
      expect(r.body).toMatchObject({ error: { code: 'forbidden_host' } });
    }
    // Public routes are no exception: the check comes before routing.
    expect((await call(port, '/healthz', { headers: { host: 'evil.example' } })).status).toBe(403);
  });

  it('accepts loopback names with any port and case, and serves anonymous callers', async () => {
    const { port } = await serve('127.0.0.1');
    for (const host of ['localhost', `LocalHost:${port}`, `127.0.0.1:${port}`, '[::1]', `[::1]:${port}`, '127.0.0.2']) {
      const r = await call(port, '/probe', { headers: { host } });
      expect(r.status, host).toBe(200);
      expect(r.body).toEqual({ principal: { kind: 'anonymous-local' } });
    }
  });

  it('still rejects a presented token that is not valid, and attaches a valid one', async () => {
    const { port, tokens } = await serve('127.0.0.1');
    const bad = await call(port, '/probe', { headers: bearer('ct_' + 'x'.repeat(43)) });
    expect(bad.status).toBe(401);
    expect(bad.headers['www-authenticate']).toBe('Bearer realm="codetether", error="invalid_token"');
    expect((await call(port, '/probe', { headers: { authorization: 'Basic dTpw' } })).status).toBe(401);
    const token = issue(tokens, 'ide', ['a2a']);
    const ok = await call(port, '/probe', { headers: bearer(token) });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ principal: { kind: 'token', token: { name: 'ide', scopes: ['a2a'] } } });
    // A presented token is held to its scopes even where anonymous would pass.
    expect((await call(port, '/admin/thing', { headers: bearer(token) })).status).toBe(403);
    expect((await call(port, '/admin/thing')).status).toBe(200);
  });

  it('with requireAuth demands a token on loopback too, except on public routes', async () => {
    const { port, tokens } = await serve('127.0.0.1', { requireAuth: true });
    const r = await call(port, '/probe');
    expect(r.status).toBe(401);
    expect(r.headers['www-authenticate']).toBe('Bearer realm="codetether"');
    expect((await call(port, '/healthz')).status).toBe(200);
    expect((await call(port, '/probe', { headers: bearer(issue(tokens, 'ide', ['a2a'])) })).status).toBe(200);
  });
});

describe('guard on a non-loopback bind', () => {
  it('demands a token on every non-public route and checks its scope', async () => {
    const { port, tokens } = await serve('0.0.0.0');
    const none = await call(port, '/probe');
    expect(none.status).toBe(401);
    expect(none.headers['www-authenticate']).toBe('Bearer realm="codetether"');
    expect(none.body).toMatchObject({ error: { code: 'unauthorized' } });
    // Unknown routes are refused before routing, so they do not reveal what exists.
    expect((await call(port, '/nowhere')).status).toBe(401);

    const health = await call(port, '/healthz');
    expect(health.status).toBe(200);
    expect(health.body).toEqual({ principal: null });

    const a2a = issue(tokens, 'ide', ['a2a', 'mcp']);
    expect((await call(port, '/probe', { headers: bearer(a2a) })).status).toBe(200);
    const forbidden = await call(port, '/admin/thing', { headers: bearer(a2a) });
    expect(forbidden.status).toBe(403);
    expect(forbidden.body).toMatchObject({ error: { code: 'insufficient_scope' } });
    expect(forbidden.headers['www-authenticate']).toContain('error="insufficient_scope", scope="admin"');

    const readOnly = issue(tokens, 'dash', ['read']);
    expect((await call(port, '/probe', { headers: bearer(readOnly) })).status).toBe(403);

    tokens.revoke('ide');
    const revoked = await call(port, '/probe', { headers: bearer(a2a) });
    expect(revoked.status).toBe(401);
    expect(revoked.body).toMatchObject({ error: { code: 'token_revoked' } });
  });

  it('does not check Host, since LAN clients address it by whatever name they use', async () => {
    const { port, tokens } = await serve('0.0.0.0');
    const token = issue(tokens, 'lan', ['a2a']);
    expect((await call(port, '/probe', { headers: { host: 'desktop.lan:8000', ...bearer(token) } })).status).toBe(200);
  });

  it('refuses an expired token', async () => {
    const { port, tokens } = await serve('0.0.0.0');
    const result = tokens.create({ name: 'old', scopes: ['a2a'], expiresAt: Date.now() - 1 });
    if (!result.ok) throw new Error('create failed');
    const r = await call(port, '/probe', { headers: bearer(result.token) });
    expect(r.status).toBe(401);
    expect(r.body).toMatchObject({ error: { code: 'token_expired' } });
  });
});

describe('guard and the pages of other origins', () => {
  it('lets a trusted origin (the desktop dev server) read through CORS and answers its preflight; refuses the rest', async () => {
    const dev = 'http://localhost:5173';
    const { port } = await serve('127.0.0.1', { trustedOrigins: [dev] });
    const preflight = await call(port, '/probe', { method: 'OPTIONS', headers: { origin: dev, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe(dev);
    expect(preflight.headers['access-control-allow-headers']).toContain('content-type');
    const post = await call(port, '/probe', { method: 'POST', headers: { origin: dev } });
    expect(post.status).toBe(200);
    expect(post.headers['access-control-allow-origin']).toBe(dev);

    const other = await call(port, '/probe', { method: 'POST', headers: { origin: 'http://localhost:5174' } });
    expect(other.status).toBe(403);
    expect(other.body).toMatchObject({ error: { code: 'forbidden_origin' } });
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
    expect((await call(port, '/probe', { method: 'OPTIONS', headers: { origin: 'http://localhost:5174', 'access-control-request-method': 'POST' } })).status).toBe(405);
  });

  it("lets a page of the host's own address change state, and reads pass from anywhere", async () => {
    const { port } = await serve('127.0.0.1');
    expect((await call(port, '/probe', { method: 'POST', headers: { origin: `http://127.0.0.1:${port}` } })).status).toBe(200);
    expect((await call(port, '/probe', { method: 'POST', headers: { origin: `http://localhost:${port}`, host: `localhost:${port}` } })).status).toBe(200);
    expect((await call(port, '/probe', { method: 'POST', headers: { origin: `http://localhost:${port}` } })).status).toBe(403);
    expect((await call(port, '/probe', { method: 'POST', headers: { 'sec-fetch-site': 'same-site' } })).status).toBe(403);
    expect((await call(port, '/probe', { method: 'POST', headers: { 'sec-fetch-site': 'none' } })).status).toBe(200);
    expect((await call(port, '/probe', { headers: { origin: 'https://elsewhere.example' } })).status).toBe(200);
  });
});
