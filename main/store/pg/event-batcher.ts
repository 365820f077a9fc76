import type { Pool } from 'pg';
import type { NewEvent } from '../store-engine';
import { transaction } from './pool';

interface Pending {
  taskId: string;
  event: NewEvent;
  resolve(seq: number | undefined): void;
  reject(err: unknown): void;
}

/**
 * A task's events of one batch, numbered from the task's counter and written by one statement
 * that row-locks the task first: the counter and the events commit together or not at all.
 */
const appendSql = `
  WITH t AS (
    UPDATE tasks SET last_seq = last_seq + cardinality($2::text[]), updated_at = $5,
      state = coalesce($6, state), status_json = coalesce($7, status_json)
    WHERE id = $1 RETURNING last_seq - cardinality($2::text[]) AS base
  ), appended AS (
    INSERT INTO task_events (task_id, seq, kind, body_json, created_at)
    SELECT $1, t.base + e.ord, e.kind, e.body, e.at
    FROM t, unnest($2::text[], $3::text[], $4::bigint[]) WITH ORDINALITY AS e(kind, body, at, ord)
  )
  SELECT base FROM t`;

/**
 * Group commit for event appends: the appends that arrive while a batch commits wait and go
 * together into the next transaction, so one WAL flush acknowledges many events instead of one
 * each. Tasks are locked in id order, so batches of two replicas never deadlock. A failed commit
 * rejects every append of its batch; none of them is acknowledged.
 */
export function createEventBatcher(pool: Pool): (taskId: string, event: NewEvent) => Promise<number | undefined> {
  let queue: Pending[] = [];
  let running = false;

  async function write(batch: Pending[]): Promise<Map<Pending, number | undefined>> {
    const byTask = new Map<string, Pending[]>();
    for (const p of batch) {
      const list = byTask.get(p.taskId);
      if (list) list.push(p);
      else byTask.set(p.taskId, [p]);
    }
    const seqs = new Map<Pending, number | undefined>();
    await transaction(pool, async (c) => {
      for (const taskId of [...byTask.keys()].sort()) {
        const appends = byTask.get(taskId)!;
        const events = appends.map((p) => p.event);
        const status = events.findLast((e) => e.status)?.status;
        const r = await c.query<{ base: number }>(appendSql, [
          taskId, events.map((e) => e.kind), events.map((e) => e.json), events.map((e) => e.now), events.at(-1)!.now,
          status?.state ?? null, status?.statusJson ?? null,
        ]);
        const base = r.rows[0]?.base;
        appends.forEach((p, i) => seqs.set(p, base === undefined ? undefined : base + i + 1));
      }
      return { commit: true, value: undefined };
    });
    return seqs;
  }

  async function drain(): Promise<void> {
    running = true;
    while (queue.length > 0) {
      const batch = queue;
      queue = [];
      try {
        const seqs = await write(batch);
        for (const p of batch) p.resolve(seqs.get(p));
      } catch (err) {
        for (const p of batch) p.reject(err);
      }
    }
    running = false;
  }

  return (taskId, event) =>
    new Promise((resolve, reject) => {
      queue.push({ taskId, event, resolve, reject });
      if (!running) void drain();
    });
}
