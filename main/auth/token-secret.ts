import { createHash, randomBytes } from 'node:crypto';

export const tokenPrefix = 'ct_';

/** `ct_` + 32 random bytes in base64url (43 characters, no padding). */
const tokenShape = /^ct_[A-Za-z0-9_-]{43}$/;

export function generateToken(): string {
  return tokenPrefix + randomBytes(32).toString('base64url');
}

/**
 * The only form a token is stored in. A plain SHA-256 is enough: the secret has 256 bits of
 * entropy, so there is nothing for a slow password hash to protect against.
 */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Lets the guard reject garbage without touching the database. */
export function isWellFormedToken(text: string): boolean {
  return tokenShape.test(text);
}
