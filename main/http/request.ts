import type { IncomingMessage } from 'node:http';
import { readJson } from './body';
import { HttpError } from './errors';
import { lastEventId } from './sse';

/** A JSON object body, or a 400 that says what was wrong with it. */
export async function readObject(req: IncomingMessage, limit: number): Promise<Record<string, unknown>> {
  const body = await readJson(req, limit);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badRequest('The request body must be a JSON object.');
  return body as Record<string, unknown>;
}

export function badRequest(message: string): HttpError {
  return new HttpError(400, 'invalid_request', message);
}

/**
 * Where a stream resumes: the Last-Event-ID of a reconnecting EventSource, else `?<param>=`
 * (`what` it counts, for the 400), else 0.
 */
export function resumePoint(req: IncomingMessage, url: URL, param: string, what: string): number {
  const query = url.searchParams.get(param);
  if (query !== null && !/^\d{1,15}$/.test(query)) throw badRequest(`${param} must be a non-negative integer ${what}.`);
  return lastEventId(req.headers['last-event-id']) ?? Number(query ?? 0);
}

/** An optional string field; a 400 naming the field when it is present but not a string. */
export function optionalString(body: Record<string, unknown>, field: string): string | undefined {
  const value = body[field];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw badRequest(`"${field}" must be a string.`);
  return value;
}

export function requiredString(body: Record<string, unknown>, field: string): string {
  const value = optionalString(body, field);
  if (value === undefined) throw badRequest(`"${field}" is required.`);
  return value;
}

/** `?limit=` as an integer from 1 to `max`; `fallback` when absent. */
export function limitParam(url: URL, fallback: number, max: number): number {
  const raw = url.searchParams.get('limit');
  if (raw === null) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > max) throw badRequest(`limit must be an integer from 1 to ${max}.`);
  return n;
}
