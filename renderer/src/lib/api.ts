import type { ApiErrorBody } from '../../../shared/monitor-api';
import {
  fillPath,
  monitorStreamResume,
  splitRouteKey,
  type MonitorRouteKey,
  type MonitorStreamPath,
  type RouteArgs,
  type RouteResponse,
  type StreamArgs,
} from '../../../shared/monitor-routes';
import { openEventStream, type StreamHandlers, type StreamOptions } from './event-stream';
import { authHeaders } from './token';

/** A refused request, with the host's own explanation as the message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** The message of an error body: ours ({error:{message}}) or the A2A binding's ({error:{message}} or {message}). */
async function errorOf(res: Response): Promise<ApiError> {
  const text = await res.text();
  try {
    const body = JSON.parse(text) as Partial<ApiErrorBody> & { message?: string };
    return new ApiError(res.status, body.error?.message ?? body.message ?? `The host answered ${res.status}.`);
  } catch {
    return new ApiError(res.status, text.trim() || `The host answered ${res.status}.`);
  }
}

/** What a route or stream input holds at run time, whichever route it is for. */
interface AnyInput {
  params?: Record<string, string>;
  query?: Record<string, string | undefined>;
  body?: unknown;
}

/**
 * Requests to one host, with the bearer token when there is one; every call is a single request
 * (nothing here retries or polls). A new token makes a new Api, so views re-open their streams.
 * Routes and streams are named by their keys in shared/monitor-routes, which type their input
 * and answer.
 */
export function createApi(hostUrl: string, token?: string) {
  async function send(method: string, path: string, body?: unknown): Promise<unknown> {
    const res = await fetch(new URL(path, hostUrl), {
      method,
      cache: 'no-store',
      headers: { ...authHeaders(token), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw await errorOf(res);
    if (res.status === 204) return undefined;
    // A text/plain answer (a diff) is its text; every other answer of the host is JSON.
    return res.headers.get('content-type')?.startsWith('text/plain') ? await res.text() : await res.json();
  }
  return {
    hostUrl,
    /** Route `key` of the host, with its params, query and body; resolves with its answer. A POST without a body sends `{}`. */
    async call<K extends MonitorRouteKey>(key: K, ...[input]: RouteArgs<K>): Promise<RouteResponse<K>> {
      const { method, path } = splitRouteKey(key);
      const { params, query, body } = (input ?? {}) as AnyInput;
      return (await send(method, fillPath(path, params, query), body ?? (method === 'POST' ? {} : undefined))) as RouteResponse<K>;
    },
    /** A stream of the host's; see openEventStream. A reconnect continues after the last event id where the stream has ids. */
    stream<P extends MonitorStreamPath>(path: P, handlers: StreamHandlers, ...[input]: StreamArgs<P>) {
      const { params, query } = (input ?? {}) as AnyInput;
      const options: StreamOptions = { headers: () => authHeaders(token) };
      const resume = monitorStreamResume[path] as string | null;
      if (resume) options.resumeUrl = (lastId) => new URL(fillPath(path, params, { ...query, [resume]: lastId }), hostUrl).href;
      return openEventStream(new URL(fillPath(path, params, query), hostUrl).href, handlers, options);
    },
  };
}

export type Api = ReturnType<typeof createApi>;
