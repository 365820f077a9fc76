import { hostname } from 'node:os';
import { join } from 'node:path';
import type { HostInfo } from '../../shared/monitor-api';
import { APP_VERSION } from '../../shared/version';
import { buildAgentCard } from '../a2a/agent-card';
import { addA2aRoutes } from '../a2a/routes';
import type { BearerVerifier } from '../auth/bearer';
import { createGuard } from '../auth/guard';
import { createLiveTokens } from '../auth/live-tokens';
import { createOidcDiscovery, issuerProblem } from '../auth/oidc/discovery';
import { createOidcVerifier, type OidcVerifierOptions } from '../auth/oidc/verifier';
import { createRefusalAudit } from '../auth/refusal-audit';
import type { TokenStore } from '../auth/token-store';
import { isLoopbackBind } from '../auth/loopback';
import { publicRules, scopeResolver, tokenAlwaysPrefixes, workerRules } from '../auth/route-scopes';
import { embeddedOrigin, type ConfigOrigin } from '../base/config';
import { configSchema, type Config } from '../base/config-schema';
import { cliInvocation } from '../base/cli-invocation';
import { HostStartError, listenError } from '../base/errors';
import { createLifetimeStack, type LifetimeStack, type Stop } from '../base/lifetime';
import { removeRuntime, writeRuntime } from '../base/runtime-file';
import { createLogger, type Logger } from '../base/log';
import { createRouter } from '../http/router';
import { createHttpServer } from '../http/server';
import { addAuditRoutes, auditRouteScopes } from '../identity/audit-routes';
import { issuedTokenVerifier } from '../identity/issued-tokens';
import { loadOrCreateKeys } from '../identity/keys';
import { addOAuthRoutes, identityRouteScopes } from '../identity/oauth-routes';
import { OAUTH_PREFIX } from '../identity/oauth-paths';
import type { OAuthServer } from '../identity/oauth-server';
import { addSignInRoutes } from '../identity/sign-in-routes';
import { mcpEndpointUrl } from '../mcp/endpoint-url';
import { mcpListenError } from '../mcp/listen-error';
import { addRalphRoutes } from '../ralph/routes';
import { createRalph } from '../ralph/service';
import { createSessionQueries } from '../mcp/session-queries';
import { addHealthRoute } from '../monitor/health-route';
import { monitorRouteScopes } from '../monitor/route-scopes';
import { addMonitorRoutes } from '../monitor/routes';
import { defaultMonitorDir } from '../monitor/static-files';
import { createTaskReads, type TaskReads } from '../monitor/task-reads';
import { addHookRoutes, hookRouteScopes } from '../push/hook-routes';
import { createHookService, type HookService } from '../push/hook-service';
import { createHostPush, type HostPush } from '../push/host-push';
import { addPushKeyRoute } from '../push/push-key-route';
import type { PushService } from '../push/push-service';
import { createCommitBatcher } from '../store/commit-batcher';
import type { AuditLog } from '../store/audit-repository';
import type { Db } from '../store/open';
import { addSyncStatusRoute, syncRouteScopes } from '../sync/status-route';
import { createSyncService, type SyncService, type SyncServiceOptions } from '../sync/sync-service';
import { builtInAgents } from '../tasks/agents';
import { createTaskBus } from '../tasks/bus';
import type { AgentExecutor } from '../tasks/executor';
import { createTaskService, type TaskService } from '../tasks/service';
import { hostCatalog } from '../workers/agents/catalog';
import { createDispatcher, type HostDispatcher } from '../workers/dispatch/dispatcher';
import { addWorkerRoutes } from '../workers/dispatch/host-routes';
import { createRunSiteLookup } from '../workers/dispatch/run-sites';
import { createPtyHost } from '../workers/pty-host/client';
import { createRlmAgent } from '../rlm/agent';
import { createOutputLog } from '../workers/raw-output/output-log';
import { startHostEmail, type HostEmail } from '../notify/host-email';
import { emailRouteScopes } from '../notify/route-scopes';
import { openHostStore } from './store';

export interface HostUrls {
  a2a: string;
  health: string;
  /** The MCP Streamable HTTP endpoint, always on 127.0.0.1; undefined when its port could not be bound. */
  mcp?: string;
  /** Why there is no MCP endpoint, when there is none. */
  mcpError?: string;
}

export interface Host {
  readonly config: Config;
  readonly db: Db;
  readonly log: Logger;
  readonly tasks: TaskService;
  /** The API tokens: the only token store on the host's connection, so its cache sees every revocation. */
  readonly tokens: TokenStore;
  /** Task counts and summaries for the monitor and the desktop shell's tray. */
  readonly reads: TaskReads;
  /** Push notification configs (the A2A edge's `deps.push`) and their delivery. */
  readonly push: PushService;
  /** REST hook subscriptions to task and Ralph events, delivered by push's loop. */
  readonly hooks: HookService;
  /** Sessions synced through the relay this device is paired with (`codetether sync join`). */
  readonly sync: SyncService;
  /** Task notifications by email and the replies that continue sessions (main/notify). */
  readonly email: HostEmail;
  /** The append-only audit log. */
  readonly audit: AuditLog;
  readonly urls: HostUrls;
  /** Stops accepting, lets in-flight work finish or persist, then closes the database. Idempotent. */
  stop(): Promise<void>;
}

/**
 * A part started once the host listens and before it reports started, such as the desktop
 * shell's own services. Its stop runs first at shutdown; a throw stops the whole start.
 */
export interface HostFeature {
  readonly name: string;
  start(host: Host): void | Stop | Promise<void | Stop>;
}

export interface HostOptions {
  log?: Logger;
  /** better-sqlite3 addon to load instead of the default; Electron passes its own ABI's build. */
  nativeBinding?: string;
  /** In-process agents to run besides the built-in ones (tests add slow or blocking agents this way). */
  agents?: AgentExecutor[];
  /** Sync timings; tests shorten them. */
  sync?: Partial<SyncServiceOptions>;
  /** The config file `config` was loaded from and the source of each value (loadConfigWithOrigin); default: a config built by the embedder. */
  configOrigin?: ConfigOrigin;
  /** The built monitor to serve at `/`; default out/renderer of this checkout or package. */
  monitorDir?: string;
  features?: HostFeature[];
  /** Origins of pages besides the host's own that may change state (the desktop app's dev server). */
  trustedOrigins?: string[];
  /** OpenID provider token checks; tests shorten the JWKS cooldown. */
  oidc?: OidcVerifierOptions;
}

/** The IDE's way to this host over stdio: this installation's bridge, told the data dir, whose runtime file names the MCP port. */
function bridgeFor(dataDir: string): { command: string[]; env: Record<string, string> } | undefined {
  const cli = cliInvocation();
  return cli && { command: [...cli.argv, 'mcp', '--data-dir', dataDir], env: cli.env };
}

function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

/**
 * The composition root: config -> services -> listening host. Electron's main process and the
 * headless CLI both call this, so the desktop app and `codetether serve` are the same program.
 * Every part registers its stop on one lifetime stack as it starts: a failure at any step stops
 * what already started, in reverse order, and `stop()` is the same walk.
 */
export async function startHost(config: Config, options: HostOptions = {}): Promise<Host> {
  const log = options.log ?? createLogger(config.logLevel);
  const stack = createLifetimeStack((name, err) => log.error(`stopping ${name} failed`, { error: String(err) }));
  try {
    return await compose(config, options, log, stack);
  } catch (err) {
    await stack.dispose();
    throw err;
  }
}

async function compose(config: Config, options: HostOptions, log: Logger, stack: LifetimeStack): Promise<Host> {
  const startedAt = Date.now();
  if (config.oidc) {
    const problem = issuerProblem(config.oidc.issuer);
    if (problem) throw new HostStartError(problem);
  }
  const store = openHostStore(config.dataDir, stack, { nativeBinding: options.nativeBinding, auditMaxBytes: Math.round(config.auditMaxMb * 1024 * 1024) });
  const taskLog = log.child('tasks');
  const bus = createTaskBus((err) => taskLog.error('task listener failed', { error: String(err) }));

  const output = createOutputLog({ dir: join(config.dataDir, 'output'), onError: (err) => log.error('raw output not stored', { error: err.message }) });
  stack.defer('raw output', () => output.flush());
  let push: HostPush;
  try {
    push = createHostPush(config, store.push, bus, log.child('push'));
  } catch (err) {
    throw new HostStartError(`Cannot set up push notifications: ${(err as Error).message}`, { cause: err });
  }
  stack.defer('push delivery', () => push.service.stop());
  const sync = createSyncService({ repo: store.sync, codebases: store.codebases, log: log.child('sync'), subscribeAll: bus.subscribeAll, options: options.sync });
  stack.defer('sync', () => sync.stop());
  // The pty host process starts with the first pty task, not here: see createPtyHost.
  const ptyHost = createPtyHost({ log: log.child('pty') });
  stack.defer('pty host', () => ptyHost.stop(config.shutdownGraceMs));

  const batch = createCommitBatcher(store.db, (err) => taskLog.error('commit failed; its changes are rolled back', { error: String(err) }));
  const defaultAgent = (named: string | undefined) => {
    const codebase = named ?? config.defaultCodebase;
    return (codebase && store.codebases.get(codebase)?.defaultAgent) || config.defaultAgent;
  };
  // Ralph, the PRD loop: its agent joins the catalog as a built-in one; its routes and MCP tools
  // are added with the others below.
  const ralph = createRalph({
    tasks: () => tasks, repo: store.ralph, batch, codebases: store.codebases, worktreesDir: join(config.dataDir, 'worktrees'),
    log: log.child('ralph'), defaultAgent, agentNames: () => [...agents.keys()],
  });

  const catalog = hostCatalog(
    config,
    { ptyHost, codebases: store.codebases, output, worktreesDir: join(config.dataDir, 'worktrees'), sessions: store.agentSessions, log: log.child('workers') },
    [
      ...builtInAgents().values(),
      // The RLM agent runs in-process (its sandbox is a worker thread), so it takes no pty slot.
      createRlmAgent({ config, codebases: store.codebases }),
      ralph.agent,
    ],
    options.agents,
  );
  if (!catalog.ok) throw new HostStartError(catalog.error);
  const { agents, ptyAgents } = catalog.value;

  let dispatcher!: HostDispatcher;
  const tasks = createTaskService({
    repo: store.tasks,
    reader: store.taskReader,
    batch,
    bus,
    log: taskLog,
    agents,
    maxAttempts: config.maxAttempts,
    defaultAgent,
    dispatcher: (runner) =>
      (dispatcher = createDispatcher({
        runner,
        localAgents: new Set(agents.keys()),
        limitedAgents: ptyAgents,
        localConcurrency: config.localConcurrency,
        codebases: store.codebases,
        workers: store.workers,
        leaseMs: config.workerLeaseMs,
        claimWaitMs: config.workerClaimWaitMs,
        maxAttempts: config.maxAttempts,
        log: log.child('dispatch'),
        lastSite: createRunSiteLookup(store.db),
        audit: store.audit,
      })),
    audit: store.audit,
  });

  // REST hooks listen from here on, before recovery, so the events of recovered tasks count too.
  const hooks = createHookService({
    repo: store.hooks, tasks, ralph: store.ralph, delivery: push.service.delivery, signingKey: push.signingKey, log: log.child('hooks'), publicUrl: config.publicUrl,
    runChanges: (listener) => ralph.subscribe((change) => listener(change.runId)),
  });
  stack.defer('hooks', () => hooks.stop());

  // Identity (main/identity, main/auth): the OpenID provider's tokens, this host's own OAuth
  // server (made once the host listens: its issuer names the port), and refusals audited.
  const onRefused = createRefusalAudit(store.audit, log.child('auth'));
  const oidcDiscovery = config.oidc && createOidcDiscovery(config.oidc);
  const oidcVerifier = oidcDiscovery && createOidcVerifier(oidcDiscovery, options.oidc);
  const late: { oauth?: () => Promise<OAuthServer>; apiResource?: string; mcpResource?: string } = {};
  const bearersFor = (audience: () => string | undefined): BearerVerifier[] => [issuedTokenVerifier(() => late.oauth?.(), audience), ...(oidcVerifier ? [oidcVerifier] : [])];
  const oauthKeys = await loadOrCreateKeys(store.oauth);
  const sweep = setInterval(() => store.oauth.sweep(), 60 * 60_000);
  sweep.unref();
  stack.defer('oauth sweep', () => clearInterval(sweep));

  const router = createRouter();
  const live = createLiveTokens(store.tokens);
  stack.defer('live tokens', () => live.stop());
  const guard = createGuard({
    tokens: store.tokens,
    live,
    bearers: bearersFor(() => late.apiResource),
    onRefused,
    routeScope: scopeResolver([...publicRules, ...syncRouteScopes, ...monitorRouteScopes, ...workerRules, ...emailRouteScopes, ...hookRouteScopes, ...identityRouteScopes, ...auditRouteScopes]),
    tokenAlways: tokenAlwaysPrefixes,
    bindHost: config.host,
    requireAuth: config.requireAuth,
    extraHosts: config.publicUrl ? [new URL(config.publicUrl).hostname] : [],
    trustedOrigins: [...(config.publicUrl ? [new URL(config.publicUrl).origin] : []), ...(options.trustedOrigins ?? [])],
  });
  const http = createHttpServer({ router, log: log.child('http'), guard });
  // Both servers and the running agents drain at once, within one grace period: a blocking send
  // still gets its answer as its agent stops. The MCP server joins once it exists.
  const servers: { close(graceMs: number): Promise<void> }[] = [http];
  stack.defer('servers and running tasks', async () => {
    await Promise.all([...servers.map((s) => s.close(config.shutdownGraceMs)), tasks.stop(config.shutdownGraceMs)]);
  });
  stack.defer('dispatcher', () => dispatcher.stop());

  const reads = createTaskReads(store.summaries);
  const configOrigin = options.configOrigin ?? embeddedOrigin(config);
  addHealthRoute(router, store.db, startedAt, tasks.storeHealth);
  addPushKeyRoute(router, push.signingKey);
  addSyncStatusRoute(router, sync, config.bodyLimit, store.audit);
  addOAuthRoutes(router, { server: () => late.oauth?.(), repo: store.oauth, audit: store.audit, bodyLimit: config.bodyLimit });
  addSignInRoutes(router, { discovery: oidcDiscovery, verifier: oidcVerifier, publicUrl: config.publicUrl, audit: store.audit, log: log.child('sign-in'), bodyLimit: config.bodyLimit });
  addAuditRoutes(router, store.audit);
  addWorkerRoutes(router, { dispatcher, bodyLimit: config.bodyLimit });
  addRalphRoutes(router, { ralph, bodyLimit: config.bodyLimit, onClose: http.onClose });
  addHookRoutes(router, { hooks, bodyLimit: config.bodyLimit });
  // Filled in once the host listens; the monitor's routes read it per request.
  let monitorHost: Omit<HostInfo, 'version'> = {
    bind: config.host, port: config.port, lan: !isLoopbackBind(config.host), requireAuth: config.requireAuth, a2aUrl: '', mcpUrl: null,
  };
  addMonitorRoutes(router, {
    tasks,
    reads,
    codebases: store.codebases,
    remoteCodebases: store.roaming.codebases,
    tokens: store.tokens,
    output,
    agents: [...agents.values()].map((a) => ({ name: a.name, description: a.description })),
    config,
    configOrigin,
    host: () => monitorHost,
    remoteWorkers: () => dispatcher.remoteWorkers(),
    hostname: hostname(),
    defaultMcpUrl: mcpEndpointUrl(configSchema.shape.mcpPort.parse(undefined)),
    mcpBridge: bridgeFor(config.dataDir),
    bodyLimit: config.bodyLimit,
    audit: store.audit,
    onClose: http.onClose,
    staticDir: options.monitorDir ?? defaultMonitorDir,
  });

  // Email (main/notify): one call owns its routes, outbox, reply handling and IMAP watcher.
  // Before recovery, so the events of recovered tasks are mailed too.
  let email: HostEmail;
  try {
    email = await startHostEmail({ config, configFile: configOrigin.file, repos: store.email, tasks, router, audit: store.audit, log: log.child('email') });
  } catch (err) {
    throw new HostStartError(`Cannot set up email: ${(err as Error).message}`, { cause: err });
  }
  stack.defer('email', () => email.stop(config.shutdownGraceMs));

  // Before listening: a task this process accepts is never mistaken for one a previous process
  // left running, which recovery would start a second time.
  const requeued = tasks.recover();
  if (requeued) log.info('requeued unfinished tasks', { count: requeued });

  let address;
  try {
    address = await http.listen(config.host, config.port);
  } catch (err) {
    throw listenError(err as NodeJS.ErrnoException, 'A2A', config.host, config.port);
  }
  const base = `http://${urlHost(config.host)}:${address.port}`;
  const publicBase = config.publicUrl?.replace(/\/+$/, '') ?? base;
  // oidc-provider (with Koa) takes 0.5-0.9 s to load here and warns on Node 20, so it loads with
  // the first request that needs the authorization server (its routes, or an opaque bearer token
  // only it can have issued), not with every host. Every `codetether` command imports this module.
  let oauthLoading: Promise<OAuthServer> | undefined;
  late.oauth = () =>
    (oauthLoading ??= import('../identity/oauth-server').then(
      ({ createOAuthServer }) =>
        createOAuthServer({ base: publicBase, mcpResource: () => late.mcpResource, repo: store.oauth, audit: store.audit, log: log.child('oauth'), behindProxy: config.publicUrl !== undefined, keys: oauthKeys }),
      (err: Error) => {
        log.error('the OAuth authorization server did not load; OAuth apps cannot connect until a restart', { error: err.message });
        throw err;
      },
    ));
  late.apiResource = publicBase;
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
    deps: { tasks, sessions: createSessionQueries(store.summaries), codebases: store.codebases, peers: store.a2aPeers, agents, card: () => card, log: log.child('mcp'), ralph, audit: store.audit },
    tokens: store.tokens,
    live,
    bearers: bearersFor(() => late.mcpResource),
    authorizationServer: () => `${publicBase}${OAUTH_PREFIX}`,
    onRefused,
    log: log.child('mcp'),
    bodyLimit: config.bodyLimit,
  });
  servers.push(mcp);
  // A busy MCP port must not take the A2A host down with it: the host runs without MCP and says why.
  let mcpError: string | undefined;
  const mcpUrl = await mcp.listen(config.mcpPort).catch((err: NodeJS.ErrnoException) => {
    mcpError = mcpListenError(err, config.mcpPort).message;
    log.error(mcpError);
    return undefined;
  });
  late.mcpResource = mcpUrl;
  const urls: HostUrls = { a2a: `${base}/a2a`, health: `${base}/healthz`, ...(mcpUrl ? { mcp: mcpUrl } : { mcpError }) };
  // The CLI's commands find this host (its real ports) through this file; gone when it stops.
  writeRuntime(config.dataDir, { pid: process.pid, startedAt: new Date(startedAt).toISOString(), version: APP_VERSION, origin: base, a2a: urls.a2a, ...(mcpUrl ? { mcp: mcpUrl } : {}) });
  stack.defer('runtime file', () => removeRuntime(config.dataDir));
  monitorHost = { ...monitorHost, port: address.port, a2aUrl: urls.a2a, mcpUrl: mcpUrl ?? null };
  hooks.start();
  push.service.start();

  let stopping: Promise<void> | undefined;
  const host: Host = {
    config,
    db: store.db,
    log,
    tasks,
    tokens: store.tokens,
    reads,
    push: push.service,
    hooks,
    sync,
    email,
    audit: store.audit,
    urls,
    stop() {
      stopping ??= (async () => {
        log.info('host stopping');
        await stack.dispose();
        log.info('host stopped');
      })();
      return stopping;
    },
  };
  for (const feature of options.features ?? []) {
    const stop = await feature.start(host);
    if (stop) stack.defer(feature.name, stop);
  }
  log.info('host started', { dataDir: config.dataDir, ...urls });
  return host;
}
