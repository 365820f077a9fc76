import { randomUUID } from 'node:crypto';
import type { HookBody, HookEventName, HookFilter, HookSubscription } from '../../shared/hooks-api';
import type { Logger } from '../base/log';
import type { HookRepository, HookSubscriptionRow, OccurrenceQuery, TaskOccurrence } from '../store/hook-repository';
import type { RalphRepository } from '../store/ralph-repository';
import type { TaskService } from '../tasks/service';
import type { DeliveryLoop, DeliveryQueue } from './delivery-loop';
import { buildBody, eventsOf, RALPH_AGENT, statesOf, taskFactsOf, type BodyDeps, type TaskFacts } from './hook-events';
import { SIGNATURE_HEADER, signPush, type PushSigningKey } from './signature';

/** A refusal the routes turn into 400 or 404. */
export class HookError extends Error {
  constructor(
    readonly code: 'invalid' | 'not_found',
    message: string,
  ) {
    super(message);
    this.name = 'HookError';
  }
}

export interface HookServiceDeps {
  repo: HookRepository;
  tasks: Pick<TaskService, 'get' | 'subscribeAll'>;
  ralph: Pick<RalphRepository, 'getRun' | 'stories'>;
  /** The host's webhook delivery loop (push's): hooks add their outbox to it. */
  delivery: Pick<DeliveryLoop, 'add' | 'wake' | 'policy'>;
  signingKey: PushSigningKey;
  log: Logger;
  publicUrl?: string;
  /** How often the catch-up window moves on and delivered rows are pruned (default 10 min). */
  sweepMs?: number;
  /** Tells of each committed change to a Ralph run (its id); returns the unsubscribe. */
  runChanges?: (listener: (runId: string) => void) => () => void;
}

/** Delivered rows are kept this long past the catch-up window: a clock step must not make the scan queue them again. */
const KEEP_MARGIN_MS = 3_600_000;
/** Given-up rows are kept for inspection this long. */
const KEEP_DEAD_MS = 7 * 86_400_000;
/** The window moves on to this far behind now: an event committed this recently may still be on its way to the listener. */
const SCAN_LAG_MS = 60_000;
/**
 * A canceled run's task ends before the run records its outcome (stop reason, summary), so its
 * ralph.run.finished waits for that record, and goes out as it stands after this long without.
 */
const RUN_RECORD_WAIT_MS = 15_000;

interface Subscription {
  id: string;
  event: HookEventName;
  filter: HookFilter | null;
  createdAt: number;
}

function toView(row: HookSubscriptionRow): HookSubscription {
  return {
    id: row.id,
    event: row.event as HookEventName,
    targetUrl: row.target_url,
    filter: row.filter_json ? (JSON.parse(row.filter_json) as HookFilter) : null,
    createdAt: new Date(row.created_at).toISOString(),
    createdBy: row.created_by,
  };
}

function matches(filter: HookFilter | null, facts: TaskFacts): boolean {
  if (!filter) return true;
  if (filter.agent !== undefined && filter.agent !== facts.agent) return false;
  if (filter.codebase !== undefined && filter.codebase !== facts.codebase) return false;
  if (filter.contextId !== undefined && filter.contextId !== facts.contextId) return false;
  return true;
}

/**
 * REST hooks: subscriptions to task and Ralph events, whose deliveries go through the host's
 * webhook delivery loop (the push outbox's backoff, leases, signing key and target checks) from
 * the hook_outbox table. An event is queued right after its task event commits; at start, a
 * scan of the tasks changed since the last window queues what a crash cut off, and a
 * subscription's target answering 410 Gone removes the subscription.
 */
export function createHookService(deps: HookServiceDeps) {
  const { repo, log, delivery } = deps;
  const bodies: BodyDeps = { repo, tasks: deps.tasks, ralph: deps.ralph, publicUrl: deps.publicUrl };
  const byEvent = new Map<HookEventName, Subscription[]>();
  let sweepTimer: NodeJS.Timeout | undefined;

  function load(): void {
    byEvent.clear();
    for (const row of repo.listSubscriptions()) {
      const event = row.event as HookEventName;
      const list = byEvent.get(event) ?? [];
      list.push({ id: row.id, event, filter: row.filter_json ? (JSON.parse(row.filter_json) as HookFilter) : null, createdAt: row.created_at });
      byEvent.set(event, list);
    }
  }
  load();

  /** Queues one occurrence for the subscriptions it matches; returns how many rows it added. */
  function offer(name: HookEventName, at: { taskId: string; seq: number; state: string }, facts: TaskFacts, time?: number): number {
    const targets = (byEvent.get(name) ?? []).filter((sub) => (time === undefined || time >= sub.createdAt) && matches(sub.filter, facts)).map((sub) => sub.id);
    if (targets.length === 0) return 0;
    const body = buildBody(bodies, name, at, facts);
    if (!body) return 0;
    const json = JSON.stringify(body);
    return repo.transaction(() => repo.enqueue(targets, body.id, json, Date.now()));
  }

  type HeldRun = { seq: number; state: string; facts: TaskFacts; timer: NodeJS.Timeout };
  const heldRuns = new Map<string, HeldRun>();
  const runEnded = (runId: string) => ['completed', 'failed', 'canceled'].includes(deps.ralph.getRun(runId)?.status ?? '');

  function releaseRun(runId: string): void {
    const held = heldRuns.get(runId);
    if (!held) return;
    heldRuns.delete(runId);
    clearTimeout(held.timer);
    try {
      if (offer('ralph.run.finished', { taskId: runId, seq: held.seq, state: held.state }, held.facts) > 0) delivery.wake();
    } catch (err) {
      log.error('could not queue hook deliveries', { taskId: runId, seq: held.seq, error: (err as Error).message });
    }
  }

  /** Offers the run's end now when the run has recorded it, else once it has (or after RUN_RECORD_WAIT_MS). */
  function offerRunEnd(runId: string, at: { seq: number; state: string }, facts: TaskFacts): number {
    if (!deps.runChanges || runEnded(runId)) return offer('ralph.run.finished', { taskId: runId, ...at }, facts);
    const timer = setTimeout(() => releaseRun(runId), RUN_RECORD_WAIT_MS);
    timer.unref();
    heldRuns.set(runId, { ...at, facts, timer });
    return 0;
  }

  const stopRunChanges = deps.runChanges?.((runId) => {
    if (heldRuns.has(runId) && runEnded(runId)) releaseRun(runId);
  });

  const unsubscribe = deps.tasks.subscribeAll((event) => {
    // The hot path: with no subscription, an event costs one Map size check.
    if (byEvent.size === 0 || (event.kind !== 'task' && event.kind !== 'statusUpdate')) return;
    try {
      const { names, state } = eventsOf(event);
      const wanted = names.filter((n) => byEvent.has(n));
      if (wanted.length === 0) return;
      const facts = taskFactsOf(bodies, event.taskId);
      if (!facts) return;
      let added = 0;
      for (const name of wanted) {
        if (name === 'ralph.run.finished') {
          if (facts.agent === RALPH_AGENT) added += offerRunEnd(event.taskId, { seq: event.seq, state }, facts);
          continue;
        }
        added += offer(name, { taskId: event.taskId, seq: event.seq, state }, facts);
      }
      if (added > 0) delivery.wake();
    } catch (err) {
      log.error('could not queue hook deliveries', { taskId: event.taskId, seq: event.seq, error: (err as Error).message });
    }
  });

  /** The occurrences of one event, newest first. */
  function occurrences(name: HookEventName, query: OccurrenceQuery): TaskOccurrence[] {
    if (name === 'task.created') return repo.created(query).map((o) => ({ ...o, state: 'submitted' }));
    if (name === 'ralph.run.finished') return repo.inStates(statesOf[name], { ...query, agent: RALPH_AGENT });
    return repo.inStates(statesOf[name], query);
  }

  /** Queues what the previous process may have missed (see above); returns how many rows it added. */
  function catchUp(now: number): number {
    const since = repo.scanFrom() ?? now;
    let added = 0;
    for (const name of byEvent.keys()) {
      for (const o of occurrences(name, { since })) {
        const facts = taskFactsOf(bodies, o.task_id);
        if (facts) added += offer(name, { taskId: o.task_id, seq: o.seq, state: o.state }, facts, o.at);
      }
    }
    repo.setScanFrom(now);
    return added;
  }

  function sweep(): void {
    try {
      const from = Date.now() - SCAN_LAG_MS;
      repo.setScanFrom(Math.max(from, repo.scanFrom() ?? from));
      repo.prune((repo.scanFrom() ?? from) - KEEP_MARGIN_MS, Date.now() - KEEP_DEAD_MS);
    } catch (err) {
      log.error('could not prune the hook outbox', { error: (err as Error).message });
    }
  }

  function mustGet(id: string): HookSubscriptionRow {
    const row = repo.getSubscription(id);
    if (!row) throw new HookError('not_found', `No hook subscription ${id}. GET /v1/hooks lists them.`);
    return row;
  }

  function remove(id: string): boolean {
    const gone = repo.deleteSubscription(id);
    if (gone) load();
    return gone;
  }

  const queue: DeliveryQueue = {
    what: 'hook',
    due: (now, limit) =>
      repo.due(now, limit).map((row) => ({
        id: row.id,
        attempts: row.attempts,
        url: row.target_url,
        body: row.body_json,
        headers: {
          'content-type': 'application/json',
          'user-agent': 'CodeTether-Hooks/1',
          'x-codetether-event': row.event,
          'x-codetether-hook': row.hook_id,
          // The seq a hook delivery is signed with is its outbox row, unique per delivery.
          [SIGNATURE_HEADER.toLowerCase()]: signPush(deps.signingKey, row.id, row.body_json),
        },
        about: { hookId: row.hook_id, eventId: row.event_id },
      })),
    nextDue: () => repo.nextDue(),
    claim: (id, leaseUntil) => repo.claim(id, leaseUntil),
    delivered: (id) => repo.sent(id),
    retry: (id, at, error) => repo.retry(id, at, error),
    dead: (id, error) => repo.dead(id, error),
    gone(d) {
      const hookId = String(d.about.hookId);
      remove(hookId);
      log.info('hook target answered 410 Gone; subscription removed', { hookId, eventId: d.about.eventId });
    },
  };

  return {
    /**
     * Validates and stores a subscription. The target's scheme, syntax and any literal IP are
     * checked here; its host name is resolved and checked at each delivery, as for push.
     */
    create(input: { event: HookEventName; targetUrl: string; filter?: HookFilter }, createdBy: string): HookSubscription {
      const target = delivery.policy.checkUrl(input.targetUrl);
      if (!target.ok) throw new HookError('invalid', `targetUrl ${input.targetUrl} is refused: ${target.reason}.`);
      if (input.event === 'ralph.run.finished' && (input.filter?.agent !== undefined || input.filter?.contextId !== undefined)) {
        throw new HookError('invalid', 'ralph.run.finished filters by codebase only.');
      }
      const filter = input.filter && Object.keys(input.filter).length ? input.filter : null;
      const row: HookSubscriptionRow = {
        id: randomUUID(),
        event: input.event,
        target_url: input.targetUrl,
        filter_json: filter ? JSON.stringify(filter) : null,
        created_by: createdBy,
        created_at: Date.now(),
      };
      repo.insertSubscription(row);
      load();
      return toView(row);
    },
    get: (id: string) => toView(mustGet(id)),
    list: () => repo.listSubscriptions().map(toView),
    delete(id: string): void {
      if (!remove(id)) throw new HookError('not_found', `No hook subscription ${id}. GET /v1/hooks lists them.`);
    },
    /** The polling fallback: the event's latest occurrences, newest first, with the bodies a subscription would get. */
    poll(name: HookEventName, query: Omit<OccurrenceQuery, 'since'>): HookBody[] {
      const out: HookBody[] = [];
      for (const o of occurrences(name, query)) {
        const facts = taskFactsOf(bodies, o.task_id);
        const body = facts && buildBody(bodies, name, { taskId: o.task_id, seq: o.seq, state: o.state }, facts);
        if (body) out.push(body);
      }
      return out;
    },
    /** A subscription's rows not yet delivered, and those given up, for inspection. */
    outbox: (id: string) => repo.outbox(mustGet(id).id),
    /** Catches up on what a crash cut off and joins the delivery loop; its rows go out once the loop runs. */
    start(): void {
      const added = catchUp(Date.now());
      if (added) log.info('queued hook deliveries a previous run had not', { count: added });
      delivery.add(queue);
      sweepTimer = setInterval(sweep, deps.sweepMs ?? 600_000);
      sweepTimer.unref();
    },
    stop(): void {
      unsubscribe();
      stopRunChanges?.();
      for (const held of heldRuns.values()) clearTimeout(held.timer);
      heldRuns.clear();
      clearInterval(sweepTimer);
    },
  };
}

export type HookService = ReturnType<typeof createHookService>;
