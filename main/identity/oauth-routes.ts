import { z } from 'zod';
import type { ConsentAnswer, ConsentResult, OAuthGrantInfo } from '../../shared/identity-api';
import type { MonitorRoutes } from '../../shared/monitor-routes';
import { auditContext, actorOf } from '../auth/actor';
import { principalOf, principalScopes } from '../auth/principal';
import type { ScopeRule } from '../auth/route-scopes';
import { HttpError } from '../http/errors';
import { bodySchema, readBodyAs } from '../http/request';
import type { Router } from '../http/router';
import { typedRoutes } from '../http/typed-routes';
import type { AuditLog } from '../store/audit-repository';
import type { OAuthRepository } from '../store/oauth-repository';
import { listClients } from './clients';
import { answerConsent, describeConsent, type Approver } from './consent';
import { OAUTH_PREFIX } from './oauth-paths';
import type { OAuthServer } from './oauth-server';

/** RFC 8414's place for the metadata of the issuer `<base>/oauth`. */
export const AS_METADATA_PATH = `/.well-known/oauth-authorization-server${OAUTH_PREFIX}`;

/**
 * The guard's rules for identity's routes. The authorization server's own endpoints are public:
 * each authenticates its caller itself (client secret, PKCE, the token presented); the host's
 * guard still checks Host and refuses state changes from foreign pages in front of them.
 * Consent needs only a signed-in caller (what it grants is limited to their scopes); the apps
 * and grants need admin.
 */
export const identityRouteScopes: readonly ScopeRule[] = [
  { path: `${OAUTH_PREFIX}/`, prefix: true, scope: 'public' },
  { method: 'GET', path: AS_METADATA_PATH, scope: 'public' },
  { path: '/auth/oidc', prefix: true, scope: 'public' },
  { path: '/api/oauth/consent/', prefix: true, scope: 'read' },
  { path: '/api/oauth/', prefix: true, scope: 'admin' },
];

const answerBody = bodySchema<ConsentAnswer>()(z.object({ approve: z.boolean({ error: 'must be true (allow) or false (deny)' }) }).strict());

export interface OAuthRouteDeps {
  /** Undefined until the host listens (the issuer names its port). */
  /** The server, or its loading (oidc-provider loads after listen); undefined before listen. */
  server: () => OAuthServer | Promise<OAuthServer> | undefined;
  repo: OAuthRepository;
  audit: Pick<AuditLog, 'append'>;
  bodyLimit: number;
}

function approverOf(req: Parameters<typeof principalOf>[0]): Approver {
  const principal = principalOf(req) ?? { kind: 'anonymous-local' as const };
  return { account: actorOf(principal), scopes: principalScopes(principal) };
}

async function serverOf(deps: OAuthRouteDeps): Promise<OAuthServer> {
  const server = await deps.server();
  if (!server) throw new HttpError(503, 'unavailable', 'The authorization server is starting; try again in a moment.');
  return server;
}

/**
 * The authorization server under /oauth (and its RFC 8414 metadata), the monitor's consent
 * screen API, and the list of connected apps with revocation.
 */
export function addOAuthRoutes(router: Router, deps: OAuthRouteDeps): void {
  const mounted = (req: Parameters<OAuthServer['handle']>[0], res: Parameters<OAuthServer['handle']>[1]) => serverOf(deps).then((server) => server.handle(req, res));
  router.fallback(OAUTH_PREFIX, mounted);
  router.add('GET', AS_METADATA_PATH, mounted);

  const route = typedRoutes<MonitorRoutes>(router);
  const noStore = { 'cache-control': 'no-store' };

  route('GET /api/oauth/consent/{uid}', async (req, { uid }) => ({ body: await describeConsent(await serverOf(deps), uid!, approverOf(req)), headers: noStore }));

  route('POST /api/oauth/consent/{uid}', async (req, { uid }) => {
    const { approve } = await readBodyAs(req, deps.bodyLimit, answerBody);
    const outcome = await answerConsent(await serverOf(deps), uid!, approverOf(req), approve);
    deps.audit.append({
      ...auditContext(req), action: 'oauth.grant', subject: outcome.clientId, outcome: approve ? 'ok' : 'refused',
      detail: approve ? { granted: outcome.granted } : { reason: 'the user did not allow access' },
    });
    const result: ConsentResult = { redirectTo: outcome.redirectTo };
    return { body: result, headers: noStore };
  });

  route('GET /api/oauth/clients', () => ({ body: listClients(deps.repo) }));

  route('GET /api/oauth/grants', () => ({ body: listGrants(deps.repo) }));

  route('POST /api/oauth/grants/{id}:revoke', (req, { id }) => {
    if (!deps.repo.find('Grant', id!)) throw new HttpError(404, 'not_found', `No grant with id "${id}".`);
    revokeGrant(deps.repo, id!);
    deps.audit.append({ ...auditContext(req), action: 'oauth.grant.revoked', subject: id!, detail: { via: 'monitor' } });
    return { body: { revoked: id! } };
  });
}

/** Ends a grant: its tokens and codes, then the grant itself. */
export function revokeGrant(repo: OAuthRepository, grantId: string): void {
  repo.revokeByGrantId(grantId);
  repo.destroy('Grant', grantId);
}

export function listGrants(repo: OAuthRepository): OAuthGrantInfo[] {
  const names = new Map(listClients(repo).map((c) => [c.id, c.name]));
  return repo.list('Grant').map(({ id, payload, expiresAt }) => {
    const resources = Object.entries((payload.resources ?? {}) as Record<string, string>).map(([resource, scope]) => ({ resource, scopes: scope.split(' ').filter(Boolean) }));
    const clientId = String(payload.clientId ?? '');
    return { id, clientId, clientName: names.get(clientId) ?? clientId, account: String(payload.accountId ?? ''), resources, expiresAt: expiresAt === null ? null : new Date(expiresAt).toISOString() };
  });
}
