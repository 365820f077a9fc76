import { Agent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { TaskPushNotificationConfig } from '@a2a-js/sdk';
import type { Logger } from '../base/log';
import type { DueDelivery, PushRepository } from '../store/push-repository';
import type { TaskBus } from '../tasks/bus';
import { TaskError } from '../tasks/task-error';
import { configFromRow, configRow } from './config-input';
import type { PushConfigs } from './push-configs';
import { SIGNATURE_HEADER, signPush, type PushSigningKey } from './signature';
import { sendWebhook, type WebhookClient } from './send-webhook';
import { createTargetPolicy, type Resolve } from './target-policy';

export interface PushDeliveryConfig {
  /** Host names, IPs and CIDRs that may be targeted although loopback, private or link-local. */
  allowlist: readonly string[];
  /** Attempts per event and config before the row is marked dead. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  timeoutMs: number;
  /** Deliveries in flight at once, over all configs (default 8). */
  concurrency?: number;
}

export interface PushServiceDeps {
  repo: PushRepository;
  bus: Pick<TaskBus, 'subscribeAll'>;
  log: Logger;
  config: PushDeliveryConfig;
  signingKey: PushSigningKey;
  /** DNS resolution of webhook hosts; the system resolver unless replaced. */
  resolve?: Resolve;
}

/** Exponential backoff with jitter: about base * 2^(attempt-1), never above max, at least half of it. */
export function retryDelay(attempt: number, config: Pick<PushDeliveryConfig, 'baseDelayMs' | 'maxDelayMs'>): number {
  const full = Math.min(config.maxDelayMs, config.baseDelayMs * 2 ** Math.min(attempt - 1, 30));
  return Math.round(full / 2 + (Math.random() * full) / 2);
}

/**
 * Push notifications: config CRUD for the A2A edge, and delivery of every committed event of a
 * task to each of its configs through the push_outbox table. Enqueueing starts at creation (so
 * no event committed before start() is missed); delivery runs between start() and stop(). The
 * loop sleeps when there is nothing to send: an enqueue wakes it, and one timer waits for the
 * next due retry.
 */
export function createPushService(deps: PushServiceDeps) {
  const { repo, log, config, signingKey } = deps;
  const policy = createTargetPolicy(config.allowlist, deps.resolve);
  const concurrency = config.concurrency ?? 8;
  // A claimed row stays out of the due set this long; only matters if the process dies mid-send.
  const leaseMs = config.timeoutMs * 2;
  const withConfigs = new Set(repo.tasksWithConfigs());
  const inflight = new Map<number, Promise<void>>();
  let client: WebhookClient | undefined;
  let abort = new AbortController();
  let running = false;
  let wakePending = false;
  let timer: NodeJS.Timeout | undefined;

  const unsubscribe = deps.bus.subscribeAll((event) => {
    // The hot path: a task without push configs costs one Set lookup and no SQL.
    if (!withConfigs.has(event.taskId)) return;
    // Answered with a Message: the task, its configs and its outbox are gone.
    if (event.kind === 'message') return void withConfigs.delete(event.taskId);
    try {
      if (repo.enqueue(event.taskId, event.seq, Date.now()) > 0) wake();
    } catch (err) {
      log.error('could not enqueue push notifications', { taskId: event.taskId, seq: event.seq, error: (err as Error).message });
    }
  });

  function wake(): void {
    if (!running || wakePending) return;
    wakePending = true;
    setImmediate(() => {
      wakePending = false;
      pump();
    });
  }

  function pump(): void {
    if (!running) return;
    clearTimeout(timer);
    timer = undefined;
    try {
      schedule();
    } catch (err) {
      // Runs from timers and completions, where a throw would take the process down.
      log.error('push delivery loop failed', { error: (err as Error).message });
    }
  }

  function schedule(): void {
    const free = concurrency - inflight.size;
    if (free > 0) {
      const now = Date.now();
      for (const row of repo.due(now, free)) {
        repo.claim(row.id, now + leaseMs);
        inflight.set(row.id, deliver(row).finally(() => {
          inflight.delete(row.id);
          pump();
        }));
      }
    }
    if (inflight.size >= concurrency) return;
    const next = repo.nextDue();
    if (next === undefined) return;
    timer = setTimeout(pump, Math.max(0, next - Date.now()));
    timer.unref();
  }

  async function deliver(row: DueDelivery): Promise<void> {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'user-agent': 'CodeTether-Push/1',
      [SIGNATURE_HEADER.toLowerCase()]: signPush(signingKey, row.seq, row.body_json),
    };
    if (row.token) headers['x-a2a-notification-token'] = row.token;
    if (row.auth_scheme) headers.authorization = `${row.auth_scheme} ${row.auth_credentials ?? ''}`.trimEnd();
    const result = await sendWebhook({ url: row.url, headers, body: row.body_json, timeoutMs: config.timeoutMs }, client!, abort.signal);
    const attempts = row.attempts + 1;
    try {
      if (result.ok) return repo.delivered(row.id);
      if (abort.signal.aborted) return repo.retry(row.id, Date.now(), 'interrupted by shutdown');
      if (attempts >= config.maxAttempts) {
        log.warn('push notification given up', { taskId: row.task_id, configId: row.config_id, seq: row.seq, attempts, error: result.error });
        return repo.dead(row.id, result.error);
      }
      const delay = retryDelay(attempts, config);
      // A refused target is a setting for the user to fix (or a name that now resolves inward), not a network hiccup.
      if (result.refused) log.warn('push target refused at delivery; will retry', { taskId: row.task_id, configId: row.config_id, seq: row.seq, attempts, delay, error: result.error });
      else log.debug('push notification failed; will retry', { taskId: row.task_id, configId: row.config_id, seq: row.seq, attempts, delay, error: result.error });
      repo.retry(row.id, Date.now() + delay, result.error);
    } catch (err) {
      log.error('could not record a push delivery', { taskId: row.task_id, seq: row.seq, error: (err as Error).message });
    }
  }

  function mustHaveTask(taskId: string): void {
    if (!repo.taskExists(taskId)) throw new TaskError('task-not-found', `Task ${taskId} does not exist.`);
  }

  /**
   * Scheme, syntax and literal IPs only. A host name is resolved at each delivery, where the
   * address that is checked is the one dialled: checking it here too would refuse a config
   * while DNS is down (an offline laptop) and prove nothing against a name that rebinds later.
   */
  async function checkTarget(url: string): Promise<void> {
    const target = policy.checkUrl(url);
    if (!target.ok) throw new TaskError('invalid-params', `Push notification url ${url} is refused: ${target.reason}.`);
  }

  const configs: PushConfigs = {
    checkTarget,
    async create(input: TaskPushNotificationConfig, options = {}) {
      const row = configRow(input, Date.now());
      const { fromSeq } = options;
      if (fromSeq !== undefined && (!Number.isSafeInteger(fromSeq) || fromSeq < 1)) throw new TaskError('invalid-params', 'fromSeq must be a positive integer.');
      mustHaveTask(row.task_id);
      await checkTarget(row.url);
      const backfilled = repo.transaction(() => {
        mustHaveTask(row.task_id);
        repo.upsertConfig(row);
        return fromSeq === undefined ? 0 : repo.backfill(row.task_id, row.id, fromSeq, Date.now());
      });
      withConfigs.add(row.task_id);
      if (backfilled) wake();
      return configFromRow(repo.getConfig(row.task_id, row.id)!);
    },
    get(taskId, id) {
      mustHaveTask(taskId);
      const row = repo.getConfig(taskId, id);
      if (!row) throw new TaskError('push-config-not-found', `Task ${taskId} has no push notification config ${id}.`);
      return configFromRow(row);
    },
    list(taskId) {
      mustHaveTask(taskId);
      return repo.listConfigs(taskId).map(configFromRow);
    },
    delete(taskId, id) {
      mustHaveTask(taskId);
      if (!repo.deleteConfig(taskId, id)) throw new TaskError('push-config-not-found', `Task ${taskId} has no push notification config ${id}.`);
      if (!repo.hasConfigs(taskId)) withConfigs.delete(taskId);
    },
  };

  return {
    ...configs,
    /** Starts delivering: what is pending (also from before a restart), then what gets enqueued. */
    start(): void {
      if (running) return;
      running = true;
      abort = new AbortController();
      client = {
        policy,
        agents: { http: new Agent({ keepAlive: true, maxSockets: concurrency }), https: new HttpsAgent({ keepAlive: true, maxSockets: concurrency }) },
      };
      pump();
    },
    /**
     * Stops enqueueing and delivering. Sends in flight are cut off and stay pending (due at once
     * after the next start), so stop() returns promptly and the database can close after it.
     */
    async stop(): Promise<void> {
      unsubscribe();
      running = false;
      clearTimeout(timer);
      abort.abort();
      await Promise.allSettled([...inflight.values()]);
      client?.agents.http.destroy();
      client?.agents.https.destroy();
    },
    /** A task's undelivered and given-up notifications, for inspection. */
    outbox: (taskId: string) => repo.outbox(taskId),
  };
}

export type PushService = ReturnType<typeof createPushService>;
