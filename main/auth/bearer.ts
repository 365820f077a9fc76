import type { Identity } from './principal';

/** What a verifier says about a token it recognised as its own kind. */
export type BearerResult =
  | { ok: true; identity: Identity }
  /** `reason` says exactly why (wrong issuer, audience, expired, bad signature, another client), for the log and the 401. */
  | { ok: false; code: 'invalid_token' | 'token_expired' | 'token_revoked'; reason: string };

/**
 * Checks bearer tokens that are not this host's own `ct_` API tokens: an OpenID provider's
 * access tokens, or those this host's authorization server issued. `undefined`: not a token of
 * this verifier's kind, so the next one is asked.
 */
export interface BearerVerifier {
  readonly name: string;
  verify(token: string): Promise<BearerResult | undefined>;
}
