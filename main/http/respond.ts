import type { ServerResponse } from 'node:http';

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/** Renders one refusal; a server whose every answer is a protocol's (MCP's JSON-RPC) passes its own. */
export type ErrorRenderer = (res: ServerResponse, status: number, code: string, message: string, headers?: Record<string, string>) => void;

/** The plain HTTP error body used outside protocol-specific routes (A2A and MCP shape their own). */
export function sendError(res: ServerResponse, status: number, code: string, message: string, headers: Record<string, string> = {}): void {
  sendJson(res, status, { error: { code, message } }, headers);
}
