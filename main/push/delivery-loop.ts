import { Agent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { coalesced } from '../base/coalesce';
import type { Logger } from '../base/log';
import { sendWebhook, type WebhookClient } from './send-webhook';
import type { TargetPolicy } from './target-policy';

export interface DeliveryPolicy {
  /** Attempts per row before it is marked dead. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  timeoutMs: number;
  /** Deliveries in flight at once, over every queue (default 8). */
  concurrency?: number;
}

/** One due row of an outbox, ready to POST. */
export interface Delivery {
  id: number;
  /** Attempts made before this one. */
  attempts: number;
  url: string;
  headers: Record<string, string>;
  body: string;
  /** Fields that name the row in log lines. */
  about: Record<string, unknown>;
}

/**
 * A durable outbox the loop drains: push notifications and REST hooks each keep their rows in
 * their own table (a push row names a task event, a hook row carries its body) and share the
 * loop, its connection pools, its backoff and its target checks.
 */
export interface DeliveryQueue {
  /** Names the queue in log lines: "push", "hook". */
  readonly what: string;
  due(now: number, limit: number): Delivery[];
  nextDue(): number | undefined;
  /** Counts the attempt and leases the row until `leaseUntil`, so it is neither due again nor lost on a crash. */
  claim(id: number, leaseUntil: number): void;
  delivered(id: number): void;
  retry(id: number, at: number, error: string): void;
  dead(id: number, error: string): void;
  /** The target answered 410 Gone: it wants nothing more. A queue without it retries a 410 like any failure. */
  gone?(delivery: Delivery): void;
}

/** Exponential backoff with jitter: about base * 2^(attempt-1), never above max, at least half of it. */
export function retryDelay(attempt: number, config: Pick<DeliveryPolicy, 'baseDelayMs' | 'maxDelayMs'>): number {
  const full = Math.min(config.maxDelayMs, config.baseDelayMs * 2 ** Math.min(attempt - 1, 30));
  return Math.round(full / 2 + (Math.random() * full) / 2);
}

/**
 * The one webhook delivery loop of the host. It sleeps when no queue has anything due: an
 * enqueue wakes it, and one timer waits for the earliest due retry of any queue. Queues take
 * turns at the free slots so a backlog in one cannot starve the other.
 */
export function createDeliveryLoop(deps: { policy: TargetPolicy; config: DeliveryPolicy; log: Logger }) {
  const { policy, config, log } = deps;
  const concurrency = config.concurrency ?? 8;
  // A claimed row stays out of the due set this long; only matters if the process dies mid-send.
  const leaseMs = config.timeoutMs * 2;
  const queues: DeliveryQueue[] = [];
  const inflight = new Map<string, Promise<void>>();
  let client: WebhookClient | undefined;
  let abort = new AbortController();
  let running = false;
  let timer: NodeJS.Timeout | undefined;
  let turn = 0;

  // pump() checks `running` itself, so a wake queued before stop() does nothing.
  const wake = coalesced(pump);

  function pump(): void {
    if (!running) return;
    clearTimeout(timer);
    timer = undefined;
    try {
      schedule();
    } catch (err) {
      // Runs from timers and completions, where a throw would take the process down.
      log.error('webhook delivery loop failed', { error: (err as Error).message });
    }
  }

  function schedule(): void {
    const now = Date.now();
    for (let k = 0; k < queues.length && inflight.size < concurrency; k++) {
      const index = (turn + k) % queues.length;
      const queue = queues[index]!;
      for (const delivery of queue.due(now, concurrency - inflight.size)) {
        queue.claim(delivery.id, now + leaseMs);
        const key = `${index}:${delivery.id}`;
        inflight.set(key, deliver(queue, delivery).finally(() => {
          inflight.delete(key);
          pump();
        }));
      }
    }
    turn++;
    if (inflight.size >= concurrency) return;
    let next: number | undefined;
    for (const queue of queues) {
      const at = queue.nextDue();
      if (at !== undefined && (next === undefined || at < next)) next = at;
    }
    if (next === undefined) return;
    timer = setTimeout(pump, Math.max(0, next - Date.now()));
    timer.unref();
  }

  async function deliver(queue: DeliveryQueue, d: Delivery): Promise<void> {
    const result = await sendWebhook({ url: d.url, headers: d.headers, body: d.body, timeoutMs: config.timeoutMs }, client!, abort.signal);
    const attempts = d.attempts + 1;
    try {
      if (result.ok) return queue.delivered(d.id);
      if (abort.signal.aborted) return queue.retry(d.id, Date.now(), 'interrupted by shutdown');
      if (result.status === 410 && queue.gone) return queue.gone(d);
      if (attempts >= config.maxAttempts) {
        log.warn(`${queue.what} notification given up`, { ...d.about, attempts, error: result.error });
        return queue.dead(d.id, result.error);
      }
      const delay = retryDelay(attempts, config);
      // A refused target is a setting for the user to fix (or a name that now resolves inward), not a network hiccup.
      if (result.refused) log.warn(`${queue.what} target refused at delivery; will retry`, { ...d.about, attempts, delay, error: result.error });
      else log.debug(`${queue.what} notification failed; will retry`, { ...d.about, attempts, delay, error: result.error });
      queue.retry(d.id, Date.now() + delay, result.error);
    } catch (err) {
      log.error(`could not record a ${queue.what} delivery`, { ...d.about, error: (err as Error).message });
    }
  }

  return {
    policy,
    /** Adds a queue; its rows are sent from the next wake on. */
    add(queue: DeliveryQueue): void {
      queues.push(queue);
      wake();
    },
    /** Something was enqueued: look for due rows now rather than at the next timer. */
    wake,
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
     * Stops delivering. Sends in flight are cut off and stay pending (due at once after the next
     * start), so stop() returns promptly and the database can close after it.
     */
    async stop(): Promise<void> {
      running = false;
      clearTimeout(timer);
      abort.abort();
      await Promise.allSettled([...inflight.values()]);
      client?.agents.http.destroy();
      client?.agents.https.destroy();
    },
  };
}

export type DeliveryLoop = ReturnType<typeof createDeliveryLoop>;
