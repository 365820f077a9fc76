import type { IncomingMessage } from 'node:http';
import { HttpError } from './errors';

/**
 * Reads the whole body, refusing it with 413 as soon as it passes `limit` bytes
 * (by Content-Length up front, or while streaming for chunked bodies), so a huge upload
 * never sits in memory.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    req.resume();
    return Promise.reject(tooLarge(limit));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > limit) {
        failed = true;
        chunks.length = 0;
        reject(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!failed) resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    });
    req.on('error', (err) => {
      if (!failed) reject(new HttpError(400, 'bad_request', `Could not read the request body: ${err.message}`));
    });
  });
}

function tooLarge(limit: number): HttpError {
  return new HttpError(413, 'payload_too_large', `Request body is larger than the ${limit}-byte limit.`, {
    connection: 'close',
  });
}

/** application/json and its `+json` kinds (application/a2a+json); parameters such as charset aside. */
export function isJsonType(header: string): boolean {
  const media = header.split(';', 1)[0]!.trim().toLowerCase();
  return media === 'application/json' || (media.startsWith('application/') && media.endsWith('+json'));
}

/**
 * Parses a JSON body; 415 when the request declares another type (a form or text/plain is what a
 * page elsewhere can send without asking), 400 with the parser's reason when it is not JSON.
 */
export async function readJson(req: IncomingMessage, limit: number): Promise<unknown> {
  const type = req.headers['content-type'];
  if (type !== undefined && !isJsonType(type)) {
    req.resume();
    throw new HttpError(415, 'unsupported_media_type', `Content-Type "${type.slice(0, 100)}" is not accepted here; send the body as JSON with Content-Type: application/json.`);
  }
  const body = await readBody(req, limit);
  try {
    return JSON.parse(body.toString('utf8'));
  } catch (err) {
    throw new HttpError(400, 'invalid_json', `Request body is not valid JSON: ${(err as Error).message}`);
  }
}
