import type { ScopeRule } from '../auth/route-scopes';

/**
 * Email's routes for the guard. Inbound webhooks are public: a mail provider holds no token of
 * ours, and each route checks its own signature. The settings read with `read`; saving and the
 * test (which sends a mail) need `admin`.
 */
export const emailRouteScopes: readonly ScopeRule[] = [
  { method: 'POST', path: '/email/inbound', prefix: true, scope: 'public' },
  { method: 'GET', path: '/api/email', scope: 'read' },
  { path: '/api/email', prefix: true, scope: 'admin' },
];
