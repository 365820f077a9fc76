import type { IncomingMessage, ServerResponse } from 'node:http';
import { crossSiteRefusal } from '../http/cross-site';
import { sendError } from '../http/respond';
import { isLoopbackBind, isLoopbackHostHeader } from './loopback';
import type { BearerVerifier } from './bearer';
import { anonymousLocal, setPrincipal } from './principal';
import { publicRules, scopeResolver, type ScopeResolver } from './route-scopes';
import type { LiveTokens } from './live-tokens';
import { grants, type Scope } from './scopes';
import type { TokenStore } from './token-store';
import { tokenPrefix } from './token-secret';
import { verifyToken, type VerifyResult } from './verify';

/** A request the guard turned away, for the log and the (rate-limited) audit log. */
export interface Refusal {
  req: IncomingMessage;
  path: string;
  status: number;
  code: string;
  /** Why, in words; for a token, exactly what was wrong with it. */
  reason: string;
}

export interface GuardOptions {
  tokens: TokenStore;
  /** The address the server binds; loopback decides whether Host is checked and tokens are optional. */
  bindHost: string;
  /** Demand a token on loopback too. A non-loopback bind always demands one. */
  requireAuth: boolean;
  /**
   * Host names accepted on a loopback bind besides the loopback names: the public URL's host,
   * for a reverse proxy that forwards its own Host header. Matched case-insensitively, any port.
   */
  extraHosts?: readonly string[];
  /**
   * Origins (`scheme://host:port`) whose pages may change state here besides the host's own
   * address: the public URL behind a proxy, the desktop app's dev server.
   */
  trustedOrigins?: readonly string[];
  /** Decides trust per origin instead, for an endpoint with an origin policy of its own (MCP's: any loopback page). */
  originTrusted?: (origin: string) => boolean;
  /** Path prefixes that need a token on loopback too, whatever `requireAuth` says. */
  tokenAlways?: readonly string[];
  /**
   * Ties every request made with a token to that token: a revocation or expiry cuts the ones
   * still open (streams, long-polls, blocking sends).
   */
  live?: LiveTokens;
  /** Route -> scope; defaults to the public routes plus 'a2a' for everything else. */
  routeScope?: ScopeResolver;
  /** Checks tokens that are not `ct_` API tokens (OpenID provider, this host's OAuth server), in order. */
  bearers?: readonly BearerVerifier[];
  /** Extra parameters of every Bearer challenge (`resource_metadata="..."` on the MCP endpoint); read per refusal. */
  challenge?: () => string | undefined;
  /** Told of every refusal. */
  onRefused?: (refusal: Refusal) => void;
  now?: () => number;
}

/** Answers and resolves false when it refuses; a plain `ct_` token is decided without a promise. */
export type Guard = (req: IncomingMessage, res: ServerResponse, url: URL) => boolean | Promise<boolean>;

/**
 * The HTTP server's `guard`: DNS-rebinding defence, then no state change from a foreign page,
 * then bearer auth by route scope. Attaches
 * the principal for handlers (see principalOf). Answers and returns false when it refuses.
 * Runs on every request, so everything derivable from options is computed once here.
 */
export function createGuard(options: GuardOptions): Guard {
  const loopback = isLoopbackBind(options.bindHost);
  const tokensRequired = !loopback || options.requireAuth;
  const routeScope = options.routeScope ?? scopeResolver(publicRules);
  const now = options.now ?? Date.now;
  const extraHosts = new Set((options.extraHosts ?? []).map((h) => h.toLowerCase()));
  const tokenAlways = options.tokenAlways ?? [];
  const trustedOrigins = new Set((options.trustedOrigins ?? []).map((o) => o.toLowerCase()));
  const bearers = options.bearers ?? [];
  const realmOf = () => {
    const extra = options.challenge?.();
    return `Bearer realm="codetether"${extra ? `, ${extra}` : ''}`;
  };

  function refuse(req: IncomingMessage, res: ServerResponse, url: URL, status: number, code: string, message: string, headers: Record<string, string> = {}, reason = message): false {
    sendError(res, status, code, message, headers);
    options.onRefused?.({ req, path: url.pathname, status, code, reason });
    return false;
  }

  function refuseToken(req: IncomingMessage, res: ServerResponse, url: URL, result: Exclude<VerifyResult, { ok: true }>): false {
    const realm = realmOf();
    const invalid = { 'www-authenticate': `${realm}, error="invalid_token"` };
    switch (result.reason) {
      case 'missing':
        return refuse(req, res, url, 401, 'unauthorized', 'This route needs a bearer token: send "Authorization: Bearer ct_..." (create one with "codetether token create --name <name>").', { 'www-authenticate': realm }, 'no bearer token');
      case 'invalid':
        return refuse(req, res, url, 401, 'invalid_token', 'The bearer token is not valid.', invalid);
      case 'revoked':
        return refuse(req, res, url, 401, 'token_revoked', 'The bearer token has been revoked.', invalid);
      case 'expired':
        return refuse(req, res, url, 401, 'token_expired', 'The bearer token has expired.', invalid);
      case 'insufficient_scope':
        return insufficient(req, res, url, result.required, result.token.scopes);
    }
  }

  function insufficient(req: IncomingMessage, res: ServerResponse, url: URL, required: string, held: readonly string[]): false {
    return refuse(req, res, url, 403, 'insufficient_scope', `This route needs the "${required}" scope; the token has: ${held.join(', ') || 'none'}.`, {
      'www-authenticate': `${realmOf()}, error="insufficient_scope", scope="${required}"`,
    });
  }

  /** A token of another issuer: each verifier in turn, the first that knows the kind decides. */
  async function external(req: IncomingMessage, res: ServerResponse, url: URL, presented: string, scope: Scope): Promise<boolean> {
    for (const verifier of bearers) {
      let result;
      try {
        result = await verifier.verify(presented);
      } catch (err) {
        return refuse(req, res, url, 503, 'auth_unavailable', `The token could not be checked: ${verifier.name} did not answer (${(err as Error).message}). Try again shortly.`);
      }
      if (result === undefined) continue;
      if (!result.ok) {
        return refuse(req, res, url, 401, result.code, `The bearer token is not accepted: ${result.reason}.`, { 'www-authenticate': `${realmOf()}, error="invalid_token"` }, `${verifier.name}: ${result.reason}`);
      }
      if (!grants(result.identity.scopes, scope)) return insufficient(req, res, url, scope, result.identity.scopes);
      setPrincipal(req, { kind: 'identity', identity: result.identity });
      return true;
    }
    return refuseToken(req, res, url, { ok: false, reason: 'invalid' });
  }

  return (req, res, url) => {
    if (loopback) {
      const host = req.headers.host;
      // A missing Host is not a rebinding attempt: browsers always send one.
      if (host !== undefined && !isLoopbackHostHeader(host) && !(extraHosts.size > 0 && extraHosts.has(hostName(host)))) {
        return refuse(
          req,
          res,
          url,
          403,
          'forbidden_host',
          `Host "${host.slice(0, 100)}" is not allowed: this server listens on loopback and answers only requests addressed to localhost, 127.0.0.1 or [::1] (a defence against DNS rebinding).`,
        );
      }
    }
    if (trustedOrigins.size > 0 && allowTrustedOrigin(req, res, trustedOrigins)) return false;
    const crossSite = crossSiteRefusal(req, options.originTrusted ?? trustedOrigins);
    if (crossSite) {
      return refuse(
        req,
        res,
        url,
        403,
        'forbidden_origin',
        `${crossSite} may not change anything here: only this host's own pages (the monitor it serves) and clients that are not browsers may. Open the monitor at this host's address, or call the API from a program.`,
      );
    }
    const scope = routeScope(req.method ?? 'GET', url.pathname);
    if (scope === 'public') return true;
    const header = req.headers.authorization;
    if (header === undefined && !tokensRequired && !tokenAlways.some((p) => url.pathname.startsWith(p))) {
      setPrincipal(req, anonymousLocal);
      return true;
    }
    const presented = header === undefined ? undefined : bearerToken(header);
    if (presented !== undefined && presented !== '' && !presented.startsWith(tokenPrefix) && bearers.length > 0) {
      return external(req, res, url, presented, scope);
    }
    const result = verifyToken(options.tokens, presented, scope, now());
    if (!result.ok) return refuseToken(req, res, url, result);
    setPrincipal(req, { kind: 'token', token: result.token });
    if (options.live) res.once('close', options.live.hold(result.token, () => res.destroy()));
    return true;
  };
}

/**
 * A page of a trusted origin other than the host's own (the desktop app's dev server) reads
 * responses through CORS: every response names it, and its preflights are answered here.
 * Returns true when the request was a preflight, now answered.
 */
function allowTrustedOrigin(req: IncomingMessage, res: ServerResponse, trusted: ReadonlySet<string>): boolean {
  const origin = req.headers.origin;
  if (origin === undefined || !trusted.has(origin.toLowerCase())) return false;
  res.setHeader('access-control-allow-origin', origin);
  res.setHeader('vary', 'Origin');
  if (req.method !== 'OPTIONS' || req.headers['access-control-request-method'] === undefined) return false;
  res.writeHead(204, {
    'access-control-allow-methods': 'GET, POST, PUT, DELETE',
    'access-control-allow-headers': 'authorization, content-type, last-event-id, a2a-version',
    'access-control-max-age': '600',
  });
  res.end();
  return true;
}

/** The name part of a Host header, lower-cased, without its port. */
function hostName(header: string): string {
  const h = header.toLowerCase();
  const colon = h.lastIndexOf(':');
  return colon > h.lastIndexOf(']') ? h.slice(0, colon) : h;
}

/** The credential of `Bearer <token>`; an empty string (invalid) for any other scheme. */
function bearerToken(header: string): string {
  return header.length > 7 && header.slice(0, 7).toLowerCase() === 'bearer ' ? header.slice(7).trim() : '';
}
