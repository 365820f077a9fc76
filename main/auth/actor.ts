import type { IncomingMessage } from 'node:http';
import { principalOf, type Principal } from './principal';

/** Who and from where, as the audit log records an action. */
export interface AuditContext {
  actor: string;
  source: string;
}

/** The audit log's actor for a principal: `local`, `token:<id>`, `oidc:<subject>`, `oauth:<client>:<account>`. */
export function actorOf(principal: Principal | undefined): string {
  if (!principal || principal.kind === 'anonymous-local') return 'local';
  return principal.kind === 'token' ? `token:${principal.token.id}` : principal.identity.actor;
}

/**
 * The client's address as this server saw it. A proxy's X-Forwarded-For is not believed: any
 * client can send one, and the log must not record an address someone chose.
 */
export function sourceOf(req: IncomingMessage): string {
  return req.socket.remoteAddress ?? '';
}

export function auditContext(req: IncomingMessage): AuditContext {
  return { actor: actorOf(principalOf(req)), source: sourceOf(req) };
}
