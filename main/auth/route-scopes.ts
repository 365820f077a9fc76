import type { Scope } from './scopes';

/** What a route needs: a scope, or nothing at all. */
export type RouteScope = Scope | 'public';

export interface ScopeRule {
  /** Omitted: any method. HEAD is looked up as GET. */
  method?: string;
  path: string;
  /** Matches every path that starts with `path`; longer prefixes win. */
  prefix?: boolean;
  scope: RouteScope;
}

export type ScopeResolver = (method: string, path: string) => RouteScope;

/** The routes anyone may call, also on a LAN-bound host. */
export const publicRules: readonly ScopeRule[] = [
  { method: 'GET', path: '/.well-known/agent-card.json', scope: 'public' },
  { method: 'GET', path: '/healthz', scope: 'public' },
  // A webhook receiver fetches the key to verify our signatures; it holds no token of ours.
  { method: 'GET', path: '/.well-known/codetether-push-key', scope: 'public' },
];

/** The remote worker protocol. A worker acts for another machine, never as the local user. */
export const workerRules: readonly ScopeRule[] = [{ path: '/workers/', prefix: true, scope: 'worker' }];

/** Paths that need a token even where loopback lets the local user in without one. */
export const tokenAlwaysPrefixes: readonly string[] = ['/workers/'];

/**
 * Builds the guard's route -> scope lookup from rules; a route no rule names needs `fallback`.
 * Exact rules are one map lookup, so the common case costs no scan.
 */
export function scopeResolver(rules: readonly ScopeRule[], fallback: Scope = 'a2a'): ScopeResolver {
  const exact = new Map<string, RouteScope>();
  for (const rule of rules) if (!rule.prefix) exact.set(`${rule.method ?? '*'} ${rule.path}`, rule.scope);
  const prefixes = rules.filter((r) => r.prefix).sort((a, b) => b.path.length - a.path.length);
  return (method, path) => {
    const m = method === 'HEAD' ? 'GET' : method;
    const hit = exact.get(`${m} ${path}`) ?? exact.get(`* ${path}`);
    if (hit !== undefined) return hit;
    for (const rule of prefixes) {
      if ((rule.method === undefined || rule.method === m) && path.startsWith(rule.path)) return rule.scope;
    }
    return fallback;
  };
}
