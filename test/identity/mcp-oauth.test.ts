import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { OAuthClientProvider } from '@modelcontextprotocol/sdk/client/auth.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { OAuthClientInformationMixed, OAuthClientMetadata, OAuthTokens } from '@modelcontextprotocol/sdk/shared/auth.js';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Host } from '../../main/host/host';
import { builtMonitor, launchChromium } from '../e2e/support';
import { tempDir } from '../support/temp-dir';
import { startTestHost } from '../support/host';
import { authorizeInChromium, redirectCatcher, type RedirectCatcher } from './support';

const dataDir = tempDir('codetether-mcp-oauth-');
let monitor: ReturnType<typeof builtMonitor>;
let browser: Browser;
let catcher: RedirectCatcher;
let host: Host;
let base: string;

/** An MCP client's OAuth state, kept in memory: what an IDE keeps in its own store. */
class MemoryAuthProvider implements OAuthClientProvider {
  info?: OAuthClientInformationMixed;
  saved?: OAuthTokens;
  verifier?: string;
  authorizationUrl?: URL;
  constructor(private readonly redirect: string) {}
  get redirectUrl() {
    return this.redirect;
  }
  get clientMetadata(): OAuthClientMetadata {
    return { client_name: 'Test IDE', redirect_uris: [this.redirect], grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'], token_endpoint_auth_method: 'none' };
  }
  clientInformation() {
    return this.info;
  }
  saveClientInformation(info: OAuthClientInformationMixed) {
    this.info = info;
  }
  tokens() {
    return this.saved;
  }
  saveTokens(tokens: OAuthTokens) {
    this.saved = tokens;
  }
  redirectToAuthorization(url: URL) {
    this.authorizationUrl = url;
  }
  saveCodeVerifier(verifier: string) {
    this.verifier = verifier;
  }
  codeVerifier() {
    return this.verifier!;
  }
}

beforeAll(async () => {
  monitor = builtMonitor();
  [browser, catcher] = await Promise.all([launchChromium(), redirectCatcher()]);
  ({ host, origin: base } = await startTestHost({ dataDir, config: { shutdownGraceMs: 200 }, monitorDir: monitor.dir }));
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await host?.stop();
  await catcher?.close();
});

describe('the MCP endpoint with OAuth', () => {
  it('advertises its authorization server: protected resource metadata, and resource_metadata on every 401', async () => {
    const mcp = new URL(host.urls.mcp!);
    const res = await fetch(mcp, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' }, body: '{}' });
    expect(res.status).toBe(401);
    const challenge = res.headers.get('www-authenticate') ?? '';
    const metadataUrl = /resource_metadata="([^"]+)"/.exec(challenge)?.[1];
    expect(metadataUrl).toBe(`${mcp.origin}/.well-known/oauth-protected-resource/mcp`);
    for (const url of [metadataUrl!, `${mcp.origin}/.well-known/oauth-protected-resource`]) {
      const doc = (await (await fetch(url)).json()) as Record<string, unknown>;
      expect(doc).toMatchObject({ resource: mcp.href, authorization_servers: [`${base}/oauth`], scopes_supported: ['mcp'] });
    }
    const as = (await (await fetch(`${base}/.well-known/oauth-authorization-server/oauth`)).json()) as Record<string, unknown>;
    expect(as).toMatchObject({ issuer: `${base}/oauth`, code_challenge_methods_supported: ['S256'] });
    expect(as.registration_endpoint).toBe(`${base}/oauth/reg`);
  });

  it('lets an MCP SDK client register itself, get consent in the monitor, and call tools with the token it got', async () => {
    const mcp = new URL(host.urls.mcp!);
    const provider = new MemoryAuthProvider(catcher.uri);
    const first = new StreamableHTTPClientTransport(mcp, { authProvider: provider });
    await expect(new Client({ name: 'test-ide', version: '1.0.0' }).connect(first)).rejects.toThrow(/Unauthorized/);
    expect(provider.info?.client_id).toBeTruthy();
    expect(provider.authorizationUrl?.searchParams.get('resource')).toBe(mcp.href);

    const back = await authorizeInChromium(browser, provider.authorizationUrl!.href, catcher);
    await first.finishAuth(back.searchParams.get('code')!);
    expect(provider.saved?.scope).toBe('mcp');

    const client = new Client({ name: 'test-ide', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(mcp, { authProvider: provider }));
    const tools = await client.listTools();
    expect(tools.tools.map((t) => t.name)).toContain('send_task');
    const sent = await client.callTool({ name: 'send_task', arguments: { message: 'hello over OAuth' } });
    expect(sent.isError).toBeFalsy();
    await client.close();

    const actor = `oauth:${provider.info!.client_id}:local`;
    expect(host.audit.query({ action: 'task.created', actor })).toHaveLength(1);
    expect(host.audit.query({ action: 'oauth.client.registered', subject: provider.info!.client_id })).toHaveLength(1);
    expect(host.audit.query({ action: 'oauth.grant', subject: provider.info!.client_id })).toHaveLength(1);

    // The token is for the MCP endpoint only: the host's API refuses it, naming why.
    const res = await fetch(`${base}/api/overview`, { headers: { authorization: `Bearer ${provider.saved!.access_token}` } });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/issued for http:\/\/127\.0\.0\.1:\d+\/mcp, not for http:\/\/127\.0\.0\.1:\d+/);
  });
});
