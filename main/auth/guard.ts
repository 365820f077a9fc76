import type { IncomingMessage, ServerResponse } from 'node:http';
import { crossSiteRefusal } from '../http/cross-site';
import { sendError } from '../http/respond';
import { isLoopbackBind, isLoopbackHostHeader } from './loopback';
import { anonymousLocal, setPrincipal } from './principal';
import { publicRules, scopeResolver, type ScopeResolver } from './route-scopes';
import type { LiveTokens } from './live-tokens';
import type { TokenStore } from './token-store';
import { verifyToken, type VerifyResult } from './verify';

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
  now?: () => number;
}

export type Guard = (req: IncomingMessage, res: ServerResponse, url: URL) => boolean;

const realm = 'Bearer realm="codetether"';

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

  return (req, res, url) => {
    if (loopback) {
      const host = req.headers.host;
      // A missing Host is not a rebinding attempt: browsers always send one.
      if (host !== undefined && !isLoopbackHostHeader(host) && !(extraHosts.size > 0 && extraHosts.has(hostName(host)))) {
        sendError(
          res,
          403,
          'forbidden_host',
          `Host "${host.slice(0, 100)}" is not allowed: this server listens on loopback and answers only requests addressed to localhost, 127.0.0.1 or [::1] (a defence against DNS rebinding).`,
        );
        return false;
      }
    }
    if (trustedOrigins.size > 0 && allowTrustedOrigin(req, res, trustedOrigins)) return false;
    const crossSite = crossSiteRefusal(req, options.originTrusted ?? trustedOrigins);
    if (crossSite) {
      sendError(
        res,
        403,
        'forbidden_origin',
        `${crossSite} may not change anything here: only this host's own pages (the monitor it serves) and clients that are not browsers may. Open the monitor at this host's address, or call the API from a program.`,
      );
      return false;
    }
    const scope = routeScope(req.method ?? 'GET', url.pathname);
    if (scope === 'public') return true;
    const header = req.headers.authorization;
    if (header === undefined && !tokensRequired && !tokenAlways.some((p) => url.pathname.startsWith(p))) {
      setPrincipal(req, anonymousLocal);
      return true;
    }
    const result = verifyToken(options.tokens, header === undefined ? undefined : bearerToken(header), scope, now());
    if (!result.ok) {
      refuse(res, result);
      return false;
    }
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

function refuse(res: ServerResponse, result: Exclude<VerifyResult, { ok: true }>): void {
  switch (result.reason) {
    case 'missing':
      return sendError(
        res,
        401,
        'unauthorized',
        'This route needs a bearer token: send "Authorization: Bearer ct_..." (create one with "codetether token create --name <name>").',
        { 'www-authenticate': realm },
      );
    case 'invalid':
      return sendError(res, 401, 'invalid_token', 'The bearer token is not valid.', {
        'www-authenticate': `${realm}, error="invalid_token"`,
      });
    case 'revoked':
      return sendError(res, 401, 'token_revoked', 'The bearer token has been revoked.', {
        'www-authenticate': `${realm}, error="invalid_token"`,
      });
    case 'expired':
      return sendError(res, 401, 'token_expired', 'The bearer token has expired.', {
        'www-authenticate': `${realm}, error="invalid_token"`,
      });
    case 'insufficient_scope':
      return sendError(
        res,
        403,
        'insufficient_scope',
        `This route needs the "${result.required}" scope; the token has: ${result.token.scopes.join(', ') || 'none'}.`,
        { 'www-authenticate': `${realm}, error="insufficient_scope", scope="${result.required}"` },
      );
  }
}
