import { ContentTypeNotSupportedError, VersionNotSupportedError } from '@a2a-js/sdk/errors';
import { JsonRpcTransportHandler, type ServerCallContext } from '@a2a-js/sdk/server';
import { LegacyJsonRpcTransportHandler } from '@a2a-js/sdk/compat/v0_3/server';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { auditContext } from '../auth/actor';
import { readBody } from '../http/body';
import { HttpError } from '../http/errors';
import { sendJson } from '../http/respond';
import type { Router } from '../http/router';
import { lastEventId } from '../http/sse';
import { lazyAbort } from '../tasks/lazy-abort';
import { createCallContext } from './call-context';
import { extendedCardNeedsAuth } from './errors';
import { checkVersion, parseEnvelope, rpcError, type JsonRpcId, type RpcRequest } from './jsonrpc-envelope';
import { streamJsonRpc, type CloseRegistry } from './jsonrpc-sse';
import type { CodeTetherRequestHandler } from './request-handler';
import { userOf } from './rpc-user';

export interface JsonRpcRouteDeps {
  handler: CodeTetherRequestHandler;
  bodyLimit: number;
  /** The HTTP server's onClose: open streams end when the server shuts down. */
  onClose: CloseRegistry;
}

/**
 * Where clients post: the card's /a2a, the seed's /v1/a2a and bare origin (where v0.3 clients
 * that only know the host post), each also with a trailing slash, which is what an HTTP client
 * built with a base URL of ".../a2a" sends.
 */
export const JSONRPC_PATHS = ['/', '/a2a', '/a2a/', '/v1/a2a', '/v1/a2a/'];
/** Every other method on those paths gets a JSON-RPC error, not the host's generic 405; GET / is the monitor's. */
const OTHER_METHODS = ['GET', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

const EXTENDED_CARD_METHODS = new Set(['GetExtendedAgentCard', 'agent/getAuthenticatedExtendedCard']);
const SUBSCRIBE_METHODS = new Set(['SubscribeToTask', 'tasks/resubscribe']);

/** application/json, application/a2a+json, or none at all (curl -d without -H). */
function contentTypeOk(header: string | undefined): boolean {
  if (header === undefined) return true;
  const type = header.split(';')[0]!.trim().toLowerCase();
  return type === 'application/json' || type === 'application/a2a+json' || type === '';
}

type Transport = { handle(body: unknown, ctx: ServerCallContext): Promise<unknown> };

export function addJsonRpcRoutes(router: Router, deps: JsonRpcRouteDeps): void {
  const transports: Record<RpcRequest['dialect'], Transport> = {
    v1: new JsonRpcTransportHandler(deps.handler),
    'v0.3': new LegacyJsonRpcTransportHandler(deps.handler),
  };

  const answer = (res: ServerResponse, body: unknown, status = 200, headers: Record<string, string> = {}) => sendJson(res, status, body, headers);
  const fail = (res: ServerResponse, id: JsonRpcId, code: number, message: string) => answer(res, rpcError(id, code, message));
  /** An A2A error before the dialect is known: its code and its ErrorInfo, as both dialects' clients read them. */
  const refuse = (res: ServerResponse, id: JsonRpcId, err: Error) => answer(res, { jsonrpc: '2.0', id, error: JsonRpcTransportHandler.mapToJSONRPCError(err) });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      await dispatch(req, res);
    } catch (err) {
      // The host's generic 500 body is not JSON-RPC: a client could not read it.
      if (res.headersSent) throw err;
      fail(res, null, -32603, `Internal error: ${(err as Error).message}`);
    }
  }

  async function dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!contentTypeOk(req.headers['content-type'])) {
      req.resume();
      return refuse(res, null, new ContentTypeNotSupportedError(`Content-Type "${String(req.headers['content-type']).slice(0, 100)}" is not supported; send application/json or application/a2a+json.`));
    }
    let text: string;
    try {
      text = (await readBody(req, deps.bodyLimit)).toString('utf8');
    } catch (err) {
      if (!(err instanceof HttpError)) throw err;
      return answer(res, rpcError(null, -32600, err.message), err.status, err.headers);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (err) {
      return fail(res, null, -32700, `Parse error: the body is not valid JSON (${(err as Error).message}).`);
    }
    const request = parseEnvelope(parsed);
    if ('error' in request) return answer(res, request);

    const versionProblem = checkVersion(req.headers['a2a-version']);
    if (versionProblem) return refuse(res, request.id, new VersionNotSupportedError(versionProblem));

    const user = userOf(req);
    if (EXTENDED_CARD_METHODS.has(request.method) && !user.isAuthenticated) {
      // Authentication is HTTP's business in A2A (401); JSON-RPC has no code for it, so the body
      // says -32600 and the message says what to send.
      return answer(res, rpcError(request.id, -32600, extendedCardNeedsAuth().message), 401, { 'www-authenticate': 'Bearer realm="codetether"' });
    }

    const stop = lazyAbort();
    const resumeAfterSeq = SUBSCRIBE_METHODS.has(request.method) ? lastEventId(req.headers['last-event-id']) : undefined;
    const ctx = createCallContext({ user, requestedVersion: request.dialect === 'v1' ? '1.0' : '0.3', signal: stop, resumeAfterSeq, origin: auditContext(req) });
    // A blocking SendMessage stops waiting once its client is gone.
    res.once('close', () => {
      if (!res.writableFinished) stop.abort();
    });
    const result = await transports[request.dialect].handle(request.body, ctx);
    if (isAsyncGenerator(result)) {
      return streamJsonRpc(res, result, { ctx, id: request.id, dialect: request.dialect, abort: stop, onClose: deps.onClose });
    }
    answer(res, result);
  }

  const wrongMethod = (req: IncomingMessage, res: ServerResponse) => {
    req.resume();
    answer(res, rpcError(null, -32600, `${req.method} is not a JSON-RPC call: POST a JSON-RPC 2.0 request object here.`), 405, { allow: 'POST' });
  };
  for (const path of JSONRPC_PATHS) {
    router.add('POST', path, handle);
    router.add(path === '/' ? OTHER_METHODS.filter((m) => m !== 'GET') : OTHER_METHODS, path, wrongMethod);
  }
}

function isAsyncGenerator(value: unknown): value is AsyncGenerator<unknown, void, undefined> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}
