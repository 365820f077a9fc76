import type { ConsentRequest } from '../../shared/identity-api';
import { scopeNames, type Scope } from '../auth/scopes';
import { HttpError } from '../http/errors';
import type { OAuthServer } from './oauth-server';

/** Who answers a consent request: the account the grant belongs to, and the scopes that person holds. */
export interface Approver {
  account: string;
  scopes: readonly Scope[];
}

const oidcScopes = new Set(['openid', 'offline_access']);

/** What a resource asks for when the app names no scope of ours: the least that is useful there. */
function defaultScopes(server: OAuthServer, resource: string): string[] {
  return resource === server.apiResource ? ['read'] : ['mcp'];
}

async function interactionOf(server: OAuthServer, uid: string) {
  const interaction = await server.provider.Interaction.find(uid);
  if (!interaction) throw new HttpError(404, 'not_found', 'This sign-in request is unknown or has expired; start again from the app.');
  return interaction;
}

function resourcesOf(server: OAuthServer, params: Record<string, unknown>): string[] {
  const named = params.resource;
  const list = named === undefined ? [server.apiResource] : Array.isArray(named) ? named.map(String) : [String(named)];
  return [...new Set(list)];
}

function label(server: OAuthServer, resource: string): string {
  return resource === server.apiResource ? 'this host (tasks, sessions, settings by scope)' : 'the MCP endpoint (your IDE tools)';
}

/** The resources and scopes a request asks for, each scope limited to what its resource serves. */
function requested(server: OAuthServer, params: Record<string, unknown>): { resource: string; scopes: string[] }[] {
  const asked = String(params.scope ?? '').split(' ').filter(Boolean);
  return resourcesOf(server, params).map((resource) => {
    const served = server.scopesFor(resource) ?? [];
    const scopes = asked.filter((s) => served.includes(s));
    return { resource, scopes: scopes.length ? scopes : defaultScopes(server, resource) };
  });
}

/** The consent screen's view of a pending authorization request. */
export async function describeConsent(server: OAuthServer, uid: string, approver: Approver): Promise<ConsentRequest> {
  const interaction = await interactionOf(server, uid);
  const params = interaction.params as Record<string, unknown>;
  const client = await server.provider.Client.find(String(params.client_id));
  if (!client) throw new HttpError(404, 'not_found', `The app "${String(params.client_id)}" is not registered here.`);
  const resources = requested(server, params);
  const notHeld = [...new Set(resources.flatMap((r) => r.scopes))].filter((s) => !approver.scopes.includes(s as Scope));
  return {
    uid,
    client: { id: client.clientId, name: client.clientName ?? client.clientId, uri: client.clientUri ?? null },
    redirectUri: String(params.redirect_uri ?? ''),
    resources: resources.map((r) => ({ ...r, label: label(server, r.resource) })),
    notHeld,
    account: approver.account,
    expiresAt: new Date(interaction.exp * 1000).toISOString(),
  };
}

export interface ConsentOutcome {
  redirectTo: string;
  clientId: string;
  granted: { resource: string; scopes: string[] }[];
}

/**
 * Answers a pending request: approval grants what was asked, limited to the scopes the approver
 * holds (nobody can hand an app more than they have), signs the approver in as the grant's
 * account, and sends the browser back to the authorization server; a refusal tells the app
 * access_denied.
 */
export async function answerConsent(server: OAuthServer, uid: string, approver: Approver, approve: boolean): Promise<ConsentOutcome> {
  const interaction = await interactionOf(server, uid);
  const params = interaction.params as Record<string, unknown>;
  const clientId = String(params.client_id);
  const ttl = Math.max(1, interaction.exp - Math.floor(Date.now() / 1000));
  if (!approve) {
    interaction.result = { error: 'access_denied', error_description: 'The user did not allow access.' };
    await interaction.save(ttl);
    return { redirectTo: interaction.returnTo, clientId, granted: [] };
  }
  const granted = requested(server, params).map((r) => ({ resource: r.resource, scopes: r.scopes.filter((s) => approver.scopes.includes(s as Scope)) }));
  if (granted.every((r) => r.scopes.length === 0)) {
    throw new HttpError(403, 'insufficient_scope', `You hold none of the scopes this app asks for (${requested(server, params).flatMap((r) => r.scopes).join(', ')}), so you cannot grant them.`);
  }
  const { Grant } = server.provider;
  const existing = interaction.grantId ? await Grant.find(interaction.grantId) : undefined;
  const grant = existing && existing.accountId === approver.account ? existing : new Grant({ accountId: approver.account, clientId });
  // The provider counts every scope it knows as an OpenID scope too, so what was granted on a resource is granted there as well.
  const held = new Set(granted.flatMap((r) => r.scopes));
  const oidc = String(params.scope ?? '').split(' ').filter((s) => oidcScopes.has(s) || held.has(s));
  if (oidc.length) grant.addOIDCScope(oidc.join(' '));
  // What the approver does not hold is refused, not left pending: the provider would ask again forever.
  const refused = String(params.scope ?? '').split(' ').filter((s) => (scopeNames as readonly string[]).includes(s) && !held.has(s));
  if (refused.length) grant.rejectOIDCScope(refused.join(' '));
  for (const r of granted) if (r.scopes.length) grant.addResourceScope(r.resource, r.scopes.join(' '));
  const grantId = await grant.save();
  interaction.result = { login: { accountId: approver.account }, consent: { grantId } };
  await interaction.save(ttl);
  return { redirectTo: interaction.returnTo, clientId, granted: granted.filter((r) => r.scopes.length) };
}
