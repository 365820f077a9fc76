import type { IncomingMessage, ServerResponse } from 'node:http';
import type { BearerVerifier } from '../auth/bearer';
import { createGuard, type Refusal } from '../auth/guard';
import { isLoopbackHostHeader } from '../auth/loopback';
import type { LiveTokens } from '../auth/live-tokens';
import type { TokenStore } from '../auth/token-store';
import { sendError } from '../http/respond';

/** Whether an Origin header (when a browser sent one) is a page served from this machine. */
function loopbackOrigin(origin: string): boolean {
  try {
    const url = new URL(origin);
    return (url.protocol === 'http:' || url.protocol === 'https:') && isLoopbackHostHeader(url.host);
  } catch {
    return false;
  }
}

export interface McpGuardOptions {
  tokens: TokenStore;
  /** Tokens of this host's authorization server (for this endpoint's audience) and of the OpenID provider. */
  bearers?: readonly BearerVerifier[];
  /** The protected resource metadata's URL, named in every Bearer challenge (MCP authorization spec). */
  resourceMetadataUrl?: () => string | undefined;
  /** Ends what a token holds open (requests, sessions) once it is revoked or expires. */
  live?: LiveTokens;
  onRefused?: (refusal: Refusal) => void;
}

/** Paths anyone may read: where a client learns how to get a token. */
export const PROTECTED_RESOURCE_PATH = '/.well-known/oauth-protected-resource';

/**
 * The MCP endpoint's guard: a web page must not drive local agents, so a foreign Origin is
 * refused (403), a Host that is not a loopback name is refused (403, DNS rebinding), and every
 * request needs a bearer token with the "mcp" scope (401 without), also on loopback. The
 * protected resource metadata is public; every 401 points to it.
 */
export function createMcpGuard(options: McpGuardOptions) {
  const auth = createGuard({
    tokens: options.tokens,
    live: options.live,
    bindHost: '127.0.0.1',
    requireAuth: true,
    routeScope: (method, path) => (method === 'GET' && (path === PROTECTED_RESOURCE_PATH || path.startsWith(`${PROTECTED_RESOURCE_PATH}/`)) ? 'public' : 'mcp'),
    originTrusted: loopbackOrigin,
    bearers: options.bearers,
    challenge: () => {
      const url = options.resourceMetadataUrl?.();
      return url ? `resource_metadata="${url}"` : undefined;
    },
    onRefused: options.onRefused,
  });
  return (req: IncomingMessage, res: ServerResponse, url: URL): boolean | Promise<boolean> => {
    const origin = req.headers.origin;
    if (origin !== undefined && !loopbackOrigin(origin)) {
      sendError(
        res,
        403,
        'forbidden_origin',
        `Origin "${origin.slice(0, 100)}" may not use the MCP endpoint: only local clients and pages served from localhost may.`,
      );
      options.onRefused?.({ req, path: url.pathname, status: 403, code: 'forbidden_origin', reason: `Origin "${origin.slice(0, 100)}" on the MCP endpoint` });
      return false;
    }
    return auth(req, res, url);
  };
}
