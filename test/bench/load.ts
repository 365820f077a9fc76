import autocannon from 'autocannon';

export interface LoadSpec {
  path: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  /** `[<id>]` in the body is replaced by a fresh id per request. */
  body?: string;
  /** Returns true when a response body is a correct answer; anything else is counted as bad. */
  verify?: (body: string) => boolean;
}

export interface LoadResult {
  /** Mean completed requests per second over the run. */
  rps: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  /** Connection errors, timeouts, non-2xx answers and bodies that failed `verify`. */
  failures: { errors: number; timeouts: number; non2xx: number; badBodies: number };
}

export const CONNECTIONS = 64;

/** One bounded load run against 127.0.0.1 with 64 keep-alive connections; stops by itself. */
export async function runLoad(baseUrl: string, spec: LoadSpec, durationSec: number): Promise<LoadResult> {
  const result = await autocannon({
    url: baseUrl + spec.path,
    connections: CONNECTIONS,
    duration: durationSec,
    method: spec.method ?? 'GET',
    headers: spec.headers,
    body: spec.body,
    requests: spec.body?.includes('[<id>]') ? [{ setupRequest: uniqueIds(spec.body) }] : undefined,
    timeout: 10,
    verifyBody: spec.verify,
  });
  return {
    rps: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    requests: result['2xx'] + result.non2xx,
    failures: { errors: result.errors, timeouts: result.timeouts, non2xx: result.non2xx, badBodies: result.mismatches },
  };
}

/**
 * Not autocannon's own idReplacement: it sizes Content-Length for a 33-character id while its
 * hyperid makes 24-character ones, so every request hangs waiting for body bytes never sent.
 */
function uniqueIds(template: string) {
  const [head, tail] = template.split('[<id>]', 2) as [string, string];
  const prefix = `${process.pid}-${Date.now().toString(36)}-`;
  let n = 0;
  return (request: { body?: string }) => {
    request.body = `${head}${prefix}${++n}${tail}`;
    return request;
  };
}

export function failureCount(r: LoadResult): number {
  const f = r.failures;
  return f.errors + f.timeouts + f.non2xx + f.badBodies;
}
