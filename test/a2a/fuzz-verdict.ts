import type { FuzzAnswer, FuzzCase } from './fuzz-case';

/** The JSON-RPC and A2A error codes a malformed request may get; -32603 (internal) is not one. */
export const SPEC_CODES = new Set([-32700, -32600, -32601, -32602, -32001, -32002, -32003, -32004, -32005, -32006, -32007, -32008, -32009]);

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function parse(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

/** What is wrong with a JSON-RPC answer to a malformed request; undefined when it is a spec error. */
function jsonRpcProblem(c: FuzzCase, a: FuzzAnswer): string | undefined {
  if (a.contentType.startsWith('text/event-stream')) return c.mayAccept ? undefined : 'answered with an SSE stream (accepted the request)';
  const json = parse(a.body);
  if (!isObject(json)) return 'answer is not a JSON object';
  if (json.jsonrpc !== '2.0') return 'answer lacks "jsonrpc": "2.0"';
  if ('result' in json) return c.mayAccept && a.status === 200 ? undefined : 'answered with a result (accepted the request)';
  const error = json.error;
  if (!isObject(error) || typeof error.message !== 'string' || !Number.isInteger(error.code)) return 'answer has no {code, message} error object';
  if (!SPEC_CODES.has(error.code as number)) return `error code ${String(error.code)} is not a spec code for bad input`;
  if (!('id' in json)) return 'error answer has no "id" member';
  if (c.id !== undefined && json.id !== c.id) return `error answer carries id ${JSON.stringify(json.id)}, request had ${JSON.stringify(c.id)}`;
  return undefined;
}

/** What is wrong with a REST answer; the spec's shape is {error: {code: <HTTP status>, status, message}} with a 4xx. */
function restProblem(c: FuzzCase, a: FuzzAnswer): string | undefined {
  if (a.status >= 200 && a.status < 300) return c.mayAccept ? undefined : `answered ${a.status} (accepted the request)`;
  if (a.status < 400 || a.status >= 500) return `status ${a.status} is not a 4xx`;
  const json = parse(a.body);
  const error = isObject(json) ? json.error : undefined;
  if (!isObject(error)) return 'answer has no "error" object';
  if (error.code !== a.status) return `error.code ${JSON.stringify(error.code)} is not the HTTP status ${a.status}`;
  if (typeof error.status !== 'string' || typeof error.message !== 'string') return 'error lacks a string "status" or "message"';
  return undefined;
}

export function problemWith(c: FuzzCase, a: FuzzAnswer): string | undefined {
  if (a.status === 0) return a.body;
  if (a.status >= 500) return `status ${a.status}`;
  return c.expect === 'jsonrpc' ? jsonRpcProblem(c, a) : restProblem(c, a);
}
