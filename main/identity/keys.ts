import { randomBytes } from 'node:crypto';
import { exportJWK, generateKeyPair } from 'jose';
import type { OAuthRepository } from '../store/oauth-repository';

export interface ServerKeys {
  /** Private signing JWKs (ID tokens, JWT responses), newest last. */
  jwks: Record<string, unknown>[];
  /** Secrets that sign the authorization server's cookies. */
  cookieKeys: string[];
}

const cookieKid = 'cookies';

/**
 * The authorization server's keys, made on first start and kept in the database: a restart must
 * not invalidate the ID tokens and cookies already handed out.
 */
export async function loadOrCreateKeys(repo: OAuthRepository): Promise<ServerKeys> {
  let stored = repo.keys();
  if (!stored.some((k) => k.kid === cookieKid)) {
    repo.addKey(cookieKid, { kid: cookieKid, kty: 'oct', k: randomBytes(32).toString('base64url') });
  }
  if (!stored.some((k) => k.kty === 'RSA')) {
    const { privateKey } = await generateKeyPair('RS256', { extractable: true });
    const kid = randomBytes(12).toString('base64url');
    repo.addKey(kid, { ...(await exportJWK(privateKey)), kid, alg: 'RS256', use: 'sig' });
  }
  stored = repo.keys();
  return {
    jwks: stored.filter((k) => k.kty !== 'oct'),
    cookieKeys: stored.filter((k) => k.kty === 'oct').map((k) => String(k.k)),
  };
}
