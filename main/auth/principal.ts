import type { IncomingMessage } from 'node:http';
import { grants, type Scope } from './scopes';
import type { TokenRecord } from './token-record';

/**
 * Who a request acts as. `anonymous-local` is a request without a token to a loopback-bound
 * host that does not require auth: the local user, trusted with every scope.
 */
export type Principal = { kind: 'token'; token: TokenRecord } | { kind: 'anonymous-local' };

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
  return principal.kind === 'anonymous-local' || grants(principal.token.scopes, scope);
}
