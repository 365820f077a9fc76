import type { ApiErrorBody } from '../../../shared/monitor-api';
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

/**
 * Requests to one host, with the bearer token when there is one; every call is a single request
 * (nothing here retries or polls). A new token makes a new Api, so views re-open their streams.
 */
export function createApi(hostUrl: string, token?: string) {
  async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(new URL(path, hostUrl), {
      method,
      cache: 'no-store',
      headers: { ...authHeaders(token), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw await errorOf(res);
    return (res.status === 204 ? undefined : await res.json()) as T;
  }
  return {
    hostUrl,
    get: <T>(path: string) => call<T>('GET', path),
    post: <T>(path: string, body?: unknown) => call<T>('POST', path, body ?? {}),
    put: <T>(path: string, body: unknown) => call<T>('PUT', path, body),
    del: (path: string) => call<void>('DELETE', path),
    url: (path: string) => new URL(path, hostUrl).href,
    /** An SSE stream of the host's; see openEventStream. `resume` maps the last event id to the path that continues after it. */
    stream: (path: string, handlers: StreamHandlers, resume?: (lastId: string) => string) => {
      const options: StreamOptions = { headers: () => authHeaders(token) };
      if (resume) options.resumeUrl = (lastId) => new URL(resume(lastId), hostUrl).href;
      return openEventStream(new URL(path, hostUrl).href, handlers, options);
    },
  };
}

export type Api = ReturnType<typeof createApi>;
