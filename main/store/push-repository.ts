import type { Db } from './open';

export interface PushConfigRow {
  task_id: string;
  id: string;
  url: string;
  token: string;
  auth_scheme: string | null;
  auth_credentials: string | null;
  created_at: number;
}

/** A due outbox row with what delivering it needs: its config's target and the event's bytes. */
export interface DueDelivery {
  id: number;
  task_id: string;
  config_id: string;
  seq: number;
  attempts: number;
  url: string;
  token: string;
  auth_scheme: string | null;
  auth_credentials: string | null;
  body_json: string;
}

export interface OutboxRow {
  id: number;
  task_id: string;
  config_id: string;
  seq: number;
  state: 'pending' | 'dead';
  attempts: number;
  next_attempt_at: number;
  last_error: string | null;
  created_at: number;
}

/**
 * A row is a "head" when no pending row of the same config has a lower seq: only heads may be
 * sent, which keeps each config's deliveries in seq order. Dead rows no longer block.
 */
const isHead = `NOT EXISTS (
  SELECT 1 FROM push_outbox p
  WHERE p.task_id = o.task_id AND p.config_id = o.config_id AND p.state = 'pending' AND p.seq < o.seq
)`;

/** SQL for push configs and their delivery outbox. */
/** Push configs per task and the durable outbox their deliveries go through. */
export interface PushRepository {
  taskExists(id: string): boolean;
  upsertConfig(row: PushConfigRow): void;
  getConfig(taskId: string, id: string): PushConfigRow | undefined;
  listConfigs(taskId: string): PushConfigRow[];
  /** Also drops the config's undelivered rows (foreign key cascade). Returns whether it existed. */
  deleteConfig(taskId: string, id: string): boolean;
  hasConfigs(taskId: string): boolean;
  tasksWithConfigs(): string[];
  /** One row per config of the task, in one statement. Returns how many rows it added. */
  enqueue(taskId: string, seq: number, now: number): number;
  /** Queues the task's already committed events from `fromSeq` on for one config. */
  backfill(taskId: string, configId: string, fromSeq: number, now: number): number;
  transaction<T>(fn: () => T): T;
  due(now: number, limit: number): DueDelivery[];
  nextDue(): number | undefined;
  /** Counts the attempt and leases the row until `leaseUntil`, so it is neither due again nor lost on a crash. */
  claim(id: number, leaseUntil: number): void;
  delivered(id: number): void;
  retry(id: number, at: number, error: string): void;
  dead(id: number, error: string): void;
  /** A task's undelivered and given-up rows, for inspection. */
  outbox(taskId: string): OutboxRow[];
}

export function createPushRepository(db: Db): PushRepository {
  const s = {
    taskExists: db.prepare<[string], { one: number }>('SELECT 1 AS one FROM tasks WHERE id = ?'),
    upsertConfig: db.prepare(
      `INSERT INTO push_configs (task_id, id, url, token, auth_scheme, auth_credentials, created_at)
       VALUES (@task_id, @id, @url, @token, @auth_scheme, @auth_credentials, @created_at)
       ON CONFLICT(task_id, id) DO UPDATE SET url = excluded.url, token = excluded.token,
         auth_scheme = excluded.auth_scheme, auth_credentials = excluded.auth_credentials`,
    ),
    getConfig: db.prepare<[string, string], PushConfigRow>('SELECT * FROM push_configs WHERE task_id = ? AND id = ?'),
    listConfigs: db.prepare<[string], PushConfigRow>('SELECT * FROM push_configs WHERE task_id = ? ORDER BY created_at, id'),
    deleteConfig: db.prepare('DELETE FROM push_configs WHERE task_id = ? AND id = ?'),
    hasConfigs: db.prepare<[string], { one: number }>('SELECT 1 AS one FROM push_configs WHERE task_id = ? LIMIT 1'),
    tasksWithConfigs: db.prepare<[], { task_id: string }>('SELECT DISTINCT task_id FROM push_configs'),
    enqueue: db.prepare(
      `INSERT OR IGNORE INTO push_outbox (task_id, config_id, seq, next_attempt_at, created_at)
       SELECT task_id, id, ?, ?, ? FROM push_configs WHERE task_id = ?`,
    ),
    backfill: db.prepare(
      `INSERT OR IGNORE INTO push_outbox (task_id, config_id, seq, next_attempt_at, created_at)
       SELECT task_id, ?, seq, ?, ? FROM task_events WHERE task_id = ? AND seq >= ?`,
    ),
    due: db.prepare<[number, number], DueDelivery>(
      `SELECT o.id, o.task_id, o.config_id, o.seq, o.attempts, c.url, c.token, c.auth_scheme, c.auth_credentials, e.body_json
       FROM push_outbox o
       JOIN push_configs c ON c.task_id = o.task_id AND c.id = o.config_id
       JOIN task_events e ON e.task_id = o.task_id AND e.seq = o.seq
       WHERE o.state = 'pending' AND o.next_attempt_at <= ? AND ${isHead}
       ORDER BY o.next_attempt_at, o.id
       LIMIT ?`,
    ),
    nextDue: db.prepare<[], { at: number | null }>(
      `SELECT min(o.next_attempt_at) AS at FROM push_outbox o
       JOIN task_events e ON e.task_id = o.task_id AND e.seq = o.seq
       WHERE o.state = 'pending' AND ${isHead}`,
    ),
    claim: db.prepare('UPDATE push_outbox SET attempts = attempts + 1, next_attempt_at = ? WHERE id = ?'),
    delivered: db.prepare('DELETE FROM push_outbox WHERE id = ?'),
    retry: db.prepare('UPDATE push_outbox SET next_attempt_at = ?, last_error = ? WHERE id = ?'),
    dead: db.prepare("UPDATE push_outbox SET state = 'dead', last_error = ? WHERE id = ?"),
    outbox: db.prepare<[string], OutboxRow>('SELECT * FROM push_outbox WHERE task_id = ? ORDER BY config_id, seq'),
  };

  return {
    taskExists: (id) => s.taskExists.get(id) !== undefined,
    upsertConfig: (row) => void s.upsertConfig.run(row),
    getConfig: (taskId, id) => s.getConfig.get(taskId, id),
    listConfigs: (taskId) => s.listConfigs.all(taskId),
    deleteConfig: (taskId, id) => s.deleteConfig.run(taskId, id).changes > 0,
    hasConfigs: (taskId) => s.hasConfigs.get(taskId) !== undefined,
    tasksWithConfigs: () => s.tasksWithConfigs.all().map((r) => r.task_id),
    enqueue: (taskId, seq, now) => s.enqueue.run(seq, now, now, taskId).changes,
    backfill: (taskId, configId, fromSeq, now) => s.backfill.run(configId, now, now, taskId, fromSeq).changes,
    transaction: (fn) => db.transaction(fn).immediate(),
    due: (now, limit) => s.due.all(now, limit),
    nextDue: () => s.nextDue.get()?.at ?? undefined,
    claim: (id, leaseUntil) => void s.claim.run(leaseUntil, id),
    delivered: (id) => void s.delivered.run(id),
    retry: (id, at, error) => void s.retry.run(at, error, id),
    dead: (id, error) => void s.dead.run(error, id),
    outbox: (taskId) => s.outbox.all(taskId),
  };
}
