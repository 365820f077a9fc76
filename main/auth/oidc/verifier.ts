import { createHash } from 'node:crypto';
import { createRemoteJWKSet, decodeJwt, errors, jwtVerify, type JWTPayload } from 'jose';
import * as client from 'openid-client';
import type { BearerResult, BearerVerifier } from '../bearer';
import type { Identity } from '../principal';
import type { OidcDiscovery } from './discovery';
import { rolesOf, scopesForRoles } from './roles';

export interface OidcVerifierOptions {
  /**
   * After a JWKS fetch, how long no other may happen: a token with an unknown `kid` makes the
   * set be fetched again (the provider rotated its keys), but a flood of such tokens costs at
   * most one fetch per this interval.
   */
  jwksCooldownMs?: number;
  /** How long an opaque token's introspection answer is reused, at most (never past its `exp`). */
  introspectionCacheMs?: number;
}

const jwtShape = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;
/** Asymmetric algorithms only: an HS256 token would be signed with a secret others hold too. */
const algorithms = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];
const cacheLimit = 1000;

const refused = (reason: string, code: 'invalid_token' | 'token_expired' = 'invalid_token'): BearerResult => ({ ok: false, code, reason });

function audiences(aud: unknown): string[] {
  return typeof aud === 'string' ? [aud] : Array.isArray(aud) ? aud.filter((a): a is string => typeof a === 'string') : [];
}

/**
 * The OpenID provider's access tokens on this host's API: a JWT is verified against the
 * issuer's JWKS with `iss`, `aud` and `exp` pinned and the client it was issued to checked; an
 * opaque token is asked about at the provider's introspection endpoint (a confidential client
 * only). Every refusal names its reason. Roles and groups become scopes through `scopesToRoles`.
 */
export function createOidcVerifier(discovery: OidcDiscovery, options: OidcVerifierOptions = {}): BearerVerifier {
  const { config } = discovery;
  const audience = config.audience ?? config.clientId;
  const introspectionMs = options.introspectionCacheMs ?? 30_000;
  let jwks: ReturnType<typeof createRemoteJWKSet> | undefined;
  const introspected = new Map<string, { result: BearerResult; until: number }>();

  async function keySet() {
    if (jwks) return jwks;
    const metadata = (await discovery.get()).serverMetadata();
    if (!metadata.jwks_uri) throw new Error(`${config.issuer} publishes no jwks_uri`);
    jwks = createRemoteJWKSet(new URL(metadata.jwks_uri), { cooldownDuration: options.jwksCooldownMs ?? 30_000, cacheMaxAge: 10 * 60_000, timeoutDuration: 10_000 });
    return jwks;
  }

  function identityOf(claims: JWTPayload & Record<string, unknown>): BearerResult {
    if (typeof claims.sub !== 'string' || claims.sub === '') return refused('the token names no subject (sub)');
    const issuedTo = typeof claims.azp === 'string' ? claims.azp : typeof claims.client_id === 'string' ? claims.client_id : undefined;
    if (issuedTo !== undefined && issuedTo !== config.clientId) return refused(`it was issued to client "${issuedTo}", not to "${config.clientId}"`);
    const name = [claims.preferred_username, claims.email, claims.name].find((v): v is string => typeof v === 'string') ?? claims.sub;
    const identity: Identity = {
      via: 'oidc',
      actor: `oidc:${claims.sub}`,
      subject: claims.sub,
      name,
      clientId: issuedTo ?? config.clientId,
      scopes: scopesForRoles(rolesOf(claims, config.clientId), config),
      ...(typeof claims.exp === 'number' ? { expiresAt: claims.exp * 1000 } : {}),
    };
    return { ok: true, identity };
  }

  async function verifyJwt(token: string): Promise<BearerResult | undefined> {
    let unverified: JWTPayload;
    try {
      unverified = decodeJwt(token);
    } catch {
      return undefined;
    }
    // Another issuer's token is refused before anything is fetched for it.
    if (unverified.iss !== config.issuer) return refused(`it was issued by "${String(unverified.iss)}", not by the configured issuer "${config.issuer}"`);
    try {
      const { payload } = await jwtVerify(token, await keySet(), { issuer: config.issuer, audience, algorithms, requiredClaims: ['exp'] });
      return identityOf(payload);
    } catch (err) {
      if (err instanceof errors.JWTExpired) return refused(`it expired at ${new Date(Number(err.payload.exp) * 1000).toISOString()}`, 'token_expired');
      if (err instanceof errors.JWTClaimValidationFailed) {
        if (err.claim === 'aud') return refused(`its audience is ${JSON.stringify(audiences(err.payload.aud))}, not "${audience}"`);
        return refused(`its "${err.claim}" claim is not acceptable (${err.reason})`);
      }
      if (err instanceof errors.JWSSignatureVerificationFailed) return refused('its signature does not verify against the issuer\'s keys');
      if (err instanceof errors.JWKSNoMatchingKey) return refused('it is signed with a key the issuer does not publish');
      if (err instanceof errors.JOSEAlgNotAllowed) return refused('it is signed with an algorithm this host does not accept');
      if (err instanceof errors.JOSEError && !(err instanceof errors.JWKSTimeout) && !(err instanceof errors.JWKSInvalid)) return refused(`it is malformed (${err.message})`);
      throw err;
    }
  }

  async function introspect(token: string): Promise<BearerResult | undefined> {
    const key = createHash('sha256').update(token).digest('hex');
    const now = Date.now();
    const cached = introspected.get(key);
    if (cached && cached.until > now) return cached.result;
    const configuration = await discovery.get();
    if (!config.clientSecret || !configuration.serverMetadata().introspection_endpoint) return undefined;
    const answer = await client.tokenIntrospection(configuration, token);
    let result: BearerResult;
    if (!answer.active) result = refused('the provider says it is not active (expired, revoked or unknown)');
    else if (answer.iss !== undefined && answer.iss !== config.issuer) result = refused(`it was issued by "${answer.iss}", not by "${config.issuer}"`);
    else if (answer.aud !== undefined && !audiences(answer.aud).includes(audience)) result = refused(`its audience is ${JSON.stringify(audiences(answer.aud))}, not "${audience}"`);
    else result = identityOf(answer as unknown as JWTPayload & Record<string, unknown>);
    const until = Math.min(now + introspectionMs, typeof answer.exp === 'number' ? answer.exp * 1000 : Infinity);
    if (introspected.size >= cacheLimit) introspected.clear();
    introspected.set(key, { result, until });
    return result;
  }

  return {
    name: `OpenID provider ${config.issuer}`,
    verify: (token) => (jwtShape.test(token) ? verifyJwt(token) : introspect(token)),
  };
}
