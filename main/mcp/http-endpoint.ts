import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { auditContext } from '../auth/actor';
import { principalOf } from '../auth/principal';
import type { LiveTokens } from '../auth/live-tokens';
import type { BearerVerifier } from '../auth/bearer';
import type { Refusal } from '../auth/guard';
import type { TokenStore } from '../auth/token-store';
import type { Logger } from '../base/log';
import { readJson } from '../http/body';
import { sendJson } from '../http/respond';
import { createRouter } from '../http/router';
import { createHttpServer } from '../http/server';
import type { McpDeps } from './deps';
import { createEventStore } from './event-store';
import { createMcpGuard, PROTECTED_RESOURCE_PATH } from './request-guard';
import { createMcpServer } from './server';

export const MCP_PATH = '/mcp';

export interface McpEndpointOptions {
  deps: McpDeps;
  tokens: TokenStore;
  /** Ends a session, and the requests in flight, of a token that is revoked or expires. */
  live?: LiveTokens;
  /** Other token kinds this endpoint accepts (this host's OAuth server's, the OpenID provider's). */
  bearers?: readonly BearerVerifier[];
  /**
   * The authorization server MCP clients get tokens from (this host's issuer), advertised in the
   * protected resource metadata (RFC 9728) as the MCP authorization spec asks. Read per request.
   */
  authorizationServer?: () => string | undefined;
  onRefused?: (refusal: Refusal) => void;
  log: Logger;
  bodyLimit: number;
  /** A session with no open request for this long ends; its client gets 404 and initializes again. */
  idleMs?: number;
  /** Sessions held at once; a new one evicts the longest idle, or is refused when none is idle. */
  maxSessions?: number;
}

interface Session {
  transport: StreamableHTTPServerTransport;
  /** The token that opened it: another token cannot use it. */
  tokenId: string | undefined;
  lastSeen: number;
  /** Requests and streams in flight; a session is idle only when this is 0. */
  open: number;
}

const DEFAULT_IDLE_MS = 30 * 60_000;
const DEFAULT_MAX_SESSIONS = 64;

function rpcError(res: ServerResponse, status: number, code: number, message: string, headers: Record<string, string> = {}): void {
  sendJson(res, status, { jsonrpc: '2.0', error: { code, message }, id: null }, headers);
}

/**
 * Every refusal of the endpoint in JSON-RPC's shape, so an MCP client can read it: a body that is
 * not JSON is -32700 (parse error), any other request error -32600, a failure of ours -32603.
 */
function rpcRefusal(res: ServerResponse, status: number, code: string, message: string, headers: Record<string, string> = {}): void {
  const rpcCode = code === 'invalid_json' ? -32700 : status >= 500 ? -32603 : -32600;
  rpcError(res, status, rpcCode, message, headers);
}

function isInitialize(body: unknown): boolean {
  return Array.isArray(body) ? body.some((m) => isInitializeRequest(m)) : isInitializeRequest(body);
}

/** Who a session belongs to: another caller cannot use it. */
function tokenIdOf(req: IncomingMessage): string | undefined {
  const principal = principalOf(req);
  if (principal?.kind === 'token') return principal.token.id;
  return principal?.kind === 'identity' ? principal.identity.actor : undefined;
}

/**
 * The Streamable HTTP MCP endpoint on its own loopback-only server. Sessions live in memory:
 * a host restart or an idle timeout ends them, and the client's next request gets 404, which
 * the spec tells clients to answer by initializing again.
 */
export function createMcpEndpoint(options: McpEndpointOptions) {
  const { deps, log, bodyLimit } = options;
  const idleMs = options.idleMs ?? DEFAULT_IDLE_MS;
  const maxSessions = options.maxSessions ?? DEFAULT_MAX_SESSIONS;
  const sessions = new Map<string, Session>();

  function track(session: Session, res: ServerResponse): void {
    session.open++;
    session.lastSeen = Date.now();
    res.once('close', () => {
      session.open--;
      session.lastSeen = Date.now();
    });
  }

  function end(id: string, why: string): Promise<void> {
    const session = sessions.get(id);
    if (!session) return Promise.resolve();
    sessions.delete(id);
    log.debug('mcp session ended', { session: id, why });
    return session.transport.close();
  }

  /** Makes room for one more session; false when every session is busy. */
  function makeRoom(): boolean {
    if (sessions.size < maxSessions) return true;
    let idlest: [string, Session] | undefined;
    for (const entry of sessions) {
      if (entry[1].open === 0 && (!idlest || entry[1].lastSeen < idlest[1].lastSeen)) idlest = entry;
    }
    if (!idlest) return false;
    void end(idlest[0], 'evicted');
    return true;
  }

  async function start(req: IncomingMessage, res: ServerResponse, body: unknown): Promise<void> {
    if (!makeRoom()) {
      return rpcError(res, 503, -32000, `The MCP endpoint holds ${maxSessions} busy sessions already; try again shortly.`);
    }
    const session: Session = { transport: undefined!, tokenId: tokenIdOf(req), lastSeen: Date.now(), open: 0 };
    const principal = principalOf(req);
    let release = () => {};
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      eventStore: createEventStore(),
      onsessioninitialized: (id) => {
        sessions.set(id, session);
        if (principal?.kind === 'token' && options.live) release = options.live.hold(principal.token, () => void end(id, 'token revoked or expired'));
        log.debug('mcp session started', { session: id });
      },
    });
    session.transport = transport;
    transport.onclose = () => {
      release();
      if (transport.sessionId && sessions.get(transport.sessionId) === session) sessions.delete(transport.sessionId);
    };
    const server = createMcpServer({ ...deps, origin: auditContext(req) });
    await server.connect(transport);
    track(session, res);
    await transport.handleRequest(req, res, body);
    // An initialize the SDK refused leaves no session behind.
    if (transport.sessionId === undefined) await server.close();
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const header = req.headers['mcp-session-id'];
    const id = Array.isArray(header) ? header[0] : header;
    const body = req.method === 'POST' ? await readJson(req, bodyLimit) : undefined;
    if (id === undefined) {
      if (req.method === 'POST' && isInitialize(body)) return start(req, res, body);
      return rpcError(res, 400, -32000, 'Bad Request: send the Mcp-Session-Id header from your initialize response, or initialize a session first.');
    }
    const session = sessions.get(id);
    if (!session || session.tokenId !== tokenIdOf(req)) {
      return rpcError(res, 404, -32001, 'Session not found: it ended, expired, or the host restarted. Initialize a new session.');
    }
    track(session, res);
    if (req.method === 'DELETE') {
      sessions.delete(id);
      log.debug('mcp session ended', { session: id, why: 'client' });
    }
    await session.transport.handleRequest(req, res, body);
  }

  // Known once listening: the port is often 0 until then.
  let resource: string | undefined;
  const metadataUrl = () => resource && `${new URL(resource).origin}${PROTECTED_RESOURCE_PATH}${MCP_PATH}`;
  const protectedResource = (_req: IncomingMessage, res: ServerResponse) => {
    const issuer = options.authorizationServer?.();
    sendJson(res, 200, {
      resource,
      authorization_servers: issuer ? [issuer] : [],
      scopes_supported: ['mcp'],
      bearer_methods_supported: ['header'],
      resource_name: 'CodeTether MCP',
    }, { 'cache-control': 'no-store' });
  };

  const router = createRouter();
  router.add(['GET', 'POST', 'DELETE'], MCP_PATH, handle);
  // RFC 9728: the path-suffixed document first, the root one for clients that look there.
  router.add('GET', `${PROTECTED_RESOURCE_PATH}${MCP_PATH}`, protectedResource);
  router.add('GET', PROTECTED_RESOURCE_PATH, protectedResource);
  const guard = createMcpGuard({ tokens: options.tokens, live: options.live, bearers: options.bearers, resourceMetadataUrl: metadataUrl, onRefused: options.onRefused });
  const http = createHttpServer({ router, log, guard, renderError: rpcRefusal });

  const sweeper = setInterval(() => {
    const cutoff = Date.now() - idleMs;
    for (const [id, s] of sessions) if (s.open === 0 && s.lastSeen < cutoff) void end(id, 'idle');
  }, Math.max(10, Math.min(idleMs / 4, 60_000)));
  sweeper.unref();

  return {
    /** Binds loopback only, whatever the host's own bind: the MCP endpoint is for this machine's IDEs. */
    async listen(port: number): Promise<string> {
      const address = await http.listen('127.0.0.1', port);
      resource = `http://127.0.0.1:${address.port}${MCP_PATH}`;
      return resource;
    },
    get sessionCount() {
      return sessions.size;
    },
    async close(graceMs: number): Promise<void> {
      clearInterval(sweeper);
      await Promise.all([...sessions.keys()].map((id) => end(id, 'shutdown')));
      await http.close(graceMs);
    },
  };
}

export type McpEndpoint = ReturnType<typeof createMcpEndpoint>;
