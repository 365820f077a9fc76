import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../main/base/log';
import type { Host } from '../../main/host/host';
import { startTestHost } from '../support/host';
import { startTestIdp, type TestIdp } from '../support/idp';
import { tempDir } from '../support/temp-dir';

const SECRET = 'codetether-test-secret';
const OTHER_SECRET = 'other-client-secret';

const dataDir = tempDir('codetether-oidc-');
let idp: TestIdp;
let otherIdp: TestIdp;
let host: Host;
const logLines: string[] = [];
let base: string;

async function get(path: string, token: string): Promise<{ status: number; body: { error?: { code: string; message: string } } }> {
  const res = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, body: (await res.json()) as { error?: { code: string; message: string } } };
}

beforeAll(async () => {
  [idp, otherIdp] = await Promise.all([startTestIdp(), startTestIdp()]);
  for (const p of [idp, otherIdp]) {
    await p.client({ client_id: 'codetether', client_secret: SECRET, grant_types: ['client_credentials'], response_types: [], redirect_uris: [] });
    await p.client({ client_id: 'other-app', client_secret: OTHER_SECRET, grant_types: ['client_credentials'], response_types: [], redirect_uris: [] });
  }
  ({ host, origin: base } = await startTestHost({
    dataDir,
    config: {
      shutdownGraceMs: 200, requireAuth: true,
      oidc: { issuer: idp.issuer, clientId: 'codetether', clientSecret: SECRET, audience: 'api://codetether', scopesToRoles: { 'ct-admin': ['admin'], 'ct-dev': ['a2a', 'mcp'], 'ct-viewer': ['read'] } },
    },
    oidc: { jwksCooldownMs: 1000 },
    log: createLogger('info', (line) => logLines.push(line)),
  }));
}, 60_000);

afterAll(async () => {
  await host?.stop();
  await Promise.all([idp?.stop(), otherIdp?.stop()]);
});

/** What the host logged about refused requests (the audit log has the first of each kind per source; the log has every one). */
function refusalReasons(): string[] {
  return logLines.map((l) => JSON.parse(l) as { msg: string; reason?: string }).filter((l) => l.msg === 'request refused').map((l) => String(l.reason));
}

describe('OpenID provider access tokens on the API', () => {
  it('accepts a provider JWT and maps its roles to scopes', async () => {
    const admin = await idp.token('codetether', SECRET, { roles: ['ct-admin'] });
    expect((await get('/api/overview', admin)).status).toBe(200);
    expect((await get('/api/tokens', admin)).status).toBe(200);

    const viewer = await idp.token('codetether', SECRET, { roles: ['ct-viewer'] });
    expect((await get('/api/overview', viewer)).status).toBe(200);
    const tokens = await get('/api/tokens', viewer);
    expect(tokens.status).toBe(403);
    expect(tokens.body.error?.message).toMatch(/needs the "admin" scope; the token has: read/);

    const dev = await idp.token('codetether', SECRET, { roles: ['ct-dev', 'unmapped'] });
    expect((await get('/api/overview', dev)).status).toBe(200);
    expect((await get('/api/audit', dev)).status).toBe(403);

    const nobody = await idp.token('codetether', SECRET, { roles: ['unmapped'] });
    expect((await get('/api/overview', nobody)).status).toBe(403);
  });

  it('refuses tokens of another issuer, audience or client, expired ones and bad signatures with 401 and the reason', async () => {
    const cases: [string, Promise<string>, RegExp][] = [
      ['another issuer', otherIdp.token('codetether', SECRET, { roles: ['ct-admin'] }), /issued by "http:\/\/127\.0\.0\.1:\d+", not by the configured issuer/],
      ['another audience', idp.token('codetether', SECRET, { roles: ['ct-admin'], resource: 'api://elsewhere' }), /audience is \["api:\/\/elsewhere"\], not "api:\/\/codetether"/],
      ['another client', idp.token('other-app', OTHER_SECRET, { roles: ['ct-admin'] }), /issued to client "other-app", not to "codetether"/],
    ];
    for (const [what, minted, reason] of cases) {
      const res = await get('/api/overview', await minted);
      expect(res.status, what).toBe(401);
      expect(res.body.error?.message, what).toMatch(reason);
    }

    const good = await idp.token('codetether', SECRET, { roles: ['ct-admin'] });
    const [header, payload, signature] = good.split('.');
    const flipped = `${header}.${payload}.${signature!.slice(0, -4)}${signature!.slice(-4) === 'AAAA' ? 'BBBB' : 'AAAA'}`;
    const bad = await get('/api/overview', flipped);
    expect(bad.status).toBe(401);
    expect(bad.body.error?.message).toMatch(/signature does not verify/);

    const short = await idp.token('codetether', SECRET, { roles: ['ct-admin'], ttl: 1 });
    await new Promise((r) => setTimeout(r, 2100));
    const expired = await get('/api/overview', short);
    expect(expired.status).toBe(401);
    expect(expired.body.error?.code).toBe('token_expired');
    expect(expired.body.error?.message).toMatch(/expired at \d{4}-/);

    const reasons = refusalReasons();
    const audited = host.audit.query({ action: 'request.refused' });
    expect(audited.length).toBeGreaterThan(0);
    expect(audited.every((e) => e.outcome === 'refused' && e.source !== '')).toBe(true);
    for (const r of [/not by the configured issuer/, /not "api:\/\/codetether"/, /not to "codetether"/, /signature does not verify/, /expired at/]) {
      expect(reasons.some((text) => r.test(text)), String(r)).toBe(true);
    }
  });

  it('follows a key rotation (new kid fetched) and fetches the JWKS at most once per cooldown for unknown kids', async () => {
    const before = await idp.token('codetether', SECRET, { roles: ['ct-admin'] });
    expect((await get('/api/overview', before)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1100));
    const fetchesBefore = (await idp.stats()).jwksFetches;
    const kid = await idp.rotate();
    const after = await idp.token('codetether', SECRET, { roles: ['ct-admin'] });
    expect(JSON.parse(Buffer.from(after.split('.')[0]!, 'base64url').toString()).kid).toBe(kid);
    expect((await get('/api/overview', after)).status).toBe(200);
    expect((await idp.stats()).jwksFetches).toBe(fetchesBefore + 1);
    // The old key is still published: tokens signed before the rotation keep working.
    expect((await get('/api/overview', before)).status).toBe(200);

    // A flood of tokens naming a kid nobody publishes: one more fetch at most, not one per token.
    const [, payload, signature] = after.split('.');
    const header = Buffer.from(JSON.stringify({ alg: 'RS256', typ: 'at+jwt', kid: 'no-such-kid' })).toString('base64url');
    const forged = `${header}.${payload}.${signature}`;
    const fetchesThen = (await idp.stats()).jwksFetches;
    const answers = await Promise.all(Array.from({ length: 25 }, () => get('/api/overview', forged)));
    expect(answers.every((a) => a.status === 401)).toBe(true);
    expect(answers[0]!.body.error?.message).toMatch(/key the issuer does not publish/);
    expect((await idp.stats()).jwksFetches - fetchesThen).toBeLessThanOrEqual(1);
  });
});
