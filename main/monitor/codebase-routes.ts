import type { CodebaseInfo } from '../../shared/monitor-api';
import { sendError, sendJson } from '../http/respond';
import type { Router } from '../http/router';
import type { CodebaseRepository } from '../store/codebase-repository';
import { registerCodebase } from '../workers/workspace/codebases';
import { badRequest, optionalString, readObject, requiredString } from '../http/request';

export interface CodebaseRouteDeps {
  codebases: CodebaseRepository;
  /** This device's codebases and, through sync, the names other devices registered. */
  known: () => CodebaseInfo[];
  agentNames: () => string[];
  bodyLimit: number;
}

/**
 * `GET/POST /api/codebases`, `DELETE /api/codebases/{name}`: the same rules as `codetether
 * codebase add`. The list includes codebases known only from other devices (no path); those
 * can be registered here under the same name with a folder of this device.
 */
export function addCodebaseRoutes(router: Router, deps: CodebaseRouteDeps): void {
  router.add('GET', '/api/codebases', (_req, res) => sendJson(res, 200, deps.known()));

  router.add('POST', '/api/codebases', async (req, res) => {
    const body = await readObject(req, deps.bodyLimit);
    const allowed = body.allowedAgents;
    if (allowed !== undefined && (!Array.isArray(allowed) || allowed.some((a) => typeof a !== 'string'))) {
      throw badRequest('"allowedAgents" must be a list of agent names.');
    }
    const outcome = registerCodebase(deps.codebases, {
      name: requiredString(body, 'name'),
      path: requiredString(body, 'path'),
      defaultAgent: optionalString(body, 'defaultAgent'),
      allowedAgents: allowed as string[] | undefined,
      knownAgents: deps.agentNames(),
      now: Date.now(),
    });
    if (!outcome.ok) throw badRequest(outcome.error);
    sendJson(res, 201, deps.known().find((c) => c.name === outcome.value.name && c.onThisDevice));
  });

  router.add('DELETE', '/api/codebases/{name}', (_req, res, { name }) => {
    if (!deps.codebases.remove(name!)) return sendError(res, 404, 'not_found', `No codebase named "${name}" is registered.`);
    res.writeHead(204).end();
  });
}
