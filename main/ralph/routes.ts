import type { ServerResponse } from 'node:http';
import { z } from 'zod';
import { runStatuses, type CreateRunRequest, type PrdChatRequest } from '../../shared/ralph-api';
import { readJson } from '../http/body';
import { badRequest, limitParam, resumePoint } from '../http/request';
import { sendError, sendJson } from '../http/respond';
import type { Router } from '../http/router';
import type { HttpServer } from '../http/server';
import { openSse } from '../http/sse';
import { limitsInput, MAX_PARALLEL } from './limits';
import { RalphError, type Ralph } from './service';

/** The seed's snake_case names, read as ours. */
const aliases: Record<string, string> = { codebase_id: 'codebase', max_parallel: 'maxParallel', continue_branch: 'continueBranch' };

export const createRunBody = z
  .preprocess(
    (body) => {
      if (typeof body !== 'object' || body === null || Array.isArray(body)) return body;
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(body)) out[aliases[k] ?? k] = v;
      const seed = body as Record<string, unknown>;
      if (seed.max_iterations !== undefined || seed.run_mode !== undefined) {
        const limits = { ...(out.limits as object | undefined) } as Record<string, unknown>;
        if (seed.max_iterations !== undefined) limits.maxIterations = seed.max_iterations;
        out.limits = limits;
        if (seed.run_mode === 'sequential') out.maxParallel = 1;
        else if (seed.run_mode === 'parallel' && out.maxParallel === undefined) out.maxParallel = 3;
        delete out.max_iterations;
        delete out.run_mode;
      }
      return out;
    },
    z
      .object({
        prd: z.unknown().refine((v) => v !== undefined, '"prd" is required: the PRD as a JSON object (or its JSON text)'),
        codebase: z.string({ error: '"codebase" is required: the registered codebase to work on' }).min(1),
        agent: z.string().min(1).optional(),
        model: z.string().min(1).optional(),
        maxParallel: z.number().int().min(1).max(MAX_PARALLEL).optional(),
        limits: limitsInput.optional(),
        continueBranch: z.boolean().optional(),
      })
      .strict(),
  );

export const prdChatBody = z
  .object({
    message: z.string({ error: '"message" is required: what to build' }).min(1),
    codebase: z.string({ error: '"codebase" is required' }).min(1),
    agent: z.string().min(1).optional(),
    model: z.string().min(1).optional(),
    contextId: z.string().min(1).optional(),
  })
  .strict();

async function parseBody<T>(req: Parameters<Parameters<Router['add']>[2]>[0], schema: z.ZodType<T>, limit: number): Promise<T> {
  const parsed = schema.safeParse(await readJson(req, limit));
  if (!parsed.success) {
    throw badRequest(parsed.error.issues.map((i) => `${i.path.length ? `${i.path.join('.')}: ` : ''}${i.message}`).join('; '));
  }
  return parsed.data;
}

function refuse(res: ServerResponse, err: unknown): void {
  if (err instanceof RalphError) {
    const status = err.code === 'not_found' ? 404 : err.code === 'conflict' ? 409 : 400;
    sendJson(res, status, { error: { code: err.code, message: err.message, ...(err.errors.length ? { errors: err.errors } : {}) } });
    return;
  }
  throw err;
}

/**
 * `/v1/ralph/*`: runs (create, list, get, cancel, logs, an SSE stream of the run and its log),
 * a passed story's diff, and the PRD chat. Bodies are parsed with zod at the door.
 */
export function addRalphRoutes(router: Router, deps: { ralph: Ralph; bodyLimit: number; onClose: HttpServer['onClose'] }): void {
  const { ralph, bodyLimit } = deps;
  const guarded = (handler: Parameters<Router['add']>[2]): Parameters<Router['add']>[2] => async (req, res, params, url) => {
    try {
      await handler(req, res, params, url);
    } catch (err) {
      refuse(res, err);
    }
  };

  router.add('POST', '/v1/ralph/runs', guarded(async (req, res) => {
    const body = (await parseBody(req, createRunBody, bodyLimit)) as CreateRunRequest;
    sendJson(res, 201, await ralph.createRun(body));
  }));

  router.add('GET', '/v1/ralph/runs', guarded((_req, res, _p, url) => {
    const status = url.searchParams.get('status') ?? undefined;
    if (status !== undefined && !(runStatuses as readonly string[]).includes(status)) throw badRequest(`status must be one of ${runStatuses.join(', ')}.`);
    sendJson(res, 200, { runs: ralph.list({ status: status as never, limit: limitParam(url, 50, 500) }) });
  }));

  router.add('GET', '/v1/ralph/runs/{id}', guarded((_req, res, { id }) => sendJson(res, 200, ralph.get(id!))));

  router.add('POST', '/v1/ralph/runs/{id}/cancel', guarded(async (_req, res, { id }) => sendJson(res, 200, await ralph.cancel(id!))));

  router.add('GET', '/v1/ralph/runs/{id}/logs', guarded((req, res, { id }, url) => {
    sendJson(res, 200, { lines: ralph.logs(id!, resumePoint(req, url, 'after', 'log seq'), limitParam(url, 500, 5000)) });
  }));

  router.add('GET', '/v1/ralph/runs/{id}/stories/{story}/diff', guarded(async (_req, res, { id, story }) => {
    const text = await ralph.diff(id!, story!);
    res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  }));

  router.add('POST', '/v1/ralph/prd', guarded(async (req, res) => {
    const body = (await parseBody(req, prdChatBody, bodyLimit)) as PrdChatRequest;
    const ctl = new AbortController();
    res.on('close', () => ctl.abort());
    sendJson(res, 200, await ralph.prdChat(body, ctl.signal));
  }));

  // Live: `run` events carry the whole run after each change, `log` events (id: their seq) each
  // log line, replayed from `after` or Last-Event-ID first. The stream ends after the run ends.
  router.add('GET', '/v1/ralph/runs/{id}/stream', guarded((req, res, { id }, url) => {
    let last = resumePoint(req, url, 'after', 'log seq');
    ralph.get(id!);
    const sse = openSse(res);
    let pending = false;
    const flush = () => {
      pending = false;
      if (sse.closed) return;
      for (const line of ralph.logs(id!, last, 1000)) {
        last = line.seq;
        sse.send(JSON.stringify(line), line.seq, 'log');
      }
      const run = ralph.get(id!);
      sse.send(JSON.stringify(run), undefined, 'run');
      if (run.status === 'completed' || run.status === 'failed' || run.status === 'canceled') sse.close();
    };
    const unsubscribe = ralph.subscribe((change) => {
      if (change.runId !== id || pending) return;
      // Changes of one turn go out as one event.
      pending = true;
      setImmediate(flush);
    });
    const unhook = deps.onClose(() => sse.close());
    sse.onClose(() => {
      unsubscribe();
      unhook();
    });
    flush();
  }));

  router.fallback('/v1/ralph', (_req, res) => sendError(res, 404, 'not_found', 'No such Ralph route. Routes: /v1/ralph/runs, /v1/ralph/runs/{id}, .../cancel, .../logs, .../stream, .../stories/{story}/diff, /v1/ralph/prd.'));
}
