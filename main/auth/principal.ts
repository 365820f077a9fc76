import type { IncomingMessage } from 'node:http';
import { grants, scopeNames, type Scope } from './scopes';
import type { TokenRecord } from './token-record';

/**
 * Who a request acts as. `anonymous-local` is a request without a token to a loopback-bound
 * host that does not require auth: the local user, trusted with every scope.
 */
export type Principal = { kind: 'token'; token: TokenRecord } | { kind: 'anonymous-local' } | { kind: 'identity'; identity: Identity };

/**
 * A caller known through a token someone else issued: an OpenID provider's (`oidc`, a person
 * signed in through the team's IdP) or this host's own authorization server's (`oauth`, an app
 * the user connected). Its scopes come from the provider's roles or from the user's consent.
 */
export interface Identity {
  via: 'oidc' | 'oauth';
  /** The audit log's actor: `oidc:<subject>` or `oauth:<client>:<account>`. */
  actor: string;
  subject: string;
  /** What to call it in a list: the user's name or e-mail, or the app's name. */
  name: string;
  /** The client the token was issued to. */
  clientId: string;
  scopes: Scope[];
  /** When the token stops working (epoch ms), when known. */
  expiresAt?: number;
}

export const anonymousLocal: Principal = Object.freeze({ kind: 'anonymous-local' });

const principals = new WeakMap<IncomingMessage, Principal>();

export function setPrincipal(req: IncomingMessage, principal: Principal): void {
  principals.set(req, principal);
}

/** The principal the guard attached; undefined on public routes, where the guard checks nothing. */
export function principalOf(req: IncomingMessage): Principal | undefined {
  return principals.get(req);
}

export function principalGrants(principal: Principal, scope: Scope): boolean {
  if (principal.kind === 'anonymous-local') return true;
  return grants(principal.kind === 'token' ? principal.token.scopes : principal.identity.scopes, scope);
}

/** Every scope a principal holds; the local user holds them all. */
export function principalScopes(principal: Principal): Scope[] {
  if (principal.kind === 'anonymous-local') return [...scopeNames];
  const held = principal.kind === 'token' ? principal.token.scopes : principal.identity.scopes;
  return scopeNames.filter((s) => grants(held, s));
}
