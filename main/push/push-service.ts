import type { TaskPushNotificationConfig } from '@a2a-js/sdk';
import type { Logger } from '../base/log';
import type { DueDelivery, PushRepository } from '../store/push-repository';
import type { TaskBus } from '../tasks/bus';
import { TaskError } from '../tasks/task-error';
import { configFromRow, configRow } from './config-input';
import { createDeliveryLoop, type Delivery, type DeliveryPolicy, type DeliveryQueue } from './delivery-loop';
import type { PushConfigs } from './push-configs';
import { SIGNATURE_HEADER, signPush, type PushSigningKey } from './signature';
import { createTargetPolicy, type Resolve } from './target-policy';

export interface PushDeliveryConfig extends DeliveryPolicy {
  /** Host names, IPs and CIDRs that may be targeted although loopback, private or link-local. */
  allowlist: readonly string[];
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

function pushDelivery(row: DueDelivery, signingKey: PushSigningKey): Delivery {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'user-agent': 'CodeTether-Push/1',
    [SIGNATURE_HEADER.toLowerCase()]: signPush(signingKey, row.seq, row.body_json),
  };
  if (row.token) headers['x-a2a-notification-token'] = row.token;
  if (row.auth_scheme) headers.authorization = `${row.auth_scheme} ${row.auth_credentials ?? ''}`.trimEnd();
  return { id: row.id, attempts: row.attempts, url: row.url, headers, body: row.body_json, about: { taskId: row.task_id, configId: row.config_id, seq: row.seq } };
}

/**
 * Push notifications: config CRUD for the A2A edge, and delivery of every committed event of a
 * task to each of its configs through the push_outbox table. Enqueueing starts at creation (so
 * no event committed before start() is missed); delivery runs between start() and stop(), in
 * the host's one delivery loop (`delivery`), which REST hooks share.
 */
export function createPushService(deps: PushServiceDeps) {
  const { repo, log, config, signingKey } = deps;
  const policy = createTargetPolicy(config.allowlist, deps.resolve);
  const delivery = createDeliveryLoop({ policy, config, log });
  const withConfigs = new Set(repo.tasksWithConfigs());

  const queue: DeliveryQueue = {
    what: 'push',
    due: (now, limit) => repo.due(now, limit).map((row) => pushDelivery(row, signingKey)),
    nextDue: () => repo.nextDue(),
    claim: (id, leaseUntil) => repo.claim(id, leaseUntil),
    delivered: (id) => repo.delivered(id),
    retry: (id, at, error) => repo.retry(id, at, error),
    dead: (id, error) => repo.dead(id, error),
  };
  delivery.add(queue);

  const unsubscribe = deps.bus.subscribeAll((event) => {
    // The hot path: a task without push configs costs one Set lookup and no SQL.
    if (!withConfigs.has(event.taskId)) return;
    // Answered with a Message: the task, its configs and its outbox are gone.
    if (event.kind === 'message') return void withConfigs.delete(event.taskId);
    try {
      if (repo.enqueue(event.taskId, event.seq, Date.now()) > 0) delivery.wake();
    } catch (err) {
      log.error('could not enqueue push notifications', { taskId: event.taskId, seq: event.seq, error: (err as Error).message });
    }
  });

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
      if (backfilled) delivery.wake();
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
    /** The host's webhook delivery loop, which REST hooks add their queue to. */
    delivery,
    /** Starts delivering: what is pending (also from before a restart), then what gets enqueued. */
    start(): void {
      delivery.start();
    },
    /**
     * Stops enqueueing and delivering. Sends in flight are cut off and stay pending (due at once
     * after the next start), so stop() returns promptly and the database can close after it.
     */
    async stop(): Promise<void> {
      unsubscribe();
      await delivery.stop();
    },
    /** A task's undelivered and given-up notifications, for inspection. */
    outbox: (taskId: string) => repo.outbox(taskId),
  };
}

export type PushService = ReturnType<typeof createPushService>;
