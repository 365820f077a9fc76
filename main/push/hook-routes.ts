import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { hookEventNames } from '../../shared/hooks-api';
import { principalOf } from '../auth/principal';
import type { ScopeRule } from '../auth/route-scopes';
import { readJson } from '../http/body';
import { badRequest, limitParam } from '../http/request';
import { sendJson } from '../http/respond';
import type { Handler, Router } from '../http/router';
import { HookError, type HookService } from './hook-service';

/** Every hooks route needs the `hooks` scope (admin and the local user on loopback have it). */
export const hookRouteScopes: readonly ScopeRule[] = [
  { path: '/v1/hooks', scope: 'hooks' },
  { path: '/v1/hooks/', prefix: true, scope: 'hooks' },
];

const MAX_URL = 2048;
const name = z.string().min(1).max(200);
const eventName = z.enum(hookEventNames, { error: `"event" must be one of: ${hookEventNames.join(', ')}` });

export const hookFilterSchema = z.object({ agent: name.optional(), codebase: name.optional(), contextId: name.optional() }).strict();

export const createHookBody = z
  .object({
    event: eventName,
    targetUrl: z.string({ error: '"targetUrl" is required: the URL that receives the events' }).min(1).max(MAX_URL),
    filter: hookFilterSchema.optional(),
  })
  .strict();

async function parseBody<T>(req: IncomingMessage, schema: z.ZodType<T>, limit: number): Promise<T> {
  const parsed = schema.safeParse(await readJson(req, limit));
  if (!parsed.success) {
    throw badRequest(parsed.error.issues.map((i) => `${i.path.length ? `${i.path.join('.')}: ` : ''}${i.message}`).join('; '));
  }
  return parsed.data;
}

function createdBy(req: IncomingMessage): string {
  const principal = principalOf(req);
  return principal?.kind === 'token' ? principal.token.name : 'local';
}

function refuse(res: ServerResponse, err: unknown): void {
  if (err instanceof HookError) {
    sendJson(res, err.code === 'not_found' ? 404 : 400, { error: { code: err.code, message: err.message } });
    return;
  }
  throw err;
}

/**
 * `/v1/hooks`: subscribe (`POST {event, targetUrl, filter?}`), list, get and delete
 * subscriptions, and the polling fallback of each event (`GET /v1/hooks/poll?event=`), newest
 * first, with the same bodies and ids a subscription receives.
 */
export function addHookRoutes(router: Router, deps: { hooks: HookService; bodyLimit: number }): void {
  const { hooks, bodyLimit } = deps;
  const guarded = (handler: Handler): Handler => async (req, res, params, url) => {
    try {
      await handler(req, res, params, url);
    } catch (err) {
      refuse(res, err);
    }
  };

  router.add('POST', '/v1/hooks', guarded(async (req, res) => {
    const body = await parseBody(req, createHookBody, bodyLimit);
    const hook = hooks.create(body, createdBy(req));
    sendJson(res, 201, hook, { location: `/v1/hooks/${encodeURIComponent(hook.id)}` });
  }));
  router.add('GET', '/v1/hooks', (_req, res) => sendJson(res, 200, { hooks: hooks.list() }));
  router.add('GET', '/v1/hooks/poll', guarded((_req, res, _params, url) => {
    const event = eventName.safeParse(url.searchParams.get('event'));
    if (!event.success) throw badRequest(`?event= must be one of: ${hookEventNames.join(', ')}.`);
    const filter = hookFilterSchema.safeParse(Object.fromEntries([...url.searchParams].filter(([k]) => k !== 'event' && k !== 'limit')));
    if (!filter.success) throw badRequest(`Polling filters are agent, codebase and contextId: ${filter.error.issues.map((i) => i.message).join('; ')}.`);
    sendJson(res, 200, { events: hooks.poll(event.data, { limit: limitParam(url, 20, 100), ...filter.data }) });
  }));
  router.add('GET', '/v1/hooks/{id}', guarded((_req, res, params) => sendJson(res, 200, { ...hooks.get(params.id!), outbox: hooks.outbox(params.id!) })));
  router.add('DELETE', '/v1/hooks/{id}', guarded((_req, res, params) => {
    hooks.delete(params.id!);
    res.writeHead(204).end();
  }));
}
