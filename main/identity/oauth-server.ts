import type { IncomingMessage, ServerResponse } from 'node:http';
import Provider, { errors, type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import { scopeNames } from '../auth/scopes';
import type { Logger } from '../base/log';
import type { AuditLog } from '../store/audit-repository';
import type { OAuthRepository } from '../store/oauth-repository';
import { adapterFactory } from './adapter';
import type { ServerKeys } from './keys';
import { OAUTH_PREFIX } from './oauth-paths';

/** The monitor's consent screen; the interaction's uid follows. */
export const CONSENT_PAGE = '/#/oauth/consent/';

export interface OAuthServerOptions {
  /** The host's base URL (its public URL behind a proxy). */
  base: string;
  /** The MCP endpoint's URL, the resource its tokens are for; undefined while it has none. */
  mcpResource: () => string | undefined;
  repo: OAuthRepository;
  audit: Pick<AuditLog, 'append'>;
  log: Logger;
  /** Behind a reverse proxy: believe its X-Forwarded-Proto and Host for the URLs the server builds. */
  behindProxy: boolean;
  /** loadOrCreateKeys's, read before the host listens. */
  keys: ServerKeys;
}

export interface OAuthServer {
  readonly provider: Provider;
  readonly issuer: string;
  /** The resource of the host's own API (A2A, monitor API): tokens asked for without `resource` are for it. */
  readonly apiResource: string;
  /** The scopes a token for `resource` may carry; undefined for a resource this host does not serve. */
  scopesFor(resource: string): readonly string[] | undefined;
  /** Serves a request under OAUTH_PREFIX (or the RFC 8414 metadata path, rewritten to the discovery document). */
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
}

const OIDC_SCOPES = ['openid', 'offline_access'];

const seconds = { minute: 60, hour: 3600, day: 86_400 };

/**
 * The OAuth 2.0 authorization server for apps the user connects (Zapier, MCP clients): the
 * certified oidc-provider, with everything it keeps in SQLite. Authorization code with PKCE
 * (required for every client), refresh tokens rotated on every use, revocation (which ends the
 * app's whole grant), introspection, dynamic client registration (RFC 7591, as the MCP
 * authorization spec asks), resource indicators (RFC 8707) so a token names the one resource it
 * is for (this host's API, or its MCP endpoint), and the consent screen in the monitor.
 */
export function createOAuthServer(options: OAuthServerOptions): OAuthServer {
  const issuer = `${options.base}${OAUTH_PREFIX}`;
  const apiResource = options.base;
  const { keys } = options;

  function scopesFor(resource: string): readonly string[] | undefined {
    if (resource === apiResource) return scopeNames;
    if (resource === options.mcpResource()) return ['mcp'];
    return undefined;
  }

  const configuration: Configuration = {
    adapter: adapterFactory(options.repo),
    jwks: { keys: keys.jwks as never },
    cookies: { keys: keys.cookieKeys },
    findAccount: (_ctx, id) => ({ accountId: id, claims: () => ({ sub: id }) }),
    // Ours are listed too: a client may name them in its registration (MCP clients do), and the
    // consent grants each as well as the resource scope it stands for (consent.ts).
    scopes: [...OIDC_SCOPES, ...scopeNames],
    claims: { openid: ['sub'] },
    clientDefaults: {
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    },
    pkce: { required: () => true },
    // Every client uses the code flow with PKCE; nothing else is offered.
    responseTypes: ['code'],
    features: {
      devInteractions: { enabled: false },
      registration: { enabled: true },
      // An app may revoke, and learn about, only the tokens issued to it: another app's token is
      // refused (revocation) or reported inactive (introspection), whoever registered the caller.
      revocation: {
        enabled: true,
        allowedPolicy: (_ctx, client, token) => {
          if (token.clientId !== client.clientId) throw new errors.InvalidRequest('this token was issued to another app; only that app may revoke it');
          return true;
        },
      },
      introspection: { enabled: true, allowedPolicy: (_ctx, client, token) => token.clientId === client.clientId },
      resourceIndicators: {
        enabled: true,
        defaultResource: (_ctx, _client, oneOf) => oneOf ?? apiResource,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, resource) => {
          const scopes = scopesFor(resource);
          if (!scopes) throw new errors.InvalidTarget(`${resource} is not a resource of this host`);
          return { scope: scopes.join(' '), audience: resource, accessTokenFormat: 'opaque', accessTokenTTL: seconds.hour };
        },
      },
    },
    // An app keeps working until the user revokes it: every code grant gets a refresh token.
    issueRefreshToken: (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    // Rotated on every use; a used one presented again fails (and the grant with it, as the provider treats reuse).
    rotateRefreshToken: true,
    // Revoking any token of an app revokes what it was granted.
    revokeGrantPolicy: () => true,
    interactions: { url: (_ctx, interaction) => `${CONSENT_PAGE}${interaction.uid}` },
    ttl: {
      AccessToken: seconds.hour,
      AuthorizationCode: seconds.minute,
      IdToken: seconds.hour,
      RefreshToken: 30 * seconds.day,
      Interaction: seconds.hour,
      Session: 14 * seconds.day,
      Grant: 365 * seconds.day,
      ClientCredentials: 10 * seconds.minute,
    },
    clientBasedCORS: () => false,
    renderError: (ctx, out) => {
      ctx.type = 'text/plain; charset=utf-8';
      ctx.body = `${out.error}: ${out.error_description ?? ''}`;
    },
  };

  const provider = new Provider(issuer, configuration);
  provider.proxy = options.behindProxy;
  const sourceOf = (ctx: KoaContextWithOIDC) => ctx.req.socket.remoteAddress ?? '';
  provider.on('server_error', (_ctx, err) => options.log.error('authorization server error', { error: (err as Error).stack ?? String(err) }));
  provider.on('registration_create.success', (ctx, client) => {
    options.audit.append({
      actor: 'anonymous', action: 'oauth.client.registered', subject: client.clientId, source: sourceOf(ctx),
      detail: { name: client.clientName ?? null, redirectUris: client.redirectUris ?? [], via: 'dynamic registration' },
    });
  });
  provider.on('grant.revoked', (ctx, grantId) => {
    const clientId = ctx.oidc.client?.clientId ?? null;
    options.audit.append({ actor: clientId ? `oauth:${clientId}` : 'anonymous', action: 'oauth.grant.revoked', subject: grantId, source: sourceOf(ctx), detail: { client: clientId, via: ctx.oidc.route } });
  });

  const callback = provider.callback();
  return {
    provider,
    issuer,
    apiResource,
    scopesFor,
    async handle(req, res) {
      const url = req.url ?? '/';
      const path = url.startsWith(OAUTH_PREFIX) ? url : `${OAUTH_PREFIX}/.well-known/openid-configuration`;
      // The provider reads its mount path off originalUrl, as under an express mount.
      (req as IncomingMessage & { originalUrl?: string }).originalUrl = path;
      req.url = path.slice(OAUTH_PREFIX.length) || '/';
      await callback(req, res);
    },
  };
}
