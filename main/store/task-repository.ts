import { createArtifactReader, type ArtifactReader } from './artifact-reader';
import type { Db } from './open';

export interface TaskRow {
  id: string;
  context_id: string;
  agent: string;
  state: string;
  status_json: string;
  metadata_json: string | null;
  last_seq: number;
  attempts: number;
  created_at: number;
  updated_at: number;
  /** The device that runs the task when another one does (synced, read-only here); NULL or absent: this device. */
  origin?: string | null;
}

export interface EventRow {
  seq: number;
  kind: string;
  body_json: string;
}

export interface TaskListFilter {
  contextId?: string;
  state?: string;
  updatedAfter?: number;
  /** Keyset cursor: rows strictly before (updated_at, id) in descending order. */
  before?: { updatedAt: number; id: string };
  limit: number;
}

/** The task aggregate: tasks with their session, messages, artifacts and event log. */
export interface TaskRepository {
  transaction<T>(fn: () => T): T;
  sessionExists(id: string): boolean;
  touchSession(id: string, now: number): void;
  insertTask(row: TaskRow): void;
  getTask(id: string): TaskRow | undefined;
  /** Writes the fields a unit of work changes (state, status, event counter) in one statement. */
  saveTask(row: TaskRow): void;
  bumpAttempts(id: string): void;
  insertMessage(m: { messageId: string; contextId: string; taskId: string | null; role: string; json: string; now: number }): void;
  /** The task's messages as stored ProtoJSON, oldest first; the newest `limit` of them with one. */
  history(taskId: string, limit?: number): string[];
  hasArtifact(taskId: string, artifactId: string): boolean;
  /**
   * Replaces the artifact whole (trigger artifacts_replaced_drop_chunks drops what was appended to
   * it); `position` orders a task's artifacts and is kept when it is replaced or appended to.
   */
  putArtifact(taskId: string, artifactId: string, position: number, json: string): void;
  /** Appends parts (a ProtoJSON array) to a stored artifact without rewriting what it holds. */
  appendArtifactParts(taskId: string, artifactId: string, partsJson: string): void;
  artifacts: ArtifactReader;
  insertEvent(taskId: string, seq: number, kind: string, json: string, now: number): void;
  /** Without `limit`, every event after `afterSeq`. */
  eventsAfter(taskId: string, afterSeq: number, limit?: number): EventRow[];
  /** Tasks of this device left submitted or working, oldest first. */
  unfinished(): TaskRow[];
  /** Whether the task holds only the message that created it: no status message, no answer, no artifact. */
  untouched(taskId: string): boolean;
  /** Removes the task (its events, artifacts and push configs go with it); its messages stay in their session. */
  dissolveTask(taskId: string): void;
  list(filter: TaskListFilter): { rows: TaskRow[]; total: number };
  /** What another device of the sync workspace calls itself, once its index entry arrived. */
  deviceName(deviceId: string): string | undefined;
}

export function createTaskRepository(db: Db): TaskRepository {
  const s = {
    sessionExists: db.prepare<[string], { one: number }>('SELECT 1 AS one FROM sessions WHERE id = ?'),
    insertSession: db.prepare('INSERT INTO sessions (id, created_at, updated_at) VALUES (?, ?, ?) ON CONFLICT(id) DO UPDATE SET updated_at = excluded.updated_at'),
    insertTask: db.prepare(
      `INSERT INTO tasks (id, context_id, agent, state, status_json, metadata_json, last_seq, attempts, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    getTask: db.prepare<[string], TaskRow>('SELECT * FROM tasks WHERE id = ?'),
    saveTask: db.prepare('UPDATE tasks SET state = ?, status_json = ?, last_seq = ?, updated_at = ? WHERE id = ?'),
    bumpAttempts: db.prepare('UPDATE tasks SET attempts = attempts + 1 WHERE id = ?'),
    insertMessage: db.prepare(
      'INSERT INTO messages (message_id, context_id, task_id, role, body_json, created_at) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    history: db.prepare<[string], { body_json: string }>('SELECT body_json FROM messages WHERE task_id = ? ORDER BY seq'),
    historyTail: db.prepare<[string, number], { body_json: string }>(
      'SELECT body_json FROM (SELECT seq, body_json FROM messages WHERE task_id = ? ORDER BY seq DESC LIMIT ?) ORDER BY seq',
    ),
    hasArtifact: db.prepare<[string, string], { one: number }>('SELECT 1 AS one FROM artifacts WHERE task_id = ? AND artifact_id = ?'),
    upsertArtifact: db.prepare(
      `INSERT INTO artifacts (task_id, artifact_id, position, body_json) VALUES (?, ?, ?, ?)
       ON CONFLICT(task_id, artifact_id) DO UPDATE SET body_json = excluded.body_json`,
    ),
    appendChunk: db.prepare(
      `INSERT INTO artifact_chunks (task_id, artifact_id, chunk, parts_json)
       VALUES (@taskId, @artifactId, (SELECT coalesce(max(chunk), 0) + 1 FROM artifact_chunks WHERE task_id = @taskId AND artifact_id = @artifactId), @partsJson)`,
    ),
    insertEvent: db.prepare('INSERT INTO task_events (task_id, seq, kind, body_json, created_at) VALUES (?, ?, ?, ?, ?)'),
    eventsAfter: db.prepare<[string, number, number], EventRow>('SELECT seq, kind, body_json FROM task_events WHERE task_id = ? AND seq > ? ORDER BY seq LIMIT ?'),
    untouched: db.prepare<[string, string], { messages: number; artifacts: number }>(
      'SELECT (SELECT count(*) FROM messages WHERE task_id = ?) AS messages, EXISTS (SELECT 1 FROM artifacts WHERE task_id = ?) AS artifacts',
    ),
    detachMessages: db.prepare('UPDATE messages SET task_id = NULL WHERE task_id = ?'),
    deleteTask: db.prepare('DELETE FROM tasks WHERE id = ?'),
    deviceName: db.prepare<[string], { name: string }>('SELECT name FROM sync_devices WHERE id = ?'),
    unfinished: db.prepare<[], TaskRow>(
      "SELECT * FROM tasks WHERE state IN ('submitted', 'working') AND origin IS NULL ORDER BY created_at",
    ),
  };

  return {
    transaction: (fn) => db.transaction(fn).immediate(),
    sessionExists: (id) => s.sessionExists.get(id) !== undefined,
    touchSession: (id, now) => void s.insertSession.run(id, now, now),
    // Positional, not named: binding an object by name costs a lookup per column on every send.
    insertTask: (r) => void s.insertTask.run(r.id, r.context_id, r.agent, r.state, r.status_json, r.metadata_json, r.last_seq, r.attempts, r.created_at, r.updated_at),
    getTask: (id) => s.getTask.get(id),
    saveTask: (row) => void s.saveTask.run(row.state, row.status_json, row.last_seq, row.updated_at, row.id),
    bumpAttempts: (id) => void s.bumpAttempts.run(id),
    insertMessage: (m) =>
      void s.insertMessage.run(m.messageId, m.contextId, m.taskId, m.role, m.json, m.now),
    history: (taskId, limit) =>
      (limit === undefined ? s.history.all(taskId) : s.historyTail.all(taskId, limit)).map((r) => r.body_json),
    hasArtifact: (taskId, artifactId) => s.hasArtifact.get(taskId, artifactId) !== undefined,
    putArtifact: (taskId, artifactId, position, json) => void s.upsertArtifact.run(taskId, artifactId, position, json),
    appendArtifactParts: (taskId, artifactId, partsJson) => void s.appendChunk.run({ taskId, artifactId, partsJson }),
    artifacts: createArtifactReader(db),
    insertEvent: (taskId, seq, kind, json, now) => void s.insertEvent.run(taskId, seq, kind, json, now),
    eventsAfter: (taskId, afterSeq, limit = -1) => s.eventsAfter.all(taskId, afterSeq, limit),
    unfinished: () => s.unfinished.all(),
    deviceName: (deviceId) => s.deviceName.get(deviceId)?.name,
    untouched(taskId: string): boolean {
      const r = s.untouched.get(taskId, taskId)!;
      return r.messages === 1 && !r.artifacts;
    },
    dissolveTask(taskId: string): void {
      s.detachMessages.run(taskId);
      s.deleteTask.run(taskId);
    },
    list(filter) {
      const where: string[] = [];
      const args: (string | number)[] = [];
      if (filter.contextId) {
        where.push('context_id = ?');
        args.push(filter.contextId);
      }
      if (filter.state) {
        where.push('state = ?');
        args.push(filter.state);
      }
      if (filter.updatedAfter !== undefined) {
        where.push('updated_at >= ?');
        args.push(filter.updatedAfter);
      }
      const base = where.length ? `WHERE ${where.join(' AND ')}` : '';
      const total = (db.prepare(`SELECT count(*) AS n FROM tasks ${base}`).get(...args) as { n: number }).n;
      const page = [...where];
      const pageArgs = [...args];
      if (filter.before) {
        page.push('(updated_at < ? OR (updated_at = ? AND id < ?))');
        pageArgs.push(filter.before.updatedAt, filter.before.updatedAt, filter.before.id);
      }
      const sql = `SELECT * FROM tasks ${page.length ? `WHERE ${page.join(' AND ')}` : ''} ORDER BY updated_at DESC, id DESC LIMIT ?`;
      const rows = db.prepare(sql).all(...pageArgs, filter.limit) as TaskRow[];
      return { rows, total };
    },
  };
}
