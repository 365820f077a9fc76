import { RestRequestMalformedError, toRestErrorBody, type RestErrorBody } from '@a2a-js/sdk/errors';
import type { ServerResponse } from 'node:http';
import { HttpError } from '../../http/errors';
import { mappingOf } from '../error-table';
import { AuthenticationRequiredError, toA2AError } from '../errors';
import { sendA2aJson } from './respond';

/** An HTTP-level refusal that no A2A error names: an unknown route or a wrong method. */
export class RestRouteError extends Error {
  constructor(
    readonly httpStatus: 404 | 405,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'RestRouteError';
  }
}

export interface RestFailure {
  status: number;
  body: RestErrorBody;
  headers: Record<string, string>;
}

/**
 * google.rpc status names for the refusals the SDK's toRestErrorBody would call UNKNOWN;
 * these carry no ErrorInfo, since the A2A error domain has no reason for them.
 */
const STATUS_NAMES: Record<number, string> = { 401: 'UNAUTHENTICATED', 404: 'NOT_FOUND', 405: 'UNIMPLEMENTED' };

function plain(status: number, err: Error, headers: Record<string, string> = {}): RestFailure {
  const body = toRestErrorBody(err, status);
  body.error.status = STATUS_NAMES[status] ?? body.error.status;
  return { status, body, headers };
}

/** Renders any failure of a REST route as the spec's google.rpc.Status-shaped error. */
export function restFailure(err: unknown): RestFailure {
  if (err instanceof RestRouteError) return plain(err.httpStatus, err, err.headers);
  if (err instanceof AuthenticationRequiredError) return plain(401, err, { 'www-authenticate': 'Bearer realm="codetether"' });
  // The body reader throws HttpError: an oversized body keeps its 413 (and connection: close)
  // but is described as the malformed request it is.
  if (err instanceof HttpError && err.status < 500) {
    const a2a = new RestRequestMalformedError({ message: err.message, statusCode: err.status });
    return { status: err.status, body: toRestErrorBody(a2a, err.status), headers: err.headers };
  }
  const a2a = toA2AError(err);
  const { http, status } = mappingOf(a2a);
  const body = toRestErrorBody(a2a, http);
  body.error.status = status;
  return { status: http, body, headers: {} };
}

export function sendRestError(res: ServerResponse, err: unknown): void {
  const { status, body, headers } = restFailure(err);
  sendA2aJson(res, status, body, headers);
}
