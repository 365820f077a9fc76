import { A2A_CONTENT_TYPE, A2A_PROTOCOL_VERSION, A2A_VERSION_HEADER } from '@a2a-js/sdk';
import { ContentTypeNotSupportedError, RequestMalformedError, VersionNotSupportedError } from '@a2a-js/sdk/errors';
import type { IncomingMessage } from 'node:http';
import { readBody } from '../../http/body';

const JSON_TYPES = new Set(['application/json', A2A_CONTENT_TYPE]);

/** A body, when there is one, must be JSON by its declared type; an absent type is taken as JSON. */
export function checkContentType(req: IncomingMessage): void {
  const raw = req.headers['content-type'];
  if (raw === undefined) return;
  const media = raw.split(';', 1)[0]!.trim().toLowerCase();
  if (!JSON_TYPES.has(media)) {
    throw new ContentTypeNotSupportedError(`Unsupported Content-Type "${raw.slice(0, 100)}"; send application/json or ${A2A_CONTENT_TYPE}.`);
  }
}

/**
 * The HTTP+JSON binding here speaks v1.0 only; no header means v1.0. A v0.3 client is told to
 * use JSON-RPC: the SDK's v0.3 REST handler needs the v0.3 protobuf-JSON codecs that only its
 * express router holds (they are not exported), while its v0.3 JSON-RPC handler is complete
 * and served at /a2a.
 */
export function checkVersion(req: IncomingMessage): void {
  const header = req.headers[A2A_VERSION_HEADER.toLowerCase()];
  const version = (Array.isArray(header) ? header[0] : header)?.trim();
  if (version === undefined || version === '' || version === A2A_PROTOCOL_VERSION) return;
  const hint = /^0\.3(\.\d+)?$/.test(version) ? ' For A2A 0.3, use the JSON-RPC endpoint at /a2a.' : '';
  throw new VersionNotSupportedError(
    `A2A version "${version.slice(0, 20)}" is not supported on the HTTP+JSON binding; it supports ${A2A_PROTOCOL_VERSION}.${hint}`,
  );
}

/**
 * Reads the body as a JSON object. `optional`: an empty body (a bodiless POST such as
 * tasks/{id}:cancel) reads as `{}`.
 */
export async function readJsonObject(req: IncomingMessage, limit: number, optional = false): Promise<Record<string, unknown>> {
  const text = (await readBody(req, limit)).toString('utf8');
  if (text.trim() === '') {
    if (optional) return {};
    throw new RequestMalformedError('The request body is empty; send a JSON object.');
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new RequestMalformedError(`The request body is not valid JSON: ${(err as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new RequestMalformedError(`The request body must be a JSON object, not ${Array.isArray(value) ? 'an array' : value === null ? 'null' : typeof value}.`);
  }
  return value as Record<string, unknown>;
}
