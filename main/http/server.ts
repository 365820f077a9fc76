import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Logger } from '../base/log';
import { HttpError } from './errors';
import { sendError, type ErrorRenderer } from './respond';
import type { Router } from './router';

/** A request that took this long is logged at info (streams count too: they end when the client leaves). */
const SLOW_REQUEST_MS = 1000;

export interface HttpServerOptions {
  router: Router;
  log: Logger;
  /**
   * Runs before routing; may answer the request itself (auth, Host checks) by returning false.
   * A promise only when it must wait (a token checked against another server), so the common
   * request costs no extra turn.
   */
  guard?: (req: IncomingMessage, res: ServerResponse, url: URL) => boolean | Promise<boolean>;
  /** How the server renders its own refusals (no route, wrong method, a thrown HttpError, a crash); default sendError. */
  renderError?: ErrorRenderer;
}

export interface HttpServer {
  readonly server: Server;
  listen(host: string, port: number): Promise<AddressInfo>;
  /**
   * Registers a long-lived response (SSE) to be ended when the server shuts down, so
   * close never waits on a stream that would otherwise stay open forever.
   */
  onClose(hook: () => void): () => void;
  /** Stops accepting, lets in-flight requests finish for up to `graceMs`, then cuts the rest. */
  close(graceMs: number): Promise<void>;
}

export function createHttpServer({ router, log, guard, renderError = sendError }: HttpServerOptions): HttpServer {
  const closeHooks = new Set<() => void>();
  const logRequests = log.enabled('info');
  // An access line for every request is a debug aid, as in most servers: writing one per request
  // cost 4-8% of SendMessage throughput. At info only failures and slow requests are logged.
  const logEvery = log.enabled('debug');

  const server = createServer((req, res) => {
    const started = logRequests ? performance.now() : 0;
    if (logRequests) {
      res.once('finish', () => {
        const ms = Math.round((performance.now() - started) * 10) / 10;
        const status = res.statusCode;
        if (logEvery) log.debug('request', { method: req.method, path: req.url, status, ms });
        else if (status >= 500 || ms >= SLOW_REQUEST_MS) log.info('request', { method: req.method, path: req.url, status, ms });
      });
    }
    void handle(req, res);
  });
  server.keepAliveTimeout = 5000;
  server.headersTimeout = 30_000;
  server.requestTimeout = 0;
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => {
    if (socket.writable && err.code !== 'ECONNRESET') socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n');
    else socket.destroy();
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://localhost');
    } catch {
      return renderError(res, 400, 'bad_request', 'Request URL could not be parsed.');
    }
    try {
      if (guard) {
        const passed = guard(req, res, url);
        if (passed === false || (passed !== true && !(await passed))) return;
      }
      const found = router.match(req.method ?? 'GET', url.pathname);
      if (found.kind === 'not-found') return renderError(res, 404, 'not_found', `No route for ${req.method} ${url.pathname}.`);
      if (found.kind === 'method-not-allowed') {
        return renderError(res, 405, 'method_not_allowed', `${req.method} is not allowed on ${url.pathname}.`, {
          allow: found.allow.join(', '),
        });
      }
      await found.handler(req, res, found.params, url);
    } catch (err) {
      if (res.headersSent) {
        log.error('handler failed after responding', { path: url.pathname, error: String(err) });
        res.destroy();
        return;
      }
      if (err instanceof HttpError) return renderError(res, err.status, err.code, err.message, err.headers);
      if (err instanceof URIError) return renderError(res, 400, 'bad_request', 'Request path has malformed percent-encoding.');
      log.error('handler failed', { path: url.pathname, error: (err as Error).stack ?? String(err) });
      renderError(res, 500, 'internal', 'Internal server error.');
    }
  }

  return {
    server,
    listen(host, port) {
      return new Promise((resolve, reject) => {
        const onError = (err: NodeJS.ErrnoException) => {
          server.off('listening', onListening);
          reject(err);
        };
        const onListening = () => {
          server.off('error', onError);
          resolve(server.address() as AddressInfo);
        };
        server.once('error', onError);
        server.once('listening', onListening);
        server.listen(port, host);
      });
    },
    onClose(hook) {
      closeHooks.add(hook);
      return () => closeHooks.delete(hook);
    },
    close(graceMs) {
      return new Promise((resolve) => {
        if (!server.listening) return resolve();
        server.close(() => {
          clearTimeout(timer);
          resolve();
        });
        for (const hook of [...closeHooks]) hook();
        closeHooks.clear();
        server.closeIdleConnections();
        const timer = setTimeout(() => server.closeAllConnections(), graceMs);
        timer.unref();
      });
    },
  };
}
