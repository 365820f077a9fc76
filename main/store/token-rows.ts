import type { StoredToken } from './store-engine';

/** The tokens table's row, as both engines read it. */
export interface TokenTableRow {
  id: string;
  name: string;
  scopes: string;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
  expires_at: number | null;
}

export const tokenColumns = 'id, name, scopes, created_at, last_used_at, revoked_at, expires_at';

export function tokenFromRow(r: TokenTableRow): StoredToken {
  return {
    id: r.id, name: r.name, scopes: JSON.parse(r.scopes) as string[], createdAt: r.created_at,
    lastUsedAt: r.last_used_at, revokedAt: r.revoked_at, expiresAt: r.expires_at,
  };
}
