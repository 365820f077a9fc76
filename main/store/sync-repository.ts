import { createArtifactReader } from './artifact-reader';
import type { Db } from './open';
import type { TaskRow } from './task-repository';
import { createRoamingRepository } from './roaming-repository';

/** A task as sync reads it: the columns of `tasks` a summary is built from. */
export type SyncTaskRow = Omit<TaskRow, 'attempts' | 'origin'> & { origin: string | null };

export interface SyncMessageRow {
  seq: number;
  message_id: string;
  task_id: string | null;
  role: string;
  body_json: string;
  created_at: number;
}

/** A task another device runs, as it lands in `tasks`. */
export interface RemoteTask {
  id: string;
  contextId: string;
  agent: string;
  state: string;
  statusJson: string;
  metadataJson: string | null;
  origin: string;
  createdAt: number;
  updatedAt: number;
  /** Artifact JSON texts in order; they replace what the row had. */
  artifacts: string[];
}

export interface RemoteMessage {
  messageId: string;
  contextId: string;
  taskId: string | null;
  role: string;
  json: string;
  createdAt: number;
}

const SETTING_PREFIX = 'sync.';

/** SQL for sync: document snapshots and update logs, task watermarks, settings, and materializing remote records. */
export function createSyncRepository(db: Db) {
  const s = {
    setting: db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?'),
    putSetting: db.prepare(
      'INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
    ),
    deleteSetting: db.prepare('DELETE FROM settings WHERE key = ?'),

    snapshot: db.prepare<[string], { snapshot: Buffer | null }>('SELECT snapshot FROM sync_docs WHERE name = ?'),
    log: db.prepare<[string], { data: Buffer }>('SELECT data FROM sync_updates WHERE doc = ? ORDER BY id'),
    touchDoc: db.prepare('INSERT INTO sync_docs (name, updated_at) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET updated_at = excluded.updated_at'),
    append: db.prepare<[string, Buffer, number, number]>('INSERT INTO sync_updates (doc, data, unacked, created_at) VALUES (?, ?, ?, ?)'),
    putSnapshot: db.prepare('UPDATE sync_docs SET snapshot = ?, updated_at = ? WHERE name = ?'),
    dropAcked: db.prepare('DELETE FROM sync_updates WHERE doc = ? AND unacked = 0'),
    ack: db.prepare('UPDATE sync_updates SET unacked = 0 WHERE doc = ? AND unacked = 1 AND id <= ?'),
    lastUnacked: db.prepare<[string], { id: number | null }>('SELECT max(id) AS id FROM sync_updates WHERE doc = ? AND unacked = 1'),
    pendingCount: db.prepare<[], { n: number }>('SELECT count(*) AS n FROM sync_updates WHERE unacked = 1'),
    pendingDocs: db.prepare<[], { doc: string }>('SELECT DISTINCT doc FROM sync_updates WHERE unacked = 1'),
    markStale: db.prepare('INSERT INTO sync_docs (name, stale, updated_at) VALUES (?, 1, ?) ON CONFLICT(name) DO UPDATE SET stale = 1'),
    clearStale: db.prepare('UPDATE sync_docs SET stale = 0 WHERE name = ? AND stale = 1'),
    staleDocs: db.prepare<[], { name: string }>('SELECT name FROM sync_docs WHERE stale = 1'),

    watermark: db.prepare<[string], { event_seq: number; message_seq: number }>('SELECT event_seq, message_seq FROM sync_tasks WHERE task_id = ?'),
    putWatermark: db.prepare(
      'INSERT INTO sync_tasks (task_id, event_seq, message_seq) VALUES (?, ?, ?) ON CONFLICT(task_id) DO UPDATE SET event_seq = excluded.event_seq, message_seq = excluded.message_seq',
    ),
    behind: db.prepare<[number], { id: string }>(
      `SELECT t.id FROM tasks t LEFT JOIN sync_tasks w ON w.task_id = t.id
       WHERE t.origin IS NULL AND t.last_seq > coalesce(w.event_seq, 0) ORDER BY t.created_at LIMIT ?`,
    ),
    task: db.prepare<[string], SyncTaskRow>(
      'SELECT id, context_id, agent, state, status_json, metadata_json, last_seq, origin, created_at, updated_at FROM tasks WHERE id = ?',
    ),
    messagesAfter: db.prepare<[string, number], SyncMessageRow>(
      'SELECT seq, message_id, task_id, role, body_json, created_at FROM messages WHERE task_id = ? AND seq > ? ORDER BY seq',
    ),
    session: db.prepare<[string], { created_at: number }>('SELECT created_at FROM sessions WHERE id = ?'),

    upsertSession: db.prepare(
      `INSERT INTO sessions (id, created_at, updated_at) VALUES (?, ?, ?)
       ON CONFLICT(id) DO UPDATE SET updated_at = max(sessions.updated_at, excluded.updated_at)`,
    ),
    upsertRemoteTask: db.prepare(
      `INSERT INTO tasks (id, context_id, agent, state, status_json, metadata_json, last_seq, attempts, created_at, updated_at, origin)
       VALUES (@id, @contextId, @agent, @state, @statusJson, @metadataJson, 0, 0, @createdAt, @updatedAt, @origin)
       ON CONFLICT(id) DO UPDATE SET state = excluded.state, status_json = excluded.status_json, updated_at = excluded.updated_at
       WHERE tasks.origin IS NOT NULL`,
    ),
    isRemoteTask: db.prepare<[string], { one: number }>('SELECT 1 AS one FROM tasks WHERE id = ? AND origin IS NOT NULL'),
    taskExists: db.prepare<[string], { one: number }>('SELECT 1 AS one FROM tasks WHERE id = ?'),
    clearArtifacts: db.prepare('DELETE FROM artifacts WHERE task_id = ?'),
    insertArtifact: db.prepare('INSERT INTO artifacts (task_id, artifact_id, position, body_json) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING'),
    messageExists: db.prepare<[string, string], { one: number }>('SELECT 1 AS one FROM messages WHERE message_id = ? AND context_id = ?'),
    insertMessage: db.prepare('INSERT INTO messages (message_id, context_id, task_id, role, body_json, created_at) VALUES (?, ?, ?, ?, ?, ?)'),
  };

  const roaming = createRoamingRepository(db);

  return {
    transaction: <T>(fn: () => T): T => db.transaction(fn)(),
    /** Other devices' display names and codebases, from the index document. */
    roaming,

    setting: (key: string) => s.setting.get(SETTING_PREFIX + key)?.value,
    putSetting: (key: string, value: string, now: number) => void s.putSetting.run(SETTING_PREFIX + key, value, now),
    deleteSetting: (key: string) => void s.deleteSetting.run(SETTING_PREFIX + key),
    /** Forgets every document, watermark and other device's entry, so the next workspace gets this device's sessions afresh. */
    resetDocs: () =>
      db.transaction(() => {
        db.exec('DELETE FROM sync_updates; DELETE FROM sync_docs; DELETE FROM sync_tasks;');
        roaming.clear();
      })(),

    /** The stored state of a document: its snapshot (if any) followed by its log, in order. */
    load(name: string): Uint8Array[] {
      const snap = s.snapshot.get(name)?.snapshot;
      const log = s.log.all(name).map((r) => r.data);
      return snap ? [snap, ...log] : log;
    },
    /** Appends one update; returns its id (the unit acknowledgements refer to). */
    append(name: string, update: Uint8Array, unacked: boolean, now: number): number {
      s.touchDoc.run(name, now);
      return Number(s.append.run(name, Buffer.from(update), unacked ? 1 : 0, now).lastInsertRowid);
    },
    /** Replaces the snapshot with the whole document and drops the acknowledged log it now holds. */
    compact(name: string, state: Uint8Array, now: number): void {
      db.transaction(() => {
        s.touchDoc.run(name, now);
        s.putSnapshot.run(Buffer.from(state), now, name);
        s.dropAcked.run(name);
      })();
    },
    ack: (name: string, throughId: number) => s.ack.run(name, throughId).changes,
    lastUnacked: (name: string) => s.lastUnacked.get(name)?.id ?? 0,
    pendingCount: () => s.pendingCount.get()!.n,
    pendingDocs: () => s.pendingDocs.all().map((r) => r.doc),
    markStale: (name: string, now: number) => void s.markStale.run(name, now),
    clearStale: (name: string) => void s.clearStale.run(name),
    staleDocs: () => s.staleDocs.all().map((r) => r.name),

    watermark: (taskId: string) => s.watermark.get(taskId) ?? { event_seq: 0, message_seq: 0 },
    putWatermark: (taskId: string, eventSeq: number, messageSeq: number) => void s.putWatermark.run(taskId, eventSeq, messageSeq),
    /** Local tasks with events their session document does not reflect yet (after a crash, or on joining). */
    tasksBehind: (limit: number) => s.behind.all(limit).map((r) => r.id),
    task: (id: string) => s.task.get(id),
    messagesAfter: (taskId: string, seq: number) => s.messagesAfter.all(taskId, seq),
    artifacts: createArtifactReader(db),
    sessionCreatedAt: (id: string) => s.session.get(id)?.created_at,

    upsertSession: (id: string, createdAt: number, updatedAt: number) => void s.upsertSession.run(id, createdAt, updatedAt),
    /** Writes another device's task; never touches a task this device runs. */
    putRemoteTask(task: RemoteTask): void {
      s.upsertSession.run(task.contextId, task.createdAt, task.updatedAt);
      s.upsertRemoteTask.run(task);
      if (!s.isRemoteTask.get(task.id)) return;
      s.clearArtifacts.run(task.id);
      task.artifacts.forEach((json, i) => {
        const id = (JSON.parse(json) as { artifactId?: string }).artifactId ?? `artifact-${i}`;
        s.insertArtifact.run(task.id, id, i, json);
      });
    },
    /** Inserts a message from another device once; a message whose task has not arrived stays in its session only. */
    putRemoteMessage(m: RemoteMessage): void {
      if (s.messageExists.get(m.messageId, m.contextId)) return;
      s.upsertSession.run(m.contextId, m.createdAt, m.createdAt);
      const taskId = m.taskId && s.taskExists.get(m.taskId) ? m.taskId : null;
      s.insertMessage.run(m.messageId, m.contextId, taskId, m.role, m.json, m.createdAt);
    },
  };
}

export type SyncRepository = ReturnType<typeof createSyncRepository>;
