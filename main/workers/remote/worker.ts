import { Message, Task } from '@a2a-js/sdk';
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { Logger } from '../../base/log';
import type { AgentExecutor } from '../../tasks/executor';
import { TaskError } from '../../tasks/task-error';
import { backoff } from './backoff';
import type { CallResult, HostClient } from './client';
import { workerPaths, type Assignment, type HeartbeatResponse, type RegisterResponse } from '../wire/protocol';
import { createRunReporter } from './run-reporter';

export interface WorkerOptions {
  client: HostClient;
  agents: ReadonlyMap<string, AgentExecutor>;
  codebases: string[];
  concurrency: number;
  name?: string;
  /** Kept across restarts (worker.db): the host knows a restarted worker as the one that ran a context. Default: new per process. */
  workerId?: string;
  log: Logger;
}

/** A refusal that no retry fixes (bad token, missing scope, not a CodeTether host): the worker stops with it. */
export class WorkerFatalError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WorkerFatalError';
  }
}

interface Run {
  lease: string;
  controller: AbortController;
}

function fatalOf(client: HostClient, result: Extract<CallResult, { kind: 'refused' }>): WorkerFatalError | undefined {
  if (result.status === 401) return new WorkerFatalError(`The host at ${client.origin} refused the token (${result.code}): ${result.message}`);
  if (result.status === 403) return new WorkerFatalError(`The token may not act as a worker (${result.code}): ${result.message} Create one with "codetether token create --name <name> --scopes worker".`);
  if (result.status === 404 && result.code !== 'session_unknown') return new WorkerFatalError(`${client.origin} does not speak the CodeTether worker protocol (HTTP 404 on ${workerPaths.register}).`);
  if (result.status === 400) return new WorkerFatalError(`The host refused this worker's registration: ${result.message}`);
  return undefined;
}

/**
 * `codetether worker`: registers with the host, claims tasks on a long-poll, runs them with the
 * local agents in the local codebases, heartbeats its leases and streams output back. A network
 * drop is retried with backoff; a host that forgot the session (it restarted) gets a new
 * registration, and the runs of the old one stop, since their tasks were requeued there.
 */
export function startWorker(options: WorkerOptions) {
  const { client, log } = options;
  const workerId = options.workerId ?? randomUUID();
  const stopping = new AbortController();
  const runs = new Map<string, Run>();
  let session: RegisterResponse | undefined;
  let registering: Promise<RegisterResponse> | undefined;
  let heartbeat: NodeJS.Timeout | undefined;
  let freed: (() => void) | undefined;

  /** `onWaiting` hears once that the host is not up yet (the worker started first); it keeps trying. */
  async function register(onWaiting?: (why: string) => void): Promise<RegisterResponse> {
    const body = { workerId, name: options.name ?? hostname(), codebases: options.codebases, agents: [...options.agents.keys()], concurrency: options.concurrency };
    for (let attempt = 0; ; attempt++) {
      const result = await client.call(workerPaths.register, body);
      if (result.kind === 'ok') return result.body as RegisterResponse;
      if (result.kind === 'refused') {
        const fatal = fatalOf(client, result);
        if (fatal) throw fatal;
      }
      const why = result.kind === 'network' ? result.message : `${result.status} ${result.message}`;
      if (attempt === 0) onWaiting?.(why);
      log.warn('registration failed; retrying', { error: why });
      await backoff(attempt, stopping.signal);
      if (stopping.signal.aborted) throw new WorkerFatalError('stopped');
    }
  }

  /** The host forgot our session: every run of it is void; register again (once, however many noticed). */
  function sessionLost(stale: RegisterResponse): Promise<RegisterResponse> {
    if (session !== stale) return registering ?? Promise.resolve(session!);
    session = undefined;
    for (const run of runs.values()) run.controller.abort();
    registering ??= register().then((s) => {
      session = s;
      registering = undefined;
      log.info('registered again', { session: s.sessionId });
      return s;
    });
    return registering;
  }

  function execute(s: RegisterResponse, a: Assignment): void {
    const agent = options.agents.get(a.agent)!;
    const controller = new AbortController();
    const stop = () => controller.abort();
    stopping.signal.addEventListener('abort', stop, { once: true });
    const reporter = createRunReporter({
      client, session: s.sessionId, lease: a.leaseId,
      onRefused: (result) => {
        log.info('host stopped the run', { taskId: a.taskId, code: result.code, message: result.message });
        controller.abort();
        if (result.code === 'session_unknown') void sessionLost(s);
      },
    });
    runs.set(a.leaseId, { lease: a.leaseId, controller });
    log.info('running task', { taskId: a.taskId, agent: a.agent, attempt: a.attempt });
    void (async () => {
      let error: string | undefined;
      try {
        await agent.execute({
          task: Task.fromJSON(a.task),
          message: Message.fromJSON(a.message),
          signal: controller.signal,
          update: (...updates) => {
            if (controller.signal.aborted || reporter.refused) throw new TaskError('invalid-transition', `Task ${a.taskId}'s run was stopped by the host.`);
            reporter.push(updates);
          },
        });
      } catch (err) {
        error = (err as Error).message;
      }
      // A run of a lost session, or one ended by shutdown, reports nothing more: its task is the host's to requeue.
      if (!stopping.signal.aborted && session === s) await reporter.finish(error);
      stopping.signal.removeEventListener('abort', stop);
      runs.delete(a.leaseId);
      freed?.();
    })();
  }

  async function beat(): Promise<void> {
    const s = session;
    if (!s) return;
    const result = await client.call(workerPaths.heartbeat(s.sessionId), { leases: [...runs.keys()] });
    if (result.kind === 'ok') {
      const { lost, canceled } = result.body as HeartbeatResponse;
      for (const id of [...lost, ...canceled]) runs.get(id)?.controller.abort();
    } else if (result.kind === 'refused' && result.code === 'session_unknown') {
      await sessionLost(s);
    } else {
      log.warn('heartbeat failed', { error: result.message });
    }
  }

  async function claimLoop(): Promise<void> {
    for (let failures = 0; !stopping.signal.aborted; ) {
      if (runs.size >= options.concurrency) {
        await new Promise<void>((resolve) => (freed = resolve));
        freed = undefined;
        continue;
      }
      const s = session ?? (await registering!);
      const result = await client.call(workerPaths.claim(s.sessionId), {}, { timeoutMs: s.claimWaitMs + 10_000, signal: stopping.signal });
      if (stopping.signal.aborted) return;
      if (result.kind === 'ok') {
        failures = 0;
        if (result.status === 200) execute(s, result.body as Assignment);
        continue;
      }
      if (result.kind === 'refused' && result.code === 'session_unknown') {
        await sessionLost(s);
        continue;
      }
      if (result.kind === 'refused') {
        const fatal = fatalOf(client, result);
        if (fatal) throw fatal;
      }
      log.warn('claim failed; retrying', { error: result.message });
      await backoff(failures++, stopping.signal);
    }
  }

  return {
    /**
     * Registers (throwing WorkerFatalError when the host refuses; waiting and retrying while it
     * cannot be reached, as when the worker starts before it), then serves until `stop`.
     */
    async run(onRegistered?: (s: RegisterResponse) => void, onWaiting?: (why: string) => void): Promise<void> {
      session = await register(onWaiting ?? (() => {}));
      onRegistered?.(session);
      heartbeat = setInterval(() => void beat(), session.heartbeatMs);
      try {
        await claimLoop();
      } finally {
        clearInterval(heartbeat);
      }
    },
    /** Stops claiming and ends the runs; their leases lapse and the host requeues their tasks. */
    stop(): void {
      stopping.abort();
      freed?.();
    },
  };
}
