import * as client from 'openid-client';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Host } from '../../main/host/host';
import { addClient } from '../../main/identity/clients';
import { createOAuthRepository } from '../../main/store/oauth-repository';
import { builtMonitor, launchChromium } from '../e2e/support';
import { tempDir } from '../support/temp-dir';
import { startTestHost } from '../support/host';
import { freePort } from '../support/free-port';
import { waitFor } from '../support/wait';
import { authorizeInChromium, redirectCatcher, type RedirectCatcher } from './support';

const dataDir = tempDir('codetether-oauth-');
let monitor: ReturnType<typeof builtMonitor>;
let browser: Browser;
let catcher: RedirectCatcher;
let host: Host;
let base: string;
let port: number;
let app: { clientId: string; clientSecret: string };

async function start(): Promise<void> {
  const started = await startTestHost({ dataDir, config: { port, shutdownGraceMs: 200 }, monitorDir: monitor.dir });
  host = started.host;
  base = started.origin;
}

/** The app's view of the authorization server: openid-client, as a third-party app would use it. */
async function appConfig(): Promise<client.Configuration> {
  return client.discovery(new URL(`${base}/oauth`), app.clientId, app.clientSecret, client.ClientSecretBasic(app.clientSecret), { execute: [client.allowInsecureRequests] });
}

/** One full authorization: PKCE, the consent screen in Chromium, the code exchanged for tokens. */
async function authorize(scope: string, answer: 'allow' | 'deny' = 'allow') {
  const config = await appConfig();
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: catcher.uri, scope, state, code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
  });
  const back = await authorizeInChromium(browser, url.href, catcher, answer);
  if (answer === 'deny') return { back };
  const tokens = await client.authorizationCodeGrant(config, back, { pkceCodeVerifier: verifier, expectedState: state });
  return { back, tokens, config };
}

async function api(path: string, token: string, init: RequestInit = {}): Promise<number> {
  const res = await fetch(`${base}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, ...(init.headers ?? {}) } });
  await res.arrayBuffer();
  return res.status;
}

beforeAll(async () => {
  monitor = builtMonitor();
  [browser, catcher, port] = await Promise.all([launchChromium(), redirectCatcher(), freePort()]);
  await start();
  const added = addClient(createOAuthRepository(host.db), { name: 'Zapier (test)', redirectUris: [catcher.uri], confidential: true });
  if (!added.ok) throw new Error(added.error);
  app = { clientId: added.clientId, clientSecret: added.clientSecret! };
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await host?.stop();
  await catcher?.close();
});

describe('the OAuth2 authorization server', () => {
  it('runs authorization code + PKCE through the consent screen; the token carries the granted scopes', async () => {
    const { tokens } = await authorize('read a2a');
    expect(tokens!.scope?.split(' ').sort()).toEqual(['a2a', 'read']);
    expect(tokens!.refresh_token).toBeTruthy();
    expect(await api('/api/overview', tokens!.access_token)).toBe(200);
    expect(await api('/api/tokens', tokens!.access_token)).toBe(403);
    const sent = await api('/v1/message:send', tokens!.access_token, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ message: { messageId: 'oauth-1', role: 'ROLE_USER', parts: [{ text: 'hello from an app' }] } }),
    });
    expect(sent).toBe(200);
    const grants = host.audit.query({ action: 'oauth.grant' });
    expect(grants).toHaveLength(1);
    expect(grants[0]).toMatchObject({ actor: 'local', subject: app.clientId, outcome: 'ok' });
    const created = host.audit.query({ action: 'task.created', actor: `oauth:${app.clientId}:local` });
    expect(created).toHaveLength(1);
    // A PKCE-less request is refused by the server before any consent.
    const config = await appConfig();
    const bare = client.buildAuthorizationUrl(config, { redirect_uri: catcher.uri, scope: 'read' });
    const res = await fetch(bare, { redirect: 'manual' });
    expect(res.headers.get('location') ?? '').toMatch(/error=invalid_request/);
  });

  it('rotates the refresh token on every use and refuses a used one', async () => {
    const { tokens, config } = await authorize('read');
    const renewed = await client.refreshTokenGrant(config!, tokens!.refresh_token!);
    expect(renewed.refresh_token).toBeTruthy();
    expect(renewed.refresh_token).not.toBe(tokens!.refresh_token);
    expect(await api('/api/overview', renewed.access_token)).toBe(200);
    const reused = await client.refreshTokenGrant(config!, tokens!.refresh_token!).catch((err: { error?: string }) => err);
    expect(reused).toMatchObject({ error: 'invalid_grant' });
  });

  it('revokes: the revoked token, its refresh token and the grant stop working, recorded once', async () => {
    const { tokens, config } = await authorize('read');
    expect(await api('/api/overview', tokens!.access_token)).toBe(200);
    const revokedBefore = host.audit.query({ action: 'oauth.grant.revoked' }).length;
    await client.tokenRevocation(config!, tokens!.access_token);
    expect(await api('/api/overview', tokens!.access_token)).toBe(401);
    await expect(client.refreshTokenGrant(config!, tokens!.refresh_token!)).rejects.toThrow();
    expect(host.audit.query({ action: 'oauth.grant.revoked' }).length - revokedBefore).toBe(1);
  });

  it('lets only the app a token was issued to revoke it or introspect it', async () => {
    const { tokens, config } = await authorize('read');
    const added = addClient(createOAuthRepository(host.db), { name: 'Another app', redirectUris: [catcher.uri], confidential: true });
    if (!added.ok) throw new Error(added.error);
    const other = await client.discovery(new URL(`${base}/oauth`), added.clientId, added.clientSecret!, client.ClientSecretBasic(added.clientSecret!), { execute: [client.allowInsecureRequests] });

    await expect(client.tokenRevocation(other, tokens!.access_token)).rejects.toMatchObject({ error: 'invalid_request', error_description: expect.stringMatching(/issued to another app/) });
    expect(await api('/api/overview', tokens!.access_token)).toBe(200);
    expect((await client.tokenIntrospection(other, tokens!.access_token)).active).toBe(false);
    expect(await client.tokenIntrospection(config!, tokens!.access_token)).toMatchObject({ active: true, client_id: app.clientId, scope: expect.stringContaining('read') });
  });

  it('sends access_denied back when the user denies, and records the refusal', async () => {
    const { back } = await authorize('read', 'deny');
    expect(back.searchParams.get('error')).toBe('access_denied');
    expect(host.audit.query({ action: 'oauth.grant', outcome: 'refused' })).toHaveLength(1);
  });

  it('keeps clients, grants and refresh tokens across a host restart', async () => {
    const { tokens } = await authorize('read');
    await host.stop();
    await start();
    // This process's fetch may still hold a keep-alive socket to the stopped host; its first use
    // fails with "other side closed" and drops it, as it would for any client across a restart.
    await waitFor(async () => (await fetch(`${base}/healthz`).catch(() => undefined))?.ok);
    const config = await appConfig();
    const renewed = await client.refreshTokenGrant(config, tokens!.refresh_token!);
    expect(await api('/api/overview', renewed.access_token)).toBe(200);
    const res = await fetch(`${base}/api/oauth/clients`);
    expect(((await res.json()) as { id: string }[]).map((c) => c.id)).toContain(app.clientId);
  });
});
