import type { ServerResponse } from 'node:http';

/**
 * Every JSON body of the HTTP+JSON binding, success or error, is application/json (spec 11.1);
 * requests may still come as application/a2a+json.
 */
export function sendA2aJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

export function sendNoContent(res: ServerResponse): void {
  res.writeHead(204);
  res.end();
}
