import type { Db } from './open';

export interface HookSubscriptionRow {
  id: string;
  event: string;
  target_url: string;
  filter_json: string | null;
  created_by: string;
  created_at: number;
}

/** A due outbox row with its subscription's target. */
export interface DueHookDelivery {
  id: number;
  hook_id: string;
  event_id: string;
  event: string;
  target_url: string;
  body_json: string;
  attempts: number;
}

export interface HookOutboxRow {
  id: number;
  hook_id: string;
  event_id: string;
  state: 'pending' | 'sent' | 'dead';
  attempts: number;
  next_attempt_at: number;
  last_error: string | null;
  created_at: number;
}

/** A task event a hook event is made of, as the polling and catch-up queries find it. */
export interface TaskOccurrence {
  task_id: string;
  /** The event's seq: 1 for a task's creation, else its latest status event. */
  seq: number;
  /** When that event was committed. */
  at: number;
  state: string;
}

export interface OccurrenceQuery {
  /** Only events committed at or after this time. */
  since?: number;
  /** Default: no limit. */
  limit?: number;
  agent?: string;
  codebase?: string;
  contextId?: string;
}

export interface TaskFactsRow {
  agent: string;
  context_id: string;
  origin: string | null;
  created_at: number;
  metadata_json: string | null;
}

/** Subscriptions to hook events, their outbox, and the task queries their events come from. */
export interface HookRepository {
  insertSubscription(row: HookSubscriptionRow): void;
  getSubscription(id: string): HookSubscriptionRow | undefined;
  listSubscriptions(): HookSubscriptionRow[];
  /** Also drops the subscription's outbox rows. Returns whether it existed. */
  deleteSubscription(id: string): boolean;
  /** Queues one body for each subscription; a pair queued before (in any state) is left alone. Returns rows added. */
  enqueue(hookIds: readonly string[], eventId: string, body: string, now: number): number;
  transaction<T>(fn: () => T): T;
  /** Due rows; only the oldest pending row of a subscription is due, so its deliveries go out in order. */
  due(now: number, limit: number): DueHookDelivery[];
  nextDue(): number | undefined;
  claim(id: number, leaseUntil: number): void;
  /** Kept as 'sent', without its body, until pruned: the catch-up scan must find it. */
  sent(id: number): void;
  retry(id: number, at: number, error: string): void;
  dead(id: number, error: string): void;
  /** A subscription's rows not yet sent: pending and given up. */
  outbox(hookId: string): HookOutboxRow[];
  /** Drops sent rows queued before `sentBefore` and given-up ones queued before `deadBefore`. */
  prune(sentBefore: number, deadBefore: number): number;
  /** The start of the window the next catch-up scan covers. */
  scanFrom(): number | undefined;
  setScanFrom(at: number): void;
  /** The task's agent, and its origin when another device runs it. */
  taskFacts(taskId: string): TaskFactsRow | undefined;
  /** When a task's event was committed. */
  eventTime(taskId: string, seq: number): number | undefined;
  /** Tasks of this device, newest first, each as its creation (seq 1). */
  created(query: OccurrenceQuery): TaskOccurrence[];
  /** Tasks of this device now in one of `states`, most recently changed first, each as its latest status event. */
  inStates(states: readonly string[], query: OccurrenceQuery): TaskOccurrence[];
}

const SCAN_KEY = 'hooks.scanFrom';

/** The oldest pending row of its subscription (see `due`). */
const isHead = `NOT EXISTS (
  SELECT 1 FROM hook_outbox p WHERE p.hook_id = o.hook_id AND p.state = 'pending' AND p.id < o.id
)`;

/** Filter clauses shared by the occurrence queries, with their arguments. */
function taskFilter(query: OccurrenceQuery): { sql: string; args: unknown[] } {
  const parts: string[] = ['t.origin IS NULL'];
  const args: unknown[] = [];
  if (query.agent !== undefined) {
    parts.push('t.agent = ?');
    args.push(query.agent);
  }
  if (query.contextId !== undefined) {
    parts.push('t.context_id = ?');
    args.push(query.contextId);
  }
  if (query.codebase !== undefined) {
    parts.push("json_extract(t.metadata_json, '$.codebase') = ?");
    args.push(query.codebase);
  }
  return { sql: parts.join(' AND '), args };
}

export function createHookRepository(db: Db): HookRepository {
  const s = {
    insertSubscription: db.prepare(
      `INSERT INTO hook_subscriptions (id, event, target_url, filter_json, created_by, created_at)
       VALUES (@id, @event, @target_url, @filter_json, @created_by, @created_at)`,
    ),
    getSubscription: db.prepare<[string], HookSubscriptionRow>('SELECT * FROM hook_subscriptions WHERE id = ?'),
    listSubscriptions: db.prepare<[], HookSubscriptionRow>('SELECT * FROM hook_subscriptions ORDER BY created_at, id'),
    deleteSubscription: db.prepare('DELETE FROM hook_subscriptions WHERE id = ?'),
    enqueue: db.prepare(
      `INSERT OR IGNORE INTO hook_outbox (hook_id, event_id, body_json, next_attempt_at, created_at)
       SELECT id, ?, ?, ?, ? FROM hook_subscriptions WHERE id = ?`,
    ),
    due: db.prepare<[number, number], DueHookDelivery>(
      `SELECT o.id, o.hook_id, o.event_id, h.event, h.target_url, o.body_json, o.attempts
       FROM hook_outbox o JOIN hook_subscriptions h ON h.id = o.hook_id
       WHERE o.state = 'pending' AND o.next_attempt_at <= ? AND ${isHead}
       ORDER BY o.next_attempt_at, o.id
       LIMIT ?`,
    ),
    nextDue: db.prepare<[], { at: number | null }>(`SELECT min(o.next_attempt_at) AS at FROM hook_outbox o WHERE o.state = 'pending' AND ${isHead}`),
    claim: db.prepare('UPDATE hook_outbox SET attempts = attempts + 1, next_attempt_at = ? WHERE id = ?'),
    sent: db.prepare("UPDATE hook_outbox SET state = 'sent', body_json = '', last_error = NULL WHERE id = ?"),
    retry: db.prepare('UPDATE hook_outbox SET next_attempt_at = ?, last_error = ? WHERE id = ?'),
    dead: db.prepare("UPDATE hook_outbox SET state = 'dead', last_error = ? WHERE id = ?"),
    outbox: db.prepare<[string], HookOutboxRow>(
      `SELECT id, hook_id, event_id, state, attempts, next_attempt_at, last_error, created_at
       FROM hook_outbox WHERE hook_id = ? AND state != 'sent' ORDER BY id`,
    ),
    prune: db.prepare("DELETE FROM hook_outbox WHERE (state = 'sent' AND created_at < ?) OR (state = 'dead' AND created_at < ?)"),
    getSetting: db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?'),
    setSetting: db.prepare(
      'INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
    ),
    taskFacts: db.prepare<[string], TaskFactsRow>('SELECT agent, context_id, origin, created_at, metadata_json FROM tasks WHERE id = ?'),
    eventTime: db.prepare<[string, number], { created_at: number }>('SELECT created_at FROM task_events WHERE task_id = ? AND seq = ?'),
  };
  // One statement per filter shape, prepared on first use.
  const queries = new Map<string, ReturnType<typeof db.prepare<unknown[], TaskOccurrence>>>();
  function all(sql: string, args: unknown[]): TaskOccurrence[] {
    let stmt = queries.get(sql);
    if (!stmt) queries.set(sql, (stmt = db.prepare<unknown[], TaskOccurrence>(sql)));
    return stmt.all(...args);
  }

  return {
    insertSubscription: (row) => void s.insertSubscription.run(row),
    getSubscription: (id) => s.getSubscription.get(id),
    listSubscriptions: () => s.listSubscriptions.all(),
    deleteSubscription: (id) => s.deleteSubscription.run(id).changes > 0,
    enqueue(hookIds, eventId, body, now) {
      let added = 0;
      for (const id of hookIds) added += s.enqueue.run(eventId, body, now, now, id).changes;
      return added;
    },
    transaction: (fn) => db.transaction(fn).immediate(),
    due: (now, limit) => s.due.all(now, limit),
    nextDue: () => s.nextDue.get()?.at ?? undefined,
    claim: (id, leaseUntil) => void s.claim.run(leaseUntil, id),
    sent: (id) => void s.sent.run(id),
    retry: (id, at, error) => void s.retry.run(at, error, id),
    dead: (id, error) => void s.dead.run(error, id),
    outbox: (hookId) => s.outbox.all(hookId),
    prune: (sentBefore, deadBefore) => s.prune.run(sentBefore, deadBefore).changes,
    scanFrom() {
      const raw = s.getSetting.get(SCAN_KEY)?.value;
      return raw === undefined ? undefined : Number(raw);
    },
    setScanFrom: (at) => void s.setSetting.run(SCAN_KEY, String(at), Date.now()),
    taskFacts: (taskId) => s.taskFacts.get(taskId),
    eventTime: (taskId, seq) => s.eventTime.get(taskId, seq)?.created_at,
    created(query) {
      const filter = taskFilter(query);
      // created_at >= since implies updated_at >= since, which lets the scan use tasks_by_updated.
      const since = query.since === undefined ? '' : 'AND t.updated_at >= ? AND t.created_at >= ?';
      const sinceArgs = query.since === undefined ? [] : [query.since, query.since];
      // rowid follows insertion, so newest first needs no sort.
      return all(
        `SELECT t.id AS task_id, 1 AS seq, t.created_at AS at, t.state FROM tasks t
         WHERE ${filter.sql} ${since} ORDER BY t.rowid DESC LIMIT ?`,
        [...filter.args, ...sinceArgs, query.limit ?? -1],
      );
    },
    inStates(states, query) {
      if (states.length === 0) return [];
      const filter = taskFilter(query);
      const since = query.since === undefined ? '' : 'AND t.updated_at >= ?';
      return all(
        `SELECT t.id AS task_id, e.seq, e.created_at AS at, t.state FROM tasks t
         JOIN task_events e ON e.task_id = t.id
           AND e.seq = (SELECT max(seq) FROM task_events x WHERE x.task_id = t.id AND x.kind = 'statusUpdate')
         WHERE t.state IN (${states.map(() => '?').join(', ')}) AND ${filter.sql} ${since}
         ORDER BY t.updated_at DESC, t.id DESC LIMIT ?`,
        [...states, ...filter.args, ...(query.since === undefined ? [] : [query.since]), query.limit ?? -1],
      );
    },
  };
}
