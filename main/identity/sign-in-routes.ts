import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as client from 'openid-client';
import { z } from 'zod';
import type { SignInHandoff, SignInInfo, SignInRefresh, SignInSession } from '../../shared/identity-api';
import type { MonitorRoutes } from '../../shared/monitor-routes';
import { sourceOf } from '../auth/actor';
import type { BearerVerifier } from '../auth/bearer';
import type { OidcDiscovery } from '../auth/oidc/discovery';
import type { Logger } from '../base/log';
import { HttpError } from '../http/errors';
import { bodySchema, readBodyAs } from '../http/request';
import type { Router } from '../http/router';
import { typedRoutes } from '../http/typed-routes';
import type { AuditLog } from '../store/audit-repository';

export interface SignInDeps {
  /** Undefined when no `oidc` is configured: the monitor then offers no sign-in. */
  discovery?: OidcDiscovery;
  /** Checks the provider's access token the way every API call will, so a sign-in that yields an unusable token fails here. */
  verifier?: BearerVerifier;
  /** The host's public URL behind a proxy; else the address the browser used. */
  publicUrl?: string;
  audit: Pick<AuditLog, 'append'>;
  log: Logger;
  bodyLimit: number;
}

const pendingMs = 10 * 60_000;
const handoffMs = 60_000;
const pendingLimit = 1000;

const handoffBody = bodySchema<SignInHandoff>()(z.object({ handoff: z.string().min(1).max(200) }).strict());
const refreshBody = bodySchema<SignInRefresh>()(z.object({ refreshToken: z.string().min(1).max(8192) }).strict());

function redirect(res: ServerResponse, location: string): void {
  res.writeHead(302, { location, 'cache-control': 'no-store' });
  res.end();
}

/**
 * The monitor's "Sign in" with the team's OpenID provider: the host is the relying party
 * (openid-client; authorization code with PKCE, state and nonce checked, the ID token
 * validated), so a client secret never reaches the browser. The browser then gets the
 * provider's access token through a one-time handoff code (never in a URL) and sends it as
 * its bearer token; every API call verifies it (pinned issuer, audience, expiry).
 */
export function addSignInRoutes(router: Router, deps: SignInDeps): void {
  const { discovery } = deps;
  const pending = new Map<string, { verifier: string; nonce: string; redirectUri: string; at: number }>();
  const handoffs = new Map<string, { session: SignInSession; at: number }>();

  const route = typedRoutes<MonitorRoutes>(router);
  const noStore = { 'cache-control': 'no-store' };
  const configured = (): OidcDiscovery => {
    if (!discovery) throw new HttpError(404, 'not_configured', 'Sign-in is not set up on this host: its config has no "oidc" section (README, Team access).');
    return discovery;
  };

  route('GET /auth/oidc', () => {
    const info: SignInInfo = discovery ? { enabled: true, issuer: discovery.config.issuer } : { enabled: false };
    return { body: info, headers: noStore };
  });

  route('POST /auth/oidc/session', async (req) => {
    configured();
    const { handoff } = await readBodyAs(req, deps.bodyLimit, handoffBody);
    const found = handoffs.get(handoff);
    handoffs.delete(handoff);
    if (!found || Date.now() - found.at > handoffMs) throw new HttpError(404, 'not_found', 'This sign-in has already been used or has expired; sign in again.');
    return { body: found.session, headers: noStore };
  });

  route('POST /auth/oidc/refresh', async (req) => {
    const provider = configured();
    const { refreshToken } = await readBodyAs(req, deps.bodyLimit, refreshBody);
    let tokens: client.TokenEndpointResponse;
    try {
      tokens = await client.refreshTokenGrant(await provider.get(), refreshToken);
    } catch (err) {
      throw new HttpError(401, 'invalid_grant', `The provider did not renew the sign-in: ${(err as Error).message}. Sign in again.`);
    }
    try {
      return { body: (await sessionOf(tokens)).session, headers: noStore };
    } catch (err) {
      throw new HttpError(401, 'invalid_token', `${(err as Error).message}. Sign in again.`);
    }
  });

  if (!discovery) return;
  const config = discovery.config;

  function origin(req: IncomingMessage): string {
    return deps.publicUrl?.replace(/\/+$/, '') ?? `http://${req.headers.host ?? '127.0.0.1'}`;
  }

  function sweep(now: number): void {
    for (const [k, v] of pending) if (now - v.at > pendingMs) pending.delete(k);
    for (const [k, v] of handoffs) if (now - v.at > handoffMs) handoffs.delete(k);
  }

  /** The browser's session from the provider's tokens; a refusal names why the token is of no use here. */
  async function sessionOf(tokens: client.TokenEndpointResponse): Promise<{ session: SignInSession; subject: string }> {
    const checked = await deps.verifier?.verify(tokens.access_token);
    if (!checked) throw new Error('the provider\'s access token cannot be checked by this host (an opaque token needs clientSecret, for introspection)');
    if (!checked.ok) throw new Error(`the provider's access token is not accepted: ${checked.reason}`);
    const { identity } = checked;
    if (identity.scopes.length === 0) {
      throw new Error(`signed in as ${identity.name}, but none of your roles or groups is mapped to a scope of this host (oidc.scopesToRoles); ask its admin`);
    }
    const session: SignInSession = {
      accessToken: tokens.access_token,
      refreshToken: tokens.refresh_token ?? null,
      expiresAt: identity.expiresAt ?? (tokens.expires_in ? Date.now() + tokens.expires_in * 1000 : null),
      name: identity.name,
      scopes: identity.scopes,
    };
    return { session, subject: identity.subject };
  }

  router.add('GET', '/auth/oidc/login', async (req, res) => {
    const now = Date.now();
    sweep(now);
    if (pending.size >= pendingLimit) throw new HttpError(429, 'too_many_requests', 'Too many sign-ins are under way; try again in a few minutes.');
    let configuration: client.Configuration;
    try {
      configuration = await discovery.get();
    } catch (err) {
      throw new HttpError(502, 'provider_unavailable', `The OpenID provider did not answer: ${(err as Error).message}`);
    }
    const state = client.randomState();
    const verifier = client.randomPKCECodeVerifier();
    const nonce = client.randomNonce();
    const redirectUri = `${origin(req)}/auth/oidc/callback`;
    pending.set(state, { verifier, nonce, redirectUri, at: now });
    const url = client.buildAuthorizationUrl(configuration, {
      redirect_uri: redirectUri,
      scope: config.scope,
      state,
      nonce,
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    });
    redirect(res, url.href);
  });

  router.add('GET', '/auth/oidc/callback', async (req, res, _params, url) => {
    const state = url.searchParams.get('state') ?? '';
    const started = pending.get(state);
    pending.delete(state);
    const fail = (reason: string, subject = '') => {
      deps.log.warn('sign-in failed', { reason });
      deps.audit.append({ actor: subject ? `oidc:${subject}` : 'anonymous', action: 'signin', subject: config.issuer, source: sourceOf(req), outcome: 'failed', detail: { reason } });
      redirect(res, `/#/signin-failed?reason=${encodeURIComponent(reason)}`);
    };
    if (!started || Date.now() - started.at > pendingMs) return fail('the sign-in was not started here, or took longer than 10 minutes; sign in again');
    const providerError = url.searchParams.get('error');
    if (providerError) return fail(`the provider refused: ${providerError}${url.searchParams.get('error_description') ? ` (${url.searchParams.get('error_description')})` : ''}`);
    let tokens: client.TokenEndpointResponse & client.TokenEndpointResponseHelpers;
    try {
      const current = new URL(`${started.redirectUri}${url.search}`);
      tokens = await client.authorizationCodeGrant(await discovery.get(), current, {
        pkceCodeVerifier: started.verifier,
        expectedState: state,
        expectedNonce: started.nonce,
        idTokenExpected: true,
      });
    } catch (err) {
      return fail(`the code exchange failed: ${(err as Error).message}`);
    }
    const subject = tokens.claims()?.sub ?? '';
    let signedIn: Awaited<ReturnType<typeof sessionOf>>;
    try {
      signedIn = await sessionOf(tokens);
    } catch (err) {
      return fail((err as Error).message, subject);
    }
    const handoff = randomBytes(24).toString('base64url');
    handoffs.set(handoff, { session: signedIn.session, at: Date.now() });
    deps.log.info('signed in', { subject: signedIn.subject, scopes: signedIn.session.scopes });
    deps.audit.append({
      actor: `oidc:${signedIn.subject}`, action: 'signin', subject: config.issuer, source: sourceOf(req),
      detail: { name: signedIn.session.name, scopes: signedIn.session.scopes },
    });
    redirect(res, `/#/signin/${handoff}`);
  });
}
