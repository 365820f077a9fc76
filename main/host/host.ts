import { hostname } from 'node:os';
import { join } from 'node:path';
import type { HostInfo } from '../../shared/monitor-api';
import { buildAgentCard } from '../a2a/agent-card';
import { addA2aRoutes } from '../a2a/routes';
import { createGuard } from '../auth/guard';
import { isLoopbackBind } from '../auth/loopback';
import { publicRules, scopeResolver, tokenAlwaysPrefixes, workerRules } from '../auth/route-scopes';
import { createTokenStore } from '../auth/token-store';
import { createHttpServer } from '../http/server';
import { mcpEndpointUrl } from '../mcp/endpoint-url';
import { mcpListenError } from '../mcp/listen-error';
import { monitorRouteScopes } from '../monitor/route-scopes';
import { addMonitorRoutes } from '../monitor/routes';
import { defaultMonitorDir } from '../monitor/static-files';
import { createTaskReads } from '../monitor/task-reads';
import { createRouter } from '../http/router';
import { createHostPush } from '../push/host-push';
import { addPushKeyRoute } from '../push/push-key-route';
import type { PushService } from '../push/push-service';
import { createCommitBatcher } from '../store/commit-batcher';
import { databaseFile } from '../store/paths';
import { closeDatabase, openDatabase, type Db } from '../store/open';
import { createAgentSessionRepository } from '../store/agent-session-repository';
import { createCodebaseRepository } from '../store/codebase-repository';
import { createRoamingRepository } from '../store/roaming-repository';
import { createTaskRepository } from '../store/task-repository';
import { addSyncStatusRoute, syncRouteScopes } from '../sync/status-route';
import { createSyncService, type SyncService, type SyncServiceOptions } from '../sync/sync-service';
import { builtInAgents } from '../tasks/agents';
import { createTaskBus } from '../tasks/bus';
import type { AgentExecutor } from '../tasks/executor';
import { createTaskService, type TaskService } from '../tasks/service';
import { configSchema, type Config } from '../base/config-schema';
import { HostStartError, listenError } from '../base/errors';
import { addHealthRoute } from '../monitor/health-route';
import { createLogger, type Logger } from '../base/log';
import { commandAgents } from '../workers/agents/command-agents';
import { codingAgents } from '../workers/agents/coding-agents';
import { createPtyHost } from '../workers/pty-host/client';
import { createOutputLog } from '../workers/raw-output/output-log';
import { createDispatcher, type HostDispatcher } from '../workers/dispatch/dispatcher';
import { createRunSiteLookup } from '../workers/dispatch/run-sites';
import { addWorkerRoutes } from '../workers/dispatch/host-routes';
import { createWorkerRepository } from '../store/worker-repository';

export interface HostUrls {
  a2a: string;
  health: string;
  /** The MCP Streamable HTTP endpoint, always on 127.0.0.1; undefined when its port could not be bound. */
  mcp?: string;
}

export interface Host {
  readonly config: Config;
  readonly db: Db;
  readonly log: Logger;
  readonly tasks: TaskService;
  /** Push notification configs (the A2A edge's `deps.push`) and their delivery. */
  readonly push: PushService;
  /** Sessions synced through the relay this device is paired with (`codetether sync join`). */
  readonly sync: SyncService;
  readonly urls: HostUrls;
  /** Stops accepting, lets in-flight work finish or persist, then closes the database. Idempotent. */
  stop(): Promise<void>;
}

export interface HostOptions {
  log?: Logger;
  /** better-sqlite3 addon to load instead of the default; Electron passes its own ABI's build. */
  nativeBinding?: string;
  /** Agents to run besides the built-in ones (tests add slow or blocking agents this way). */
  agents?: AgentExecutor[];
  /** Sync timings; tests shorten them. */
  sync?: Partial<SyncServiceOptions>;
  /** The built monitor to serve at `/`; default out/renderer of this checkout or package. */
  monitorDir?: string;
}

function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

/**
 * The composition root: config -> services -> listening host. Electron's main process and the
 * headless CLI both call this, so the desktop app and `codetether serve` are the same program.
 */
export async function startHost(config: Config, options: HostOptions = {}): Promise<Host> {
  const log = options.log ?? createLogger(config.logLevel);
  const startedAt = Date.now();
  let db: Db;
  let readDb: Db;
  try {
    const file = databaseFile(config.dataDir);
    db = openDatabase(file, { nativeBinding: options.nativeBinding });
    readDb = openDatabase(file, { nativeBinding: options.nativeBinding, readonly: true });
  } catch (err) {
    throw new HostStartError(`Cannot open the database in ${config.dataDir}: ${(err as Error).message}`, { cause: err });
  }
  const closeStore = () => {
    readDb.close();
    closeDatabase(db);
  };

  const taskLog = log.child('tasks');
  const bus = createTaskBus((err) => taskLog.error('task listener failed', { error: String(err) }));
  const agents = builtInAgents();
  // The pty host process starts with the first pty task, not here: see createPtyHost.
  const ptyHost = createPtyHost({ log: log.child('pty') });
  const codebases = createCodebaseRepository(db);
  const output = createOutputLog({ dir: join(config.dataDir, 'output'), onError: (err) => log.error('raw output not stored', { error: err.message }) });
  const worktreesDir = join(config.dataDir, 'worktrees');
  const ptyAgents = [
    ...codingAgents(config, { ptyHost, codebases, output, worktreesDir, sessions: createAgentSessionRepository(db), log: log.child('workers') }),
  ];
  for (const agent of ptyAgents) agents.set(agent.name, agent);
  for (const agent of commandAgents(config, { ptyHost, codebases, output, worktreesDir, log: log.child('workers') })) {
    ptyAgents.push(agent);
    if (agents.has(agent.name)) {
      closeStore();
      throw new HostStartError(`Config "agents.${agent.name}" has the name of a built-in agent; choose another name.`);
    }
    agents.set(agent.name, agent);
  }
  for (const agent of options.agents ?? []) agents.set(agent.name, agent);
  let dispatcher!: HostDispatcher;
  const batch = createCommitBatcher(db, (err) => taskLog.error('commit failed; its changes are rolled back', { error: String(err) }));
  const tasks = createTaskService({
    repo: createTaskRepository(db),
    reader: createTaskRepository(readDb),
    batch,
    bus,
    log: taskLog,
    agents,
    maxAttempts: config.maxAttempts,
    defaultAgent: (named) => {
      const codebase = named ?? config.defaultCodebase;
      return (codebase && codebases.get(codebase)?.defaultAgent) || config.defaultAgent;
    },
    dispatcher: (runner) =>
      (dispatcher = createDispatcher({
        runner,
        localAgents: new Set(agents.keys()),
        limitedAgents: new Set(ptyAgents.map((a) => a.name)),
        localConcurrency: config.localConcurrency,
        codebases,
        workers: createWorkerRepository(db),
        leaseMs: config.workerLeaseMs,
        claimWaitMs: config.workerClaimWaitMs,
        maxAttempts: config.maxAttempts,
        log: log.child('dispatch'),
        lastSite: createRunSiteLookup(db),
      })),
  });
  let push: ReturnType<typeof createHostPush>;
  try {
    push = createHostPush(config, db, bus, log.child('push'));
  } catch (err) {
    closeStore();
    throw new HostStartError(`Cannot set up push notifications: ${(err as Error).message}`, { cause: err });
  }

  const sync = createSyncService({ db, log: log.child('sync'), subscribeAll: tasks.subscribeAll, options: options.sync });

  const router = createRouter();
  addHealthRoute(router, db, startedAt);
  addPushKeyRoute(router, push.signingKey);
  addSyncStatusRoute(router, sync, config.bodyLimit);
  addWorkerRoutes(router, { dispatcher, bodyLimit: config.bodyLimit });
  const guard = createGuard({
    tokens: createTokenStore(db),
    routeScope: scopeResolver([...publicRules, ...syncRouteScopes, ...monitorRouteScopes, ...workerRules]),
    tokenAlways: tokenAlwaysPrefixes,
    bindHost: config.host,
    requireAuth: config.requireAuth,
    extraHosts: config.publicUrl ? [new URL(config.publicUrl).hostname] : [],
  });
  const http = createHttpServer({ router, log: log.child('http'), guard });
  // Filled in once the host listens; the monitor's routes read it per request.
  let monitorHost: Omit<HostInfo, 'version'> = {
    bind: config.host, port: config.port, lan: !isLoopbackBind(config.host), requireAuth: config.requireAuth, a2aUrl: '', mcpUrl: null,
  };
  addMonitorRoutes(router, {
    tasks,
    reads: createTaskReads(readDb),
    codebases,
    remoteCodebases: createRoamingRepository(readDb).codebases,
    tokens: createTokenStore(db),
    output,
    agents: [...agents.values()].map((a) => ({ name: a.name, description: a.description })),
    config,
    host: () => monitorHost,
    remoteWorkers: () => dispatcher.remoteWorkers(),
    hostname: hostname(),
    defaultMcpUrl: mcpEndpointUrl(configSchema.shape.mcpPort.parse(undefined)),
    bodyLimit: config.bodyLimit,
    onClose: http.onClose,
    staticDir: options.monitorDir ?? defaultMonitorDir,
  });

  let address;
  try {
    address = await http.listen(config.host, config.port);
  } catch (err) {
    sync.stop();
    closeStore();
    throw listenError(err as NodeJS.ErrnoException, 'A2A', config.host, config.port);
  }
  const base = `http://${urlHost(config.host)}:${address.port}`;
  // The card names the listening address (port 0 is common), so the A2A routes are added
  // after listen: in the same tick, before any connection is served.
  const card = buildAgentCard({
    baseUrl: config.publicUrl?.replace(/\/+$/, '') ?? base,
    agents: agents.values(),
    authRequired: !isLoopbackBind(config.host) || config.requireAuth,
  });
  addA2aRoutes(router, { tasks, push: push.service, card: () => card, bodyLimit: config.bodyLimit, onClose: http.onClose });
  // Loaded here, after the A2A port answers: the MCP SDK is the slowest import of the host.
  const { createMcpEndpoint } = await import('../mcp/http-endpoint');
  const mcp = createMcpEndpoint({
    deps: { tasks, db, agents, card: () => card, log: log.child('mcp') },
    tokens: createTokenStore(db),
    log: log.child('mcp'),
    bodyLimit: config.bodyLimit,
  });
  // A busy MCP port must not take the A2A host down with it: the host runs without MCP and says why.
  const mcpUrl = await mcp.listen(config.mcpPort).catch((err: NodeJS.ErrnoException) => {
    log.error(mcpListenError(err, config.mcpPort).message);
    return undefined;
  });
  const urls: HostUrls = { a2a: `${base}/a2a`, health: `${base}/healthz`, ...(mcpUrl ? { mcp: mcpUrl } : {}) };
  monitorHost = { ...monitorHost, port: address.port, a2aUrl: urls.a2a, mcpUrl: mcpUrl ?? null };
  log.info('host started', { dataDir: config.dataDir, ...urls });
  push.service.start();
  const requeued = tasks.recover();
  if (requeued) log.info('requeued unfinished tasks', { count: requeued });

  let stopping: Promise<void> | undefined;
  return {
    config,
    db,
    log,
    tasks,
    push: push.service,
    sync,
    urls,
    stop() {
      stopping ??= (async () => {
        log.info('host stopping');
        dispatcher.stop();
        await Promise.all([http.close(config.shutdownGraceMs), mcp.close(config.shutdownGraceMs), tasks.stop(config.shutdownGraceMs)]);
        // After the task service: its agents have ended their process groups by now; this ends stragglers and the pty host.
        await ptyHost.stop(config.shutdownGraceMs);
        output.flush();
        await push.service.stop();
        sync.stop();
        closeStore();
        log.info('host stopped');
      })();
      return stopping;
    },
  };
}
