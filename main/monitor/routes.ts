import { APP_VERSION } from '../../shared/version';
import type { AgentInfo, HostInfo, Overview, WorkerInfo } from '../../shared/monitor-api';
import type { MonitorRoutes } from '../../shared/monitor-routes';
import type { TokenStore } from '../auth/token-store';
import type { ConfigOrigin } from '../base/config';
import type { Config } from '../base/config-schema';
import { HttpError } from '../http/errors';
import type { Router } from '../http/router';
import type { HttpServer } from '../http/server';
import { typedRoutes } from '../http/typed-routes';
import type { AuditLog } from '../store/audit-repository';
import type { CodebaseRepository } from '../store/codebase-repository';
import type { RemoteCodebaseRow } from '../store/roaming-repository';
import { knownCodebases } from '../sync/known-codebases';
import type { TaskService } from '../tasks/service';
import type { OutputLog } from '../workers/raw-output/output-log';
import { addCodebaseRoutes } from './codebase-routes';
import { addFeedRoute, FEED_TASKS } from './feed-route';
import { addIdeConfigRoute } from './ide-config-route';
import { limitParam } from '../http/request';
import { addStaticRoutes } from './static-files';
import { addTaskLogRoute } from './task-log-route';
import { addTaskOutputRoute } from './task-output-route';
import type { TaskReads } from './task-reads';
import { addSettingsRoutes } from './settings-routes';
import { addTokenRoutes } from './token-routes';

export interface MonitorDeps {
  tasks: TaskService;
  reads: TaskReads;
  codebases: CodebaseRepository;
  /** Codebases other devices of the sync workspace registered. */
  remoteCodebases: () => RemoteCodebaseRow[];
  tokens: TokenStore;
  /** Raw terminal output of local pty runs. */
  output: OutputLog;
  agents: AgentInfo[];
  /** The config the host started with (the settings view; PUT writes config.json for the next start). */
  config: Config;
  /** The config file the host read (PUT writes it) and where each value came from. */
  configOrigin: ConfigOrigin;
  /** Read per request: the port and the MCP URL are known only once the host listens. */
  host: () => Omit<HostInfo, 'version'>;
  /** Remote workers online (the dispatcher's sessions). */
  remoteWorkers: () => WorkerInfo[];
  /** The machine's name, shown as the local worker. */
  hostname: string;
  defaultMcpUrl: string;
  /** How an IDE starts this installation's stdio MCP bridge (see ide-config-route). */
  mcpBridge?: { command: string[]; env: Record<string, string> };
  bodyLimit: number;
  audit: Pick<AuditLog, 'append'>;
  onClose: HttpServer['onClose'];
  /** The built renderer. */
  staticDir: string;
}

/** The monitor's API under /api and the built page at /; the monitor uses the A2A routes under /v1 for tasks. */
export function addMonitorRoutes(router: Router, deps: MonitorDeps): void {
  const { reads } = deps;
  const host = (): HostInfo => ({ version: APP_VERSION, ...deps.host() });
  const known = () => knownCodebases(deps.codebases.list(), deps.remoteCodebases());

  function overview(limit: number): Overview {
    const { counts, total } = reads.counts();
    // Only codebases with a folder here: the overview feeds the composer, and tasks run only in those.
    const codebases = known().filter((c) => c.onThisDevice);
    return { counts, tasks: reads.recent(limit), total, agents: deps.agents, codebases, workers: workers(codebases, counts), host: host() };
  }

  function workers(codebases = known().filter((c) => c.onThisDevice), counts = reads.counts().counts): WorkerInfo[] {
    const local: WorkerInfo = {
      name: deps.hostname,
      local: true,
      codebases: codebases.map((c) => c.name),
      load: counts.submitted + counts.working,
      heartbeatAt: Date.now(),
    };
    return [local, ...deps.remoteWorkers()];
  }

  const route = typedRoutes<MonitorRoutes>(router);
  route('GET /api/overview', (_req, _params, url) => ({ body: overview(limitParam(url, FEED_TASKS, 10_000)) }));
  route('GET /api/sessions', (_req, _params, url) => ({ body: reads.sessions(limitParam(url, 500, 5000)) }));
  route('GET /api/tasks/{id}', (_req, { id }) => {
    const task = reads.summary(id!);
    if (!task) throw new HttpError(404, 'not_found', `Task ${id} does not exist on this host.`);
    return { body: task };
  });
  route('GET /api/sessions/{id}', (_req, { id }) => {
    const session = reads.session(id!);
    if (!session) throw new HttpError(404, 'not_found', `Session ${id} does not exist on this host.`);
    return { body: session };
  });
  addFeedRoute(router, { tasks: deps.tasks, reads, overview, workers: () => workers(), onClose: deps.onClose });
  addTaskLogRoute(router, { tasks: deps.tasks, reads, onClose: deps.onClose });
  addTaskOutputRoute(router, { tasks: deps.tasks, reads, output: deps.output, onClose: deps.onClose });
  addCodebaseRoutes(router, { codebases: deps.codebases, known, agentNames: () => deps.agents.map((a) => a.name), bodyLimit: deps.bodyLimit, audit: deps.audit });
  addTokenRoutes(router, { tokens: deps.tokens, bodyLimit: deps.bodyLimit, audit: deps.audit });
  addSettingsRoutes(router, { config: deps.config, origin: deps.configOrigin, agents: deps.agents, bodyLimit: deps.bodyLimit, audit: deps.audit });
  addIdeConfigRoute(router, { mcpUrl: () => deps.host().mcpUrl ?? undefined, defaultMcpUrl: deps.defaultMcpUrl, bridge: deps.mcpBridge });
  addStaticRoutes(router, deps.staticDir);
}
