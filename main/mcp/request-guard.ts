import type { IncomingMessage, ServerResponse } from 'node:http';
import { createGuard } from '../auth/guard';
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

/**
 * The MCP endpoint's guard: a web page must not drive local agents, so a foreign Origin is
 * refused (403), a Host that is not a loopback name is refused (403, DNS rebinding), and every
 * request needs a bearer token with the "mcp" scope (401 without), also on loopback.
 */
export function createMcpGuard(tokens: TokenStore, live?: LiveTokens) {
  const auth = createGuard({ tokens, live, bindHost: '127.0.0.1', requireAuth: true, routeScope: () => 'mcp', originTrusted: loopbackOrigin });
  return (req: IncomingMessage, res: ServerResponse, url: URL): boolean => {
    const origin = req.headers.origin;
    if (origin !== undefined && !loopbackOrigin(origin)) {
      sendError(
        res,
        403,
        'forbidden_origin',
        `Origin "${origin.slice(0, 100)}" may not use the MCP endpoint: only local clients and pages served from localhost may.`,
      );
      return false;
    }
    return auth(req, res, url);
  };
}
