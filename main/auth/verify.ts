import { grants, type Scope } from './scopes';
import type { TokenRecord } from './token-record';
import type { TokenStore } from './token-store';
import { hashToken, isWellFormedToken } from './token-secret';

export type VerifyFailure = 'missing' | 'invalid' | 'revoked' | 'expired';

export type VerifyResult =
  | { ok: true; token: TokenRecord }
  | { ok: false; reason: VerifyFailure }
  | { ok: false; reason: 'insufficient_scope'; token: TokenRecord; required: Scope };

/** last_used_at is written at most this often per token, so a busy client costs no write per request. */
export const lastUsedResolutionMs = 60_000;

/**
 * Checks a presented token (`undefined` when none was sent) against the store and a required
 * scope. The lookup is by SHA-256 of the input, so timing reveals nothing about stored secrets.
 * Reads the row on every call: a revocation by another process applies to the next request.
 */
export function verifyToken(tokens: TokenStore, presented: string | undefined, required: Scope, now = Date.now()): VerifyResult {
  if (presented === undefined) return { ok: false, reason: 'missing' };
  if (!isWellFormedToken(presented)) return { ok: false, reason: 'invalid' };
  const token = tokens.findByHash(hashToken(presented));
  if (!token) return { ok: false, reason: 'invalid' };
  if (token.revokedAt !== null) return { ok: false, reason: 'revoked' };
  if (token.expiresAt !== null && token.expiresAt <= now) return { ok: false, reason: 'expired' };
  if (!grants(token.scopes, required)) return { ok: false, reason: 'insufficient_scope', token, required };
  if (token.lastUsedAt === null || now - token.lastUsedAt >= lastUsedResolutionMs) {
    try {
      tokens.markUsed(token.id, now);
      token.lastUsedAt = now;
    } catch {
      // last_used_at is advisory: a database busy with another writer must not fail the request.
    }
  }
  return { ok: true, token };
}
