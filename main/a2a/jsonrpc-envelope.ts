import { isLegacyJsonRpcMethod, isV1JsonRpcMethod } from '@a2a-js/sdk/compat/v0_3';
import { randomUUID } from 'node:crypto';
import { checkShape, jsonRpcParamShapes, type Shape } from './body-shape';
import { legacyParamShapes } from './legacy-shape';

export type JsonRpcId = string | number | null;

export interface JsonRpcErrorBody {
  jsonrpc: '2.0';
  id: JsonRpcId;
  error: { code: number; message: string; data?: unknown };
}

export function rpcError(id: JsonRpcId, code: number, message: string): JsonRpcErrorBody {
  return { jsonrpc: '2.0', id, error: { code, message } };
}

export interface RpcRequest {
  id: JsonRpcId;
  method: string;
  dialect: 'v1' | 'v0.3';
  body: Record<string, unknown>;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function validId(id: unknown): id is JsonRpcId {
  return id === null || typeof id === 'string' || (typeof id === 'number' && Number.isInteger(id));
}

/**
 * Checks the JSON-RPC 2.0 envelope ourselves: the SDK's transport answers every envelope
 * problem with -32602, where JSON-RPC wants -32600 (and -32601 for an unknown method).
 */
export function parseEnvelope(parsed: unknown): RpcRequest | JsonRpcErrorBody {
  if (Array.isArray(parsed)) return rpcError(null, -32600, 'Batch requests are not supported: send one JSON-RPC request object per HTTP request.');
  if (!isObject(parsed)) return rpcError(null, -32600, 'The request must be a JSON-RPC 2.0 request object.');
  const id = 'id' in parsed ? parsed.id : null;
  if (!validId(id)) return rpcError(null, -32600, '"id" must be a string, an integer or null.');
  if (parsed.jsonrpc !== '2.0') return rpcError(id, -32600, '"jsonrpc" must be exactly "2.0".');
  const { method } = parsed;
  if (typeof method !== 'string' || method === '') return rpcError(id, -32600, '"method" must be a non-empty string.');
  if ('params' in parsed && parsed.params !== undefined && !isObject(parsed.params)) {
    return rpcError(id, -32602, '"params" must be an object.');
  }
  if (isV1JsonRpcMethod(method)) {
    const problem = paramsProblem(parsed.params, jsonRpcParamShapes[method]);
    return problem ? rpcError(id, -32602, problem) : { id, method, dialect: 'v1', body: parsed };
  }
  if (isLegacyJsonRpcMethod(method)) {
    const body = normalizeLegacy(parsed);
    const problem = paramsProblem(body.params, legacyParamShapes[method]);
    return problem ? rpcError(id, -32602, problem) : { id, method, dialect: 'v0.3', body };
  }
  return rpcError(id, -32601, `Method "${method}" not found. This server speaks A2A v1.0 (SendMessage, GetTask, ...) and v0.3 (message/send, tasks/get, ...).`);
}

/** The SDK's decoders coerce mistyped fields and recurse without a depth bound: params are type-checked first. */
function paramsProblem(params: unknown, shape: Shape | undefined): string | undefined {
  if (!isObject(params) || !shape) return undefined;
  try {
    checkShape(params, shape);
  } catch (err) {
    return (err as Error).message;
  }
  return undefined;
}

/**
 * Brings older v0.3 bodies to what the SDK's v0.3 transport expects: parts written as
 * {"type":"text","content":"..."} (the seed's documented example), and a message without
 * messageId or role. Only message/send and message/stream carry a message.
 */
function normalizeLegacy(body: Record<string, unknown>): Record<string, unknown> {
  if (body.method !== 'message/send' && body.method !== 'message/stream') return body;
  const params = isObject(body.params) ? body.params : {};
  const message = isObject(params.message) ? { ...params.message } : params.message;
  if (isObject(message)) {
    message.messageId ??= randomUUID();
    message.role ??= 'user';
    message.kind ??= 'message';
    if (Array.isArray(message.parts)) message.parts = message.parts.map(normalizePart);
  }
  let configuration = params.configuration;
  // The SDK's v0.3 transport reads a missing `blocking` as "return at once", but v0.3 clients
  // that omit it (the seed's own curl example) expect the answer, as v0.3 servers commonly did.
  if (body.method === 'message/send') {
    configuration = isObject(configuration) ? { ...configuration } : {};
    (configuration as Record<string, unknown>).blocking ??= true;
  }
  return { ...body, params: { ...params, message, ...(configuration === undefined ? {} : { configuration }) } };
}

function normalizePart(part: unknown): unknown {
  if (!isObject(part) || part.kind !== undefined || typeof part.type !== 'string') return part;
  const { type, content, ...rest } = part;
  if (type === 'text') return { ...rest, kind: 'text', text: rest.text ?? content };
  return { ...rest, kind: type };
}

const KNOWN_VERSIONS = new Set(['0.3', '0.3.0', '1', '1.0', '1.0.0']);

/**
 * The A2A-Version header. Absent: the method name decides. A known version routes by method
 * name too, even when it names the other dialect, since the method alone is unambiguous.
 */
export function checkVersion(header: string | string[] | undefined): string | undefined {
  const value = (Array.isArray(header) ? header[0] : header)?.trim();
  if (!value || KNOWN_VERSIONS.has(value)) return undefined;
  return `A2A-Version "${value.slice(0, 40)}" is not supported; this server speaks 1.0 and 0.3.`;
}
