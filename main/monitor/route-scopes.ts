import type { ScopeRule } from '../auth/route-scopes';

/**
 * The monitor's routes for the guard. The page and its assets hold no data, so they are public
 * (a LAN browser must load the page to be asked for a token); reads need `read`; changing
 * codebases, tokens and settings needs `admin`. The anonymous local user on a loopback host passes all.
 */
export const monitorRouteScopes: readonly ScopeRule[] = [
  { method: 'GET', path: '/', scope: 'public' },
  { method: 'GET', path: '/index.html', scope: 'public' },
  { method: 'GET', path: '/assets/', prefix: true, scope: 'public' },
  { method: 'GET', path: '/api/', prefix: true, scope: 'read' },
  { method: 'GET', path: '/api/codebases', scope: 'read' },
  { path: '/api/codebases', prefix: true, scope: 'admin' },
  { path: '/api/tokens', prefix: true, scope: 'admin' },
  { method: 'PUT', path: '/api/settings', scope: 'admin' },
];
