/** How one call to the host went. `refused` carries the host's error code (protocol.ts names them). */
export type CallResult =
  | { kind: 'ok'; status: number; body: unknown }
  | { kind: 'refused'; status: number; code: string; message: string }
  | { kind: 'network'; message: string };

export interface HostClient {
  readonly origin: string;
  call(path: string, body: unknown, options?: { timeoutMs?: number; signal?: AbortSignal }): Promise<CallResult>;
}

const DEFAULT_TIMEOUT_MS = 15_000;

function networkMessage(err: unknown): string {
  const e = err as Error & { cause?: { code?: string; message?: string } };
  if (e.name === 'TimeoutError') return 'the host did not answer in time';
  if (e.name === 'AbortError') return 'aborted';
  return e.cause?.code ?? e.cause?.message ?? e.message;
}

/** JSON over HTTP to the host, bearer token on every call; never throws. */
export function createHostClient(origin: string, token: string): HostClient {
  return {
    origin,
    async call(path, body, options = {}) {
      const timeout = AbortSignal.timeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
      const signal = options.signal ? AbortSignal.any([timeout, options.signal]) : timeout;
      let res: Response;
      let text: string;
      try {
        res = await fetch(origin + path, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify(body),
          signal,
        });
        text = await res.text();
      } catch (err) {
        return { kind: 'network', message: networkMessage(err) };
      }
      let parsed: unknown;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        parsed = undefined;
      }
      if (res.ok) return { kind: 'ok', status: res.status, body: parsed };
      const error = (parsed as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
      return {
        kind: 'refused',
        status: res.status,
        code: typeof error?.code === 'string' ? error.code : `http_${res.status}`,
        message: typeof error?.message === 'string' ? error.message : `HTTP ${res.status} ${text.slice(0, 200)}`,
      };
    },
  };
}
