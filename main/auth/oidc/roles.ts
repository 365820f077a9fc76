import type { OidcConfig } from '../../base/config-schema';
import { isScope, type Scope } from '../scopes';

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/**
 * Every role and group a provider's token names: `roles`, `groups` (a leading `/` of Keycloak's
 * group paths dropped), Keycloak's `realm_access.roles` and `resource_access.<clientId>.roles`.
 */
export function rolesOf(claims: Record<string, unknown>, clientId: string): string[] {
  const realm = (claims.realm_access ?? {}) as { roles?: unknown };
  const resource = ((claims.resource_access ?? {}) as Record<string, { roles?: unknown }>)[clientId] ?? {};
  const groups = strings(claims.groups).map((g) => g.replace(/^\//, ''));
  return [...new Set([...strings(claims.roles), ...groups, ...strings(realm.roles), ...strings(resource.roles)])];
}

/** The scopes `scopesToRoles` gives these roles; none for a role it does not name. */
export function scopesForRoles(roles: readonly string[], config: Pick<OidcConfig, 'scopesToRoles'>): Scope[] {
  const out = new Set<Scope>();
  for (const role of roles) for (const scope of config.scopesToRoles[role] ?? []) if (isScope(scope)) out.add(scope);
  return [...out];
}
