import type { IncomingMessage, ServerResponse } from 'node:http';
import { renderPrometheus, type Counters, type Gauges } from './metrics';

export interface StatusSources {
  counters: Counters;
  gauges(): Gauges;
  /** 'disabled' when the relay runs without Redis. */
  redis(): 'ok' | 'unavailable' | 'disabled';
  database(): 'ok' | 'unavailable';
  startedAt: number;
  version: string;
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store' });
  res.end(body);
}

const json = (res: ServerResponse, status: number, body: unknown) => send(res, status, 'application/json; charset=utf-8', JSON.stringify(body));

/**
 * Plain HTTP beside the WebSocket endpoint: `/healthz` (503 when the store or Redis is down) and
 * `/metrics` (Prometheus text; JSON when the client asks for application/json).
 */
export function handleHttp(req: IncomingMessage, res: ServerResponse, sources: StatusSources): void {
  const path = (req.url ?? '/').split('?')[0];
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('allow', 'GET, HEAD');
    return json(res, 405, { error: { code: 'method_not_allowed', message: `${req.method} is not allowed.` } });
  }
  if (path === '/healthz') {
    const database = sources.database();
    const redis = sources.redis();
    const ok = database === 'ok' && redis !== 'unavailable';
    return json(res, ok ? 200 : 503, {
      status: ok ? 'ok' : 'degraded',
      version: sources.version,
      uptimeMs: Date.now() - sources.startedAt,
      database,
      redis,
    });
  }
  if (path === '/metrics') {
    const gauges = sources.gauges();
    if ((req.headers.accept ?? '').includes('application/json')) return json(res, 200, { ...gauges, ...sources.counters });
    return send(res, 200, 'text/plain; version=0.0.4; charset=utf-8', renderPrometheus(sources.counters, gauges));
  }
  json(res, 404, { error: { code: 'not_found', message: 'Documents are served over WebSocket at /<workspace>/<document>.' } });
}
