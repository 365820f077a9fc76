import { A2A_CONTENT_TYPE } from '@a2a-js/sdk';
import type { ServerResponse } from 'node:http';

/** Every JSON body of the HTTP+JSON binding, success or error, is application/a2a+json. */
export function sendA2aJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': A2A_CONTENT_TYPE,
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

export function sendNoContent(res: ServerResponse): void {
  res.writeHead(204);
  res.end();
}
