import { z } from 'zod';
import type { CodebaseInfo, CodebaseRequest } from '../../shared/monitor-api';
import type { MonitorRoutes } from '../../shared/monitor-routes';
import { auditContext } from '../auth/actor';
import { HttpError } from '../http/errors';
import { badRequest, bodySchema, optionalText, readBodyAs } from '../http/request';
import type { Router } from '../http/router';
import { typedRoutes } from '../http/typed-routes';
import type { AuditLog } from '../store/audit-repository';
import type { CodebaseRepository } from '../store/codebase-repository';
import { registerCodebase } from '../workers/workspace/codebases';

export interface CodebaseRouteDeps {
  codebases: CodebaseRepository;
  /** This device's codebases and, through sync, the names other devices registered. */
  known: () => CodebaseInfo[];
  agentNames: () => string[];
  bodyLimit: number;
  audit: Pick<AuditLog, 'append'>;
}

/** The shape of the body; what the names, the folder and the agents must be is registerCodebase's, shared with the CLI. */
const codebaseRequest = bodySchema<CodebaseRequest>()(z.object({
  name: z.string().min(1, 'must not be empty'),
  path: z.string().min(1, 'must not be empty'),
  defaultAgent: optionalText,
  allowedAgents: z.array(z.string(), { error: 'must be a list of agent names' }).optional(),
}));

/**
 * `GET/POST /api/codebases`, `DELETE /api/codebases/{name}`: the same rules as `codetether
 * codebase add`. The list includes codebases known only from other devices (no path); those
 * can be registered here under the same name with a folder of this device.
 */
export function addCodebaseRoutes(router: Router, deps: CodebaseRouteDeps): void {
  const route = typedRoutes<MonitorRoutes>(router);
  route('GET /api/codebases', () => ({ body: deps.known() }));

  route('POST /api/codebases', async (req) => {
    const body = await readBodyAs(req, deps.bodyLimit, codebaseRequest);
    const outcome = registerCodebase(deps.codebases, { ...body, knownAgents: deps.agentNames(), now: Date.now() });
    if (!outcome.ok) throw badRequest(outcome.error);
    deps.audit.append({ ...auditContext(req), action: 'codebase.registered', subject: outcome.value.name, detail: { path: outcome.value.path, via: 'monitor' } });
    const registered = deps.known().find((c) => c.name === outcome.value.name && c.onThisDevice);
    return { status: 201, body: registered! };
  });

  route('DELETE /api/codebases/{name}', (req, { name }) => {
    if (!deps.codebases.remove(name!)) throw new HttpError(404, 'not_found', `No codebase named "${name}" is registered.`);
    deps.audit.append({ ...auditContext(req), action: 'codebase.removed', subject: name!, detail: { via: 'monitor' } });
    return { body: undefined };
  });
}
