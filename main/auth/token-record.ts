import type { Scope } from './scopes';

/** A token as stored, minus its hash. Times are epoch milliseconds. */
export interface TokenRecord {
  id: string;
  name: string;
  scopes: Scope[];
  createdAt: number;
  lastUsedAt: number | null;
  revokedAt: number | null;
  expiresAt: number | null;
}
