import { randomBytes } from 'node:crypto';
import type { OAuthClientInfo } from '../../shared/identity-api';
import { isLoopbackHostHeader } from '../auth/loopback';
import type { OAuthRepository } from '../store/oauth-repository';

export interface NewClient {
  name: string;
  redirectUris: string[];
  /** A server-side app that keeps a secret (Zapier); false for a public client (PKCE only). */
  confidential: boolean;
}

export type AddClientResult = { ok: true; clientId: string; clientSecret?: string } | { ok: false; error: string };

/**
 * Why a redirect URI cannot be registered, or undefined when it can: an absolute https URL, or
 * http on this machine (a native app's loopback listener), with no fragment (RFC 6749 3.1.2).
 */
export function redirectUriProblem(uri: string): string | undefined {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return `"${uri}" is not an absolute URL`;
  }
  if (url.hash) return `"${uri}" has a fragment (#...), which a redirect URI may not have`;
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:' && isLoopbackHostHeader(url.host)) return undefined;
  return `"${uri}" must use https (plain http only for 127.0.0.1, [::1] or localhost)`;
}

/**
 * Registers an app by hand (`codetether oauth client add`): what an app that cannot register
 * itself needs, a client id and (for a confidential one) a secret, shown once. Stored where the
 * authorization server finds it, so a running host knows the client at once.
 */
export function addClient(repo: OAuthRepository, input: NewClient, now = Date.now()): AddClientResult {
  const name = input.name.trim();
  if (!name || name.length > 100) return { ok: false, error: 'the name must be 1 to 100 characters' };
  if (input.redirectUris.length === 0) return { ok: false, error: 'at least one redirect URI is required' };
  for (const uri of input.redirectUris) {
    const problem = redirectUriProblem(uri);
    if (problem) return { ok: false, error: problem };
  }
  const clientId = `ct-app-${randomBytes(9).toString('base64url')}`;
  const clientSecret = input.confidential ? randomBytes(32).toString('base64url') : undefined;
  repo.upsert('Client', clientId, {
    client_id: clientId,
    ...(clientSecret ? { client_secret: clientSecret, client_secret_expires_at: 0 } : {}),
    client_id_issued_at: Math.floor(now / 1000),
    client_name: name,
    redirect_uris: input.redirectUris,
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    token_endpoint_auth_method: clientSecret ? 'client_secret_basic' : 'none',
  }, null);
  return { ok: true, clientId, ...(clientSecret ? { clientSecret } : {}) };
}

export function listClients(repo: OAuthRepository): OAuthClientInfo[] {
  return repo.list('Client').map(({ id, payload }) => ({
    id,
    name: typeof payload.client_name === 'string' ? payload.client_name : id,
    redirectUris: Array.isArray(payload.redirect_uris) ? payload.redirect_uris.map(String) : [],
    confidential: payload.token_endpoint_auth_method !== 'none',
    createdAt: typeof payload.client_id_issued_at === 'number' ? new Date(payload.client_id_issued_at * 1000).toISOString() : null,
  }));
}
