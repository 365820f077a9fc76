import type { IncomingMessage } from 'node:http';
import { z } from 'zod';
import { readJson } from './body';
import { HttpError } from './errors';
import { lastEventId } from './sse';

export function badRequest(message: string): HttpError {
  return new HttpError(400, 'invalid_request', message);
}

const sentence = (text: string) => (/[.!?]$/.test(text) ? text : `${text}.`);

/** A refused body in words a person can act on: the field it is about, then what is wrong with it. */
export function describeIssue(issue: z.core.$ZodIssue): string {
  const field = issue.path.map(String).join('.');
  if (!field && issue.code === 'invalid_type') return 'The request body must be a JSON object.';
  if (!field || issue.code === 'unrecognized_keys') return sentence(issue.message);
  if (issue.code === 'invalid_type' && issue.input === undefined) return `"${field}" is required.`;
  return `Invalid "${field}": ${sentence(issue.message)}`;
}

/** A text field a form may leave empty: '', null and absent all read as undefined. */
export const optionalText = z
  .string()
  .nullish()
  .transform((v) => v || undefined);

/**
 * A body schema for the route whose request type is `Request`, checked at compile time to accept
 * every body of that type, so a client typed by the route table is never refused for its shape.
 * It may accept more (null for an empty field, say) and leave refusing it to the domain's checks.
 */
export function bodySchema<Request>() {
  return <S extends z.ZodType>(schema: S & ([Request] extends [z.input<S>] ? unknown : { refuses: Request })): S => schema;
}

/** `value` as `schema` gives it, or a 400 naming the first field that is wrong. */
export function parseBody<T>(schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value, { reportInput: true });
  if (result.success) return result.data;
  throw badRequest(describeIssue(result.error.issues[0]!));
}

/** A JSON request body parsed by `schema` at the boundary: what the handler gets is typed and checked, or the request is a 400. */
export async function readBodyAs<T>(req: IncomingMessage, limit: number, schema: z.ZodType<T>): Promise<T> {
  return parseBody(schema, await readJson(req, limit));
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

/** `?limit=` as an integer from 1 to `max`; `fallback` when absent. */
export function limitParam(url: URL, fallback: number, max: number): number {
  const raw = url.searchParams.get('limit');
  if (raw === null) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > max) throw badRequest(`limit must be an integer from 1 to ${max}.`);
  return n;
}
