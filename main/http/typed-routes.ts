import type { IncomingMessage } from 'node:http';
import { sendJson } from './respond';
import type { Params, Router } from './router';

/** A table of routes keyed "METHOD path", each with the type of its answer (shared/monitor-routes is one). */
export type RouteTable<Table> = { [K in keyof Table]: { response: unknown } };

/** What a handler answers: its body (none, for a `void` answer, is a 204), and a status other than 200 or headers where it needs them. */
export interface Answer<T> {
  body: T;
  status?: number;
  headers?: Record<string, string>;
}

export type TypedHandler<T> = (req: IncomingMessage, params: Params, url: URL) => Answer<T> | Promise<Answer<T>>;

/**
 * Adds routes of `Table` by their keys: the method and path come from the key, and a handler's
 * answer must have its route's type, so the host answers what its clients were typed to read.
 * Refusals are thrown (HttpError), as for any route.
 */
export function typedRoutes<Table extends RouteTable<Table>>(router: Router) {
  return <K extends keyof Table & string>(key: K, handler: TypedHandler<Table[K]['response']>): void => {
    const space = key.indexOf(' ');
    router.add(key.slice(0, space), key.slice(space + 1), async (req, res, params, url) => {
      const { body, status, headers } = await handler(req, params, url);
      if (body === undefined) res.writeHead(status ?? 204, headers).end();
      else sendJson(res, status ?? 200, body, headers);
    });
  };
}
