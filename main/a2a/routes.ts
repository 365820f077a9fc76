import type { AgentCard } from '@a2a-js/sdk';
import type { Router } from '../http/router';
import type { PushConfigs } from '../push/push-configs';
import type { TaskService } from '../tasks/service';
import { addAgentCardRoute } from './agent-card-route';
import { addJsonRpcRoutes } from './jsonrpc-route';
import type { CloseRegistry } from './jsonrpc-sse';
import { createRequestHandler, type CodeTetherRequestHandler } from './request-handler';
import { addRestRoutes } from './rest/routes';

export interface A2aRoutesDeps {
  tasks: TaskService;
  push: PushConfigs;
  /** Built after listen (the port is known only then); called per request. */
  card: () => AgentCard;
  extendedCard?: () => AgentCard;
  bodyLimit: number;
  onClose: CloseRegistry;
}

/** Mounts the A2A edge: the agent card and JSON-RPC (v1.0 + v0.3). Returns the request handler. */
export function addA2aRoutes(router: Router, deps: A2aRoutesDeps): CodeTetherRequestHandler {
  const handler = createRequestHandler(deps);
  addAgentCardRoute(router, deps.card);
  addJsonRpcRoutes(router, { handler, bodyLimit: deps.bodyLimit, onClose: deps.onClose });
  addRestRoutes(router, { handler, bodyLimit: deps.bodyLimit, onClose: deps.onClose });
  return handler;
}
