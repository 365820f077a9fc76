import { Message, Task } from '@a2a-js/sdk';
import { randomUUID } from 'node:crypto';
import type { WorkerInfo } from '../../../shared/monitor-api';
import type { Logger } from '../../base/log';
import type { CodebaseRepository } from '../../store/codebase-repository';
import type { AuditLog } from '../../store/audit-repository';
import type { WorkerRecord, WorkerRepository } from '../../store/worker-repository';
import type { TaskUpdate } from '../../tasks/executor';
import type { Dispatcher, RunnableTask, TaskRunner } from '../../tasks/runner';
import type { Assignment, RegisterRequest, RegisterResponse } from '../wire/protocol';
import { AFFINITY_WAIT_MS, chooseSite, createSiteMemory, localSite, type AffinityKey, type RunSite, type SiteView } from './affinity';
import { createLeaseBook, unknownSession, type RemoteResult, type Session } from './leases';
import { placementOf } from './placement';
import { createRunQueue } from './queue';
import { reapLease } from './reaper';
import { claimNote } from './run-sites';

export interface DispatcherOptions {
  runner: TaskRunner;
  /** Agents this process runs. */
  localAgents: ReadonlySet<string>;
  /** Agents whose runs count against `localConcurrency` (agent processes); the rest run in-process at once. */
  limitedAgents: ReadonlySet<string>;
  localConcurrency: number;
  codebases: CodebaseRepository;
  workers: WorkerRepository;
  /** Where the reaper records the requeues and failures it decides on its own. */
  audit: AuditLog;
  leaseMs: number;
  claimWaitMs: number;
  maxAttempts: number;
  log: Logger;
  now?: () => number;
  /**
   * Where the previous task of a context (same agent and codebase) ran, for a context this
   * dispatcher has not placed since it started: read from the task store (see ./run-sites).
   */
  lastSite?: (key: AffinityKey) => RunSite | undefined;
  /** How long a task waits for the busy worker that ran its context's previous task; default AFFINITY_WAIT_MS. */
  affinityWaitMs?: number;
}

/** Heartbeats also carry cancellations to the worker, so they come at least this often however long the lease. */
const HEARTBEAT_CAP_MS = 1000;

/** Contexts whose last run site is held in memory; older ones are read from the task store again. */
const AFFINITY_MEMORY = 10_000;

interface Entry {
  job: RunnableTask;
  codebase: string | undefined;
  priority: number;
  /** Queued for the worker that ran the context's previous task (undefined workerId: this process) until `timer` fires. */
  hold?: { workerId: string | undefined; timer: NodeJS.Timeout };
}

/** The host's dispatcher: the task core's Dispatcher, plus the remote workers' side of it (routes under /workers). */
export interface HostDispatcher extends Dispatcher {
  register(req: RegisterRequest): RegisterResponse;
  /** A worker's long-poll: an assignment, or undefined when nothing came within the claim wait. */
  claim(sessionId: string, signal: AbortSignal): RemoteResult<Promise<Assignment | undefined>>;
  heartbeat(sessionId: string, leaseIds: string[]): RemoteResult<{ lost: string[]; canceled: string[] }>;
  report(sessionId: string, leaseId: string, seq: number, updates: TaskUpdate[]): Promise<RemoteResult<number>>;
  complete(sessionId: string, leaseId: string, error: string | undefined): Promise<RemoteResult<void>>;
  /** Answers every waiting claim and stops the reaper (shutdown). */
  stop(): void;
  /** Remote workers with a live session, as the monitor lists them; load is the tasks they hold leases for. */
  remoteWorkers(): WorkerInfo[];
  /** Tasks waiting for a worker. */
  readonly queued: number;
}

/**
 * Push dispatch. A task made runnable by a commit goes at once to an eligible worker with room:
 * this process (the local worker), or a remote worker whose claim request is waiting; otherwise it
 * waits in the queue until a worker frees a slot or a claim arrives. No side polls.
 */
export function createDispatcher(options: DispatcherOptions): HostDispatcher {
  const { runner, localAgents, limitedAgents, codebases, workers, log } = options;
  const now = options.now ?? Date.now;
  const queue = createRunQueue<Entry>();
  const sessions = new Map<string, Session>();
  /** Every worker that ever registered: a task for its codebase waits for it rather than failing. */
  const known = new Map(workers.list().map((w) => [w.id, w]));
  let localRunning = 0;
  const heartbeatMs = Math.max(50, Math.min(HEARTBEAT_CAP_MS, Math.floor(options.leaseMs / 3)));
  /** Three heartbeats missed: a worker is gone, and a lease it never named it never got. */
  const silentMs = 3 * heartbeatMs;
  const leases = createLeaseBook({ runner, leaseMs: options.leaseMs, ackMs: silentMs, now });
  const affinityWaitMs = options.affinityWaitMs ?? AFFINITY_WAIT_MS;
  const lastSites = createSiteMemory(AFFINITY_MEMORY, options.lastSite ?? (() => undefined));
  /** Queued entries held for a worker (see Entry.hold). */
  const held = new Set<Entry>();

  const localCodebase = (name: string | undefined) => name === undefined || codebases.get(name) !== undefined;
  const localServes = (e: Entry) => localAgents.has(e.job.agent) && localCodebase(e.codebase);
  const localFree = (e: Entry) => !limitedAgents.has(e.job.agent) || localRunning < options.localConcurrency;
  const localCan = (e: Entry) => localServes(e) && localFree(e);
  const remoteServes = (s: Session, e: Entry) => e.codebase !== undefined && s.codebases.has(e.codebase) && s.agents.has(e.job.agent);
  const hasRoom = (s: Session) => s.leases.size < s.worker.concurrency;
  const remoteCan = (s: Session, e: Entry) => remoteServes(s, e) && hasRoom(s);
  const someoneServes = (e: Entry) =>
    localServes(e) ||
    (e.codebase !== undefined && [...known.values()].some((w) => w.codebases.includes(e.codebase!) && w.agents.includes(e.job.agent)));

  /**
   * Still there: its claim is waiting, or it called within three heartbeats. A worker at its
   * concurrency keeps no claim open but heartbeats; a killed one closed its claim's connection
   * (noticed at once) or, cut off, goes silent.
   */
  const connected = (s: Session) => sessions.get(s.id) === s && !s.dropped && (s.waiter !== undefined || now() - s.lastSeen < silentMs);
  const siteOf = (s: Session): RunSite => ({ local: false, workerId: s.worker.id, name: s.worker.name });
  const affinityKey = (e: Entry): AffinityKey => ({ contextId: e.job.task.contextId, agent: e.job.agent, codebase: e.codebase! });
  const remember = (e: Entry, site: RunSite) => {
    if (e.codebase !== undefined) lastSites.set(affinityKey(e), site);
  };

  /**
   * Context affinity: the connected eligible worker that ran the previous task of the context
   * (same agent and codebase), when there is a choice of workers at all.
   */
  function preferred(e: Entry) {
    const sites: SiteView<Session | undefined>[] = [];
    if (localServes(e)) sites.push({ ref: undefined, site: localSite, free: localFree(e) });
    for (const s of sessions.values()) {
      if (remoteServes(s, e) && connected(s)) sites.push({ ref: s, site: siteOf(s), free: s.waiter !== undefined && hasRoom(s) });
    }
    if (sites.length < 2) return { kind: 'any' } as const;
    return chooseSite(lastSites.get(affinityKey(e)), sites);
  }

  /** Whether the worker `by` (undefined: this process) may take `e` now: it is not held for another worker that is still there. */
  function mayTake(e: Entry, by: Session | undefined): boolean {
    const h = e.hold;
    if (!h) return true;
    if (h.workerId === undefined) return by === undefined;
    if (by?.worker.id === h.workerId) return true;
    for (const s of sessions.values()) if (s.worker.id === h.workerId && remoteServes(s, e) && connected(s)) return false;
    return true;
  }

  function hold(e: Entry, workerId: string | undefined): void {
    const timer = setTimeout(() => {
      unhold(e);
      placeQueued();
    }, affinityWaitMs);
    timer.unref();
    e.hold = { workerId, timer };
    held.add(e);
  }

  function unhold(e: Entry): void {
    if (!e.hold) return;
    clearTimeout(e.hold.timer);
    e.hold = undefined;
    held.delete(e);
  }

  /** The first queued entry `by` can run and may take (undefined: this process). */
  function take(by: Session | undefined): Entry | undefined {
    const e = queue.take(by ? (q) => remoteCan(by, q) && mayTake(q, by) : (q) => localCan(q) && mayTake(q, undefined));
    if (e) unhold(e);
    return e;
  }

  /** Hands queued tasks to every worker with room: after a hold ended, or a worker it was held for went away. */
  function placeQueued(): void {
    if (queue.size === 0) return;
    drainLocal();
    for (const s of sessions.values()) fillClaim(s);
  }

  /** Assigns queued tasks to `s` while its claim waits and it has room. */
  function fillClaim(s: Session): void {
    let e: Entry | undefined;
    while (s.waiter && hasRoom(s) && (e = take(s))) assign(s, e);
  }

  function startLocal(e: Entry): void {
    remember(e, localSite);
    if (!limitedAgents.has(e.job.agent)) {
      void runner.runLocal(e.job);
      return;
    }
    localRunning++;
    void runner.runLocal(e.job).finally(() => {
      localRunning--;
      drainLocal();
    });
  }

  function drainLocal(): void {
    let e: Entry | undefined;
    while ((e = take(undefined))) startLocal(e);
  }

  /** Claims the task for `s` and answers its waiting claim; false when the task may no longer run. */
  function assign(s: Session, e: Entry): boolean {
    const claimed = runner.claim(e.job.taskId, claimNote(s.worker));
    if (!claimed) return false;
    remember(e, siteOf(s));
    const lease = leases.open(s, { taskId: e.job.taskId, agent: e.job.agent, message: e.job.message, attempt: claimed.attempt });
    const waiter = s.waiter!;
    s.waiter = undefined;
    waiter({ leaseId: lease.id, taskId: lease.taskId, agent: lease.agent, attempt: lease.attempt, task: Task.toJSON(claimed.task), message: Message.toJSON(e.job.message) });
    return true;
  }

  function offer(job: RunnableTask): void {
    const e: Entry = { job, ...placementOf(job.task, job.message) };
    if (e.codebase !== undefined) {
      const choice = preferred(e);
      if (choice.kind === 'run') return choice.on ? void assign(choice.on, e) : startLocal(e);
      if (choice.kind === 'wait') {
        // Busy: queued for it, in its place by priority and arrival, for a bounded time.
        hold(e, choice.for?.worker.id);
        return queue.push(e);
      }
    }
    if (localCan(e)) return startLocal(e);
    for (const s of sessions.values()) {
      // A task canceled meanwhile is simply not assigned.
      if (s.waiter && remoteCan(s, e)) return void assign(s, e);
    }
    // Nobody could ever take it: the local run fails it with the reason (unknown codebase or agent).
    if (!someoneServes(e)) return void runner.runLocal(job);
    queue.push(e);
  }

  function register(req: RegisterRequest): RegisterResponse {
    const at = now();
    const worker: WorkerRecord = { id: req.workerId, name: req.name, codebases: req.codebases, agents: req.agents, concurrency: req.concurrency, registeredAt: at, lastSeenAt: at };
    workers.register(worker);
    known.set(worker.id, worker);
    // A worker registering again lost its earlier session (host restart or its own): those leases go to the reaper.
    for (const s of sessions.values()) {
      if (s.worker.id !== worker.id) continue;
      // A restarted worker's claim closed with its process, and worker.db admits one process per
      // machine: a claim still waiting means a second machine with the same worker.db.
      if (s.waiter && !s.dropped) {
        log.warn('worker id registered again while its earlier session still waits for tasks; two machines may share a copied worker.db', {
          worker: worker.id, name: worker.name, earlierName: s.worker.name,
        });
      }
      dropSession(s);
    }
    const session: Session = { id: randomUUID(), worker, codebases: new Set(req.codebases), agents: new Set(req.agents), leases: new Map(), lastSeen: at, dropped: false };
    sessions.set(session.id, session);
    log.info('worker registered', { worker: worker.id, name: worker.name, codebases: req.codebases, agents: req.agents, concurrency: req.concurrency });
    return { sessionId: session.id, leaseMs: options.leaseMs, heartbeatMs, claimWaitMs: options.claimWaitMs };
  }

  function dropSession(s: Session): void {
    sessions.delete(s.id);
    s.waiter?.(undefined);
    s.waiter = undefined;
    // Its leases stay until they expire: a worker that only lost its connection may still report.
    for (const lease of s.leases.values()) lease.expiresAt = Math.min(lease.expiresAt, now());
  }

  /**
   * The claim's connection closed under a worker that holds leases: a killed worker's kernel
   * closes it at once. Its leases now last only three heartbeats from its last call, instead of
   * the whole lease; a worker that is alive (a dropped network path) heartbeats within that and
   * so gets its leases back in full.
   */
  function expireSilent(s: Session): void {
    if (s.leases.size === 0) return;
    const until = s.lastSeen + silentMs;
    for (const lease of s.leases.values()) lease.expiresAt = Math.min(lease.expiresAt, until);
    const timer = setTimeout(sweep, Math.max(0, until - now()) + 5);
    timer.unref();
  }

  /** Long-poll: resolves with a task for the worker, or undefined after claimWaitMs or when `signal` aborts. */
  function claim(sessionId: string, signal: AbortSignal): RemoteResult<Promise<Assignment | undefined>> {
    const s = sessions.get(sessionId);
    if (!s) return unknownSession();
    s.lastSeen = now();
    s.dropped = false;
    s.waiter?.(undefined);
    return {
      ok: true,
      value: new Promise((resolve) => {
        const finish = (a: Assignment | undefined) => {
          clearTimeout(timer);
          signal.removeEventListener('abort', onClosed);
          s.lastSeen = now();
          resolve(a);
        };
        const onTimeout = () => {
          if (s.waiter === finish) s.waiter = undefined;
          finish(undefined);
        };
        // The worker's end of the claim closed before an answer: tasks held for it need not wait.
        const onClosed = () => {
          const waiting = s.waiter === finish;
          onTimeout();
          if (waiting) {
            s.dropped = true;
            expireSilent(s);
            if (held.size > 0) placeQueued();
          }
        };
        const timer = setTimeout(onTimeout, options.claimWaitMs);
        signal.addEventListener('abort', onClosed, { once: true });
        s.waiter = finish;
        fillClaim(s);
      }),
    };
  }

  function heartbeat(sessionId: string, leaseIds: string[]): RemoteResult<{ lost: string[]; canceled: string[] }> {
    const s = sessions.get(sessionId);
    if (!s) return unknownSession();
    const at = now();
    s.lastSeen = at;
    s.dropped = false;
    workers.seen(s.worker.id, at);
    return { ok: true, value: leases.heartbeat(s, leaseIds, at) };
  }

  /** Commits one batch of a remote run's updates, once per seq; resolves when durable. */
  async function report(sessionId: string, leaseId: string, seq: number, updates: TaskUpdate[]): Promise<RemoteResult<number>> {
    const found = leases.find(sessions.get(sessionId), leaseId);
    return found.ok ? leases.report(found.value, seq, updates) : found;
  }

  /** The run ended on the worker: the worker's slot takes the next queued task. */
  async function complete(sessionId: string, leaseId: string, error: string | undefined): Promise<RemoteResult<void>> {
    const found = leases.find(sessions.get(sessionId), leaseId);
    if (!found.ok) return found;
    await leases.complete(found.value, error);
    fillClaim(found.value.session);
    await runner.durable();
    return { ok: true, value: undefined };
  }

  function cancel(taskId: string): void {
    const removed = queue.take((e) => e.job.taskId === taskId);
    if (removed) unhold(removed);
    leases.cancel(taskId);
  }

  /** Requeues or fails the tasks of expired leases, and forgets sessions that went silent. */
  function sweep(): void {
    const at = now();
    for (const lease of leases.takeExpired(at)) {
      if (lease.canceled) continue;
      const task = reapLease(lease, { runner, audit: options.audit, log, maxAttempts: options.maxAttempts, now: at });
      if (task) offer({ taskId: lease.taskId, agent: lease.agent, message: lease.message, task });
    }
    for (const s of sessions.values()) {
      if (!s.waiter && s.leases.size === 0 && at - s.lastSeen > options.leaseMs) sessions.delete(s.id);
    }
    // A worker that tasks are held for may have gone silent since.
    if (held.size > 0) placeQueued();
  }

  const reaper = setInterval(sweep, Math.max(20, Math.min(1000, Math.floor(options.leaseMs / 4))));
  reaper.unref();

  const dispatcher: Dispatcher = {
    offer,
    cancel,
    hasAgent: (name) => localAgents.has(name) || [...known.values()].some((w) => w.agents.includes(name)),
    agentNames: () => [...new Set([...localAgents, ...[...known.values()].flatMap((w) => w.agents)])],
    hasCodebase: (name) => codebases.get(name) !== undefined || [...known.values()].some((w) => w.codebases.includes(name)),
    codebaseNames: () => [...new Set([...codebases.list().map((c) => c.name), ...[...known.values()].flatMap((w) => w.codebases)])].sort(),
  };

  return {
    ...dispatcher,
    register,
    claim,
    heartbeat,
    report,
    complete,
    stop() {
      clearInterval(reaper);
      for (const e of held) unhold(e);
      for (const s of sessions.values()) {
        s.waiter?.(undefined);
        s.waiter = undefined;
      }
    },
    remoteWorkers() {
      return [...sessions.values()].map((s) => ({ name: s.worker.name, local: false, codebases: [...s.codebases], load: s.leases.size, heartbeatAt: s.lastSeen }));
    },
    get queued() {
      return queue.size;
    },
  };
}
