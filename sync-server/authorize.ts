import type { IncomingMessage } from 'node:http';
import { parseDocPath, type DocName } from './names';
import type { Grant, TokenStore } from './store/tokens';

export type Decision =
  | { kind: 'accept'; doc: DocName; grant: Grant }
  /** Refused before the handshake: the path is not a document at all. */
  | { kind: 'http'; status: number; message: string }
  /**
   * Refused after the handshake with a 44xx close code: browsers hide an HTTP status from
   * scripts, while y-websocket reads 4400-4499 as final and stops reconnecting.
   */
  | { kind: 'close'; code: 4401 | 4403; reason: string };

/** The token travels as `?token=` (browsers cannot set headers on a WebSocket) or as a bearer header. */
function presentedToken(req: IncomingMessage, url: URL): string | undefined {
  const fromQuery = url.searchParams.get('token');
  if (fromQuery) return fromQuery;
  const header = req.headers.authorization;
  const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  return match?.[1];
}

export function authorize(req: IncomingMessage, tokens: TokenStore): Decision {
  let url: URL;
  try {
    url = new URL(req.url ?? '/', 'http://relay');
  } catch {
    return { kind: 'http', status: 400, message: 'Request URL could not be parsed.' };
  }
  const doc = parseDocPath(url.pathname);
  if (!doc) return { kind: 'http', status: 404, message: 'Connect to /<workspace>/<document>.' };
  const token = presentedToken(req, url);
  if (!token) return { kind: 'close', code: 4401, reason: 'token required' };
  const grant = tokens.verify(token);
  if (!grant) return { kind: 'close', code: 4401, reason: 'invalid or revoked token' };
  if (grant.workspace !== doc.workspace) return { kind: 'close', code: 4403, reason: 'token is not valid for this workspace' };
  return { kind: 'accept', doc, grant };
}
