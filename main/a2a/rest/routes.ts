import {
  AgentCard,
  CancelTaskRequest,
  ListTaskPushNotificationConfigsResponse,
  ListTasksResponse,
  SendMessageRequest,
  SendMessageResponse,
  Task,
  TaskPushNotificationConfig,
} from '@a2a-js/sdk';
import { RequestMalformedError } from '@a2a-js/sdk/errors';
import type { A2ARequestHandler } from '@a2a-js/sdk/server';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { lastEventId } from '../../http/sse';
import type { Params, Router } from '../../http/router';
import type { HttpServer } from '../../http/server';
import { REST_BASE_PATH } from '../agent-card';
import { restContext } from './context';
import { cancelShape, checkShape, pushConfigShape, sendMessageShape, type Shape } from '../body-shape';
import { RestRouteError, sendRestError } from './errors';
import { getTaskQuery, listConfigsQuery, listTasksQuery } from './query';
import { checkContentType, checkVersion, readJsonObject } from './request';
import { sendA2aJson, sendNoContent } from './respond';
import { writeStream } from './stream';

export interface RestRouteDeps {
  handler: A2ARequestHandler;
  bodyLimit: number;
  /** The HTTP server's onClose: open streams end when the server shuts down. */
  onClose: HttpServer['onClose'];
}

type RestHandler = (req: IncomingMessage, res: ServerResponse, params: Params, url: URL) => Promise<void>;
const ALL_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
type Method = (typeof ALL_METHODS)[number];

/**
 * The A2A HTTP+JSON binding, written by hand: the SDK's REST transport exists only inside its
 * express router, so these routes decode with its codecs, call our request handler, and render
 * errors with its toRestErrorBody/restStatusFor.
 *
 * Tenant-prefixed paths (/v1/{tenant}/...) are not served: tasks here have no tenant to scope
 * them by, and the agent card advertises none.
 */
export function addRestRoutes(router: Router, deps: RestRouteDeps): void {
  const { handler, bodyLimit } = deps;

  async function readShaped(req: IncomingMessage, shape: Shape, optional = false) {
    const body = await readJsonObject(req, bodyLimit, optional);
    checkShape(body, shape);
    return body;
  }

  function run(work: RestHandler): RestHandler {
    return async (req, res, params, url) => {
      try {
        checkContentType(req);
        checkVersion(req);
        await work(req, res, params, url);
      } catch (err) {
        // Only a write that failed mid-response gets here with headers out; nothing to add.
        if (res.headersSent) res.destroy();
        else sendRestError(res, err);
      }
    };
  }

  /** Registers `path` for its methods and answers every other method with a REST-shaped 405. */
  function route(path: string, methods: Partial<Record<Method, RestHandler>>): void {
    const allow = Object.keys(methods).join(', ');
    for (const method of ALL_METHODS) {
      const work = methods[method];
      router.add(
        method,
        REST_BASE_PATH + path,
        work
          ? run(work)
          : async (req, res) => sendRestError(res, new RestRouteError(405, `${req.method} is not allowed here; use ${allow}.`, { allow })),
      );
    }
  }

  route('/message:send', {
    POST: async (req, res) => {
      const params = SendMessageRequest.fromJSON(await readShaped(req, sendMessageShape));
      const result = await handler.sendMessage(params, restContext(req, res));
      const body: SendMessageResponse = { payload: 'messageId' in result ? { $case: 'message', value: result } : { $case: 'task', value: result } };
      sendA2aJson(res, 200, SendMessageResponse.toJSON(body));
    },
  });

  route('/message:stream', {
    POST: async (req, res) => {
      const params = SendMessageRequest.fromJSON(await readShaped(req, sendMessageShape));
      const ctx = restContext(req, res);
      await writeStream(res, ctx, handler.sendMessageStream(params, ctx), deps.onClose);
    },
  });

  route('/tasks', {
    GET: async (req, res, _params, url) => {
      const result = await handler.listTasks(listTasksQuery(url.searchParams), restContext(req, res));
      sendA2aJson(res, 200, listTasksJson(result));
    },
  });

  route('/tasks/{id}', {
    GET: async (req, res, { id }, url) => {
      const task = await handler.getTask({ id: id!, tenant: '', ...getTaskQuery(url.searchParams) }, restContext(req, res));
      sendA2aJson(res, 200, Task.toJSON(task));
    },
  });

  route('/tasks/{id}:cancel', {
    POST: async (req, res, { id }) => {
      const body = CancelTaskRequest.fromJSON(await readShaped(req, cancelShape, true));
      const task = await handler.cancelTask({ ...body, id: id!, tenant: '' }, restContext(req, res));
      sendA2aJson(res, 200, Task.toJSON(task));
    },
  });

  /**
   * A fresh subscribe starts with the Task. With Last-Event-ID the client already holds the
   * events up to that seq (the Task included), so the handler sends only what came after.
   */
  const subscribe: RestHandler = async (req, res, { id }) => {
    if (req.method === 'POST') await readJsonObject(req, bodyLimit, true);
    const header = req.headers['last-event-id'];
    const after = lastEventId(header);
    if (header !== undefined && after === undefined) {
      throw new RequestMalformedError('Last-Event-ID must be the non-negative integer id of an event this server sent.');
    }
    const ctx = restContext(req, res, after);
    await writeStream(res, ctx, handler.resubscribe({ id: id!, tenant: '' }, ctx), deps.onClose);
  };
  route('/tasks/{id}:subscribe', { GET: subscribe, POST: subscribe });

  route('/tasks/{taskId}/pushNotificationConfigs', {
    POST: async (req, res, { taskId }) => {
      const body = await readShaped(req, pushConfigShape);
      if (body.taskId !== undefined && body.taskId !== taskId) {
        throw new RequestMalformedError(`The body's taskId "${String(body.taskId).slice(0, 80)}" differs from the path's "${taskId}".`);
      }
      const config = await handler.createTaskPushNotificationConfig(
        TaskPushNotificationConfig.fromJSON({ ...body, taskId, tenant: '' }),
        restContext(req, res),
      );
      sendA2aJson(res, 201, TaskPushNotificationConfig.toJSON(config));
    },
    GET: async (req, res, { taskId }, url) => {
      const result = await handler.listTaskPushNotificationConfigs(
        { taskId: taskId!, tenant: '', ...listConfigsQuery(url.searchParams) },
        restContext(req, res),
      );
      const json = ListTaskPushNotificationConfigsResponse.toJSON(result) as Record<string, unknown>;
      sendA2aJson(res, 200, { configs: [], nextPageToken: '', ...json });
    },
  });

  route('/tasks/{taskId}/pushNotificationConfigs/{configId}', {
    GET: async (req, res, { taskId, configId }) => {
      const config = await handler.getTaskPushNotificationConfig({ taskId: taskId!, id: configId!, tenant: '' }, restContext(req, res));
      sendA2aJson(res, 200, TaskPushNotificationConfig.toJSON(config));
    },
    DELETE: async (req, res, { taskId, configId }) => {
      await handler.deleteTaskPushNotificationConfig({ taskId: taskId!, id: configId!, tenant: '' }, restContext(req, res));
      sendNoContent(res);
    },
  });

  route('/extendedAgentCard', {
    GET: async (req, res) => {
      const card = await handler.getAuthenticatedExtendedAgentCard({ tenant: '' }, restContext(req, res));
      sendA2aJson(res, 200, AgentCard.toJSON(card));
    },
  });

  router.fallback(REST_BASE_PATH, async (req, res, _params, url) => {
    try {
      decodeURIComponent(url.pathname);
    } catch {
      return sendRestError(res, new RequestMalformedError(`The path ${url.pathname.slice(0, 200)} has malformed percent-encoding.`));
    }
    sendRestError(res, new RestRouteError(404, `No HTTP+JSON route for ${req.method} ${url.pathname.slice(0, 200)}.`));
  });
}

/** ListTasksResponse.toJSON drops empty and zero fields; the spec wants all four present. */
function listTasksJson(result: ListTasksResponse): Record<string, unknown> {
  const json = ListTasksResponse.toJSON(result) as Record<string, unknown>;
  return { tasks: [], nextPageToken: '', pageSize: result.pageSize, totalSize: result.totalSize, ...json };
}
