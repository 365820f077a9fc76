import type { BearerResult, BearerVerifier } from '../auth/bearer';
import { isScope } from '../auth/scopes';
import type { OAuthServer } from './oauth-server';

const jwtShape = /^[^.]+\.[^.]+\.[^.]*$/;

/**
 * The access tokens this host's authorization server issued, accepted where they were issued
 * for: a token for the MCP endpoint does not open the API, nor the reverse (RFC 8707 audience).
 * Looked up in the store on every request, so a revoked app is refused at once.
 */
export function issuedTokenVerifier(server: () => OAuthServer | Promise<OAuthServer> | undefined, audience: () => string | undefined): BearerVerifier {
  return {
    name: "this host's authorization server",
    async verify(token): Promise<BearerResult | undefined> {
      if (jwtShape.test(token)) return undefined;
      const as = await server();
      if (!as) return undefined;
      const found = await as.provider.AccessToken.find(token);
      if (!found?.clientId || !found.accountId) return undefined;
      const expected = audience();
      const aud = [found.aud ?? []].flat();
      if (!expected || !aud.includes(expected)) {
        return { ok: false, code: 'invalid_token', reason: `it was issued for ${aud.join(', ') || 'no resource'}, not for ${expected ?? 'this endpoint'}` };
      }
      if (found.isExpired) return { ok: false, code: 'token_expired', reason: 'it has expired' };
      const client = await as.provider.Client.find(found.clientId);
      return {
        ok: true,
        identity: {
          via: 'oauth',
          actor: `oauth:${found.clientId}:${found.accountId}`,
          subject: found.accountId,
          name: client?.clientName ?? found.clientId,
          clientId: found.clientId,
          scopes: (found.scope ?? '').split(' ').filter(isScope),
          ...(found.exp ? { expiresAt: found.exp * 1000 } : {}),
        },
      };
    },
  };
}
