import type { Pool } from 'pg';
import { joinArtifactChunks, type ArtifactChunkRow } from '../artifact-reader';
import type { TaskStore } from '../store-engine';
import type { EventRow, TaskRow } from '../task-repository';
import { createEventBatcher } from './event-batcher';
import { isForeignKeyViolation, transaction } from './pool';

const taskColumns = 'id, context_id, agent, state, status_json, metadata_json, last_seq, attempts, created_at, updated_at, origin';
const upsertSession =
  'INSERT INTO sessions (id, created_at, updated_at) VALUES ($1, $2, $2) ON CONFLICT (id) DO UPDATE SET updated_at = excluded.updated_at';

/**
 * The task aggregate on PostgreSQL. Events are appended through a group commit
 * (event-batcher.ts) that writes a task's counter and its events in one statement after
 * row-locking the task: concurrent appends from any pool or replica queue on that lock and
 * number events without gap or repeat, and a failed insert rolls the counter back with it.
 */
export function pgTaskStore(pool: Pool): TaskStore {
  const appendEvent = createEventBatcher(pool);
  return {
    async touchSession(id, now) {
      await pool.query(upsertSession, [id, now]);
    },
    async sessionExists(id) {
      return (await pool.query('SELECT 1 FROM sessions WHERE id = $1', [id])).rowCount === 1;
    },
    createTask: (task, message, first) =>
      transaction(pool, async (c) => {
        await c.query(upsertSession, [task.context_id, task.created_at]);
        const inserted = await c.query(
          `INSERT INTO tasks (id, context_id, agent, state, status_json, metadata_json, last_seq, attempts, created_at, updated_at)
           VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $8, $9) ON CONFLICT (id) DO NOTHING`,
          [task.id, task.context_id, task.agent, task.state, task.status_json, task.metadata_json, task.attempts, task.created_at, task.updated_at],
        );
        // Taken: roll back the session touch too, so a refused create writes nothing.
        if (inserted.rowCount !== 1) return { commit: false, value: false };
        await c.query('INSERT INTO messages (message_id, context_id, task_id, role, body_json, created_at) VALUES ($1, $2, $3, $4, $5, $6)', [
          message.messageId, message.contextId, message.taskId, message.role, message.json, message.now,
        ]);
        await c.query('INSERT INTO task_events (task_id, seq, kind, body_json, created_at) VALUES ($1, 1, $2, $3, $4)', [task.id, first.kind, first.json, task.created_at]);
        return { commit: true, value: true };
      }),
    async getTask(id) {
      return (await pool.query<TaskRow>(`SELECT ${taskColumns} FROM tasks WHERE id = $1`, [id])).rows[0];
    },
    appendEvent: (taskId, e) => appendEvent(taskId, e),
    async eventsAfter(taskId, afterSeq, limit) {
      const r = await pool.query<EventRow>('SELECT seq, kind, body_json FROM task_events WHERE task_id = $1 AND seq > $2 ORDER BY seq LIMIT $3', [taskId, afterSeq, limit ?? null]);
      return r.rows;
    },
    async insertMessage(m) {
      await pool.query('INSERT INTO messages (message_id, context_id, task_id, role, body_json, created_at) VALUES ($1, $2, $3, $4, $5, $6)', [
        m.messageId, m.contextId, m.taskId, m.role, m.json, m.now,
      ]);
    },
    async history(taskId, limit) {
      const r =
        limit === undefined
          ? await pool.query<{ body_json: string }>('SELECT body_json FROM messages WHERE task_id = $1 ORDER BY seq', [taskId])
          : await pool.query<{ body_json: string }>(
              'SELECT body_json FROM (SELECT seq, body_json FROM messages WHERE task_id = $1 ORDER BY seq DESC LIMIT $2) m ORDER BY seq',
              [taskId, limit],
            );
      return r.rows.map((row) => row.body_json);
    },
    async putArtifact(taskId, artifactId, position, json) {
      try {
        return await transaction(pool, async (c) => {
          // Takes the artifact's row lock: an append waits for the put, or the put for the append,
          // and the DELETE below, a statement of its own, sees every append committed before it.
          const put = await c.query<{ inserted: boolean }>(
            `INSERT INTO artifacts (task_id, artifact_id, position, body_json) VALUES ($1, $2, $3, $4)
             ON CONFLICT (task_id, artifact_id) DO UPDATE SET body_json = excluded.body_json
             RETURNING (xmax = 0) AS inserted`,
            [taskId, artifactId, position, json],
          );
          if (!put.rows[0]!.inserted) await c.query('DELETE FROM artifact_chunks WHERE task_id = $1 AND artifact_id = $2', [taskId, artifactId]);
          return { commit: true, value: true };
        });
      } catch (err) {
        if (isForeignKeyViolation(err)) return false;
        throw err;
      }
    },
    async appendArtifactParts(taskId, artifactId, partsJson) {
      const r = await pool.query(
        `WITH a AS (UPDATE artifacts SET chunks = chunks + 1 WHERE task_id = $1 AND artifact_id = $2 RETURNING chunks)
         INSERT INTO artifact_chunks (task_id, artifact_id, chunk, parts_json) SELECT $1, $2, chunks, $3 FROM a`,
        [taskId, artifactId, partsJson],
      );
      return r.rowCount === 1;
    },
    async artifacts(taskId) {
      const r = await pool.query<ArtifactChunkRow>(
        `SELECT a.artifact_id, a.body_json, c.parts_json FROM artifacts a
         LEFT JOIN artifact_chunks c ON c.task_id = a.task_id AND c.artifact_id = a.artifact_id
         WHERE a.task_id = $1 ORDER BY a.position, c.chunk`,
        [taskId],
      );
      return joinArtifactChunks(r.rows);
    },
    async unfinished() {
      const r = await pool.query<TaskRow>(`SELECT ${taskColumns} FROM tasks WHERE state IN ('submitted', 'working') AND origin IS NULL ORDER BY created_at`);
      return r.rows;
    },
    dissolveTask: (taskId) =>
      transaction(pool, async (c) => {
        await c.query('UPDATE messages SET task_id = NULL WHERE task_id = $1', [taskId]);
        const gone = (await c.query('DELETE FROM tasks WHERE id = $1', [taskId])).rowCount === 1;
        return { commit: true, value: gone };
      }),
    async list(filter) {
      const where: string[] = [];
      const args: (string | number)[] = [];
      const arg = (v: string | number) => `$${args.push(v)}`;
      if (filter.contextId) where.push(`context_id = ${arg(filter.contextId)}`);
      if (filter.state) where.push(`state = ${arg(filter.state)}`);
      if (filter.updatedAfter !== undefined) where.push(`updated_at >= ${arg(filter.updatedAfter)}`);
      const base = where.length ? `WHERE ${where.join(' AND ')}` : '';
      const total = (await pool.query<{ n: number }>(`SELECT count(*) AS n FROM tasks ${base}`, args)).rows[0]!.n;
      if (filter.before) {
        const at = arg(filter.before.updatedAt);
        where.push(`(updated_at < ${at} OR (updated_at = ${at} AND id < ${arg(filter.before.id)}))`);
      }
      const sql = `SELECT ${taskColumns} FROM tasks ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY updated_at DESC, id DESC LIMIT ${arg(filter.limit)}`;
      return { rows: (await pool.query<TaskRow>(sql, args)).rows, total };
    },
  };
}
