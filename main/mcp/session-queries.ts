import { storedMessageText, titleOf } from '../../shared/message-text';
import type { Db } from '../store/open';

export interface SessionSummary {
  contextId: string;
  title: string;
  taskCount: number;
  lastTaskId: string | null;
  lastState: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface TranscriptEntry {
  role: 'user' | 'agent';
  text: string;
  taskId: string | null;
  at: string;
}

interface SessionRow {
  id: string;
  created_at: number;
  updated_at: number;
  task_count: number;
  last_task: string | null;
  last_state: string | null;
  first_message: string | null;
}


/**
 * Read-only views of sessions (A2A contexts) for MCP: the task core keeps sessions only as the
 * owner of tasks and messages, and has no listing of its own.
 */
export function createSessionQueries(db: Db) {
  const select = `
    SELECT s.id, s.created_at, s.updated_at,
      (SELECT count(*) FROM tasks t WHERE t.context_id = s.id) AS task_count,
      (SELECT t.id FROM tasks t WHERE t.context_id = s.id ORDER BY t.created_at DESC, t.id DESC LIMIT 1) AS last_task,
      (SELECT t.state FROM tasks t WHERE t.context_id = s.id ORDER BY t.created_at DESC, t.id DESC LIMIT 1) AS last_state,
      (SELECT m.body_json FROM messages m WHERE m.context_id = s.id ORDER BY m.seq LIMIT 1) AS first_message
    FROM sessions s`;
  const list = db.prepare<[number], SessionRow>(`${select} ORDER BY s.updated_at DESC, s.id DESC LIMIT ?`);
  const one = db.prepare<[string], SessionRow>(`${select} WHERE s.id = ?`);
  const messages = db.prepare<[string, number], { role: string; task_id: string | null; body_json: string; created_at: number }>(
    'SELECT role, task_id, body_json, created_at FROM (SELECT * FROM messages WHERE context_id = ? ORDER BY seq DESC LIMIT ?) ORDER BY seq',
  );
  const taskContext = db.prepare<[string], { context_id: string }>('SELECT context_id FROM tasks WHERE id = ?');

  const toSummary = (r: SessionRow): SessionSummary => ({
    contextId: r.id,
    title: titleOf(storedMessageText(r.first_message)),
    taskCount: r.task_count,
    lastTaskId: r.last_task,
    lastState: r.last_state,
    createdAt: new Date(r.created_at).toISOString(),
    updatedAt: new Date(r.updated_at).toISOString(),
  });

  return {
    /** Most recently active first. */
    list: (limit: number): SessionSummary[] => list.all(limit).map(toSummary),
    get: (contextId: string): SessionSummary | undefined => {
      const row = one.get(contextId);
      return row ? toSummary(row) : undefined;
    },
    /** The last `limit` messages of the session, oldest first. */
    transcript: (contextId: string, limit: number): TranscriptEntry[] =>
      messages.all(contextId, limit).map((m) => ({
        role: m.role === 'agent' ? 'agent' : 'user',
        text: storedMessageText(m.body_json),
        taskId: m.task_id,
        at: new Date(m.created_at).toISOString(),
      })),
    contextOf: (taskId: string): string | undefined => taskContext.get(taskId)?.context_id,
  };
}

export type SessionQueries = ReturnType<typeof createSessionQueries>;
