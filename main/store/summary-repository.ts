import { messageJsonText, storedMessageText, type PartsJson } from '../../shared/message-text';
import type { Db } from './open';
import type { TaskRow } from './task-repository';

/** A task as a list shows it: enough to name it without loading its history. */
export interface TaskSummaryRecord {
  id: string;
  contextId: string;
  agent: string;
  /** The state as stored (the host's lower-case name). */
  state: string;
  /** The latest status message's text; '' when the status carries none. */
  statusText: string;
  metadataJson: string | null;
  /** The whole text of the task's first user message; each reader cuts its own title from it. */
  firstUserText: string;
  /** The device that runs it when another one does (a synced copy); null: this device. */
  origin: string | null;
  /** That device's display name, once its index entry arrived. */
  originName: string | null;
  createdAt: number;
  updatedAt: number;
}

/** A session (an A2A context) as a list shows it. */
export interface SessionSummaryRecord {
  id: string;
  createdAt: number;
  updatedAt: number;
  taskCount: number;
  /** Its most recently created task, and that task's state. */
  lastTaskId: string | null;
  lastState: string | null;
  /** That task's agent and metadata as stored: what continuing the session runs by default. */
  lastAgent: string | null;
  lastMetadataJson: string | null;
  /** The device that ran its first task when another one did (sync); null: this device. Later tasks may run anywhere. */
  origin: string | null;
  /** That device's display name, once its index entry arrived. */
  originName: string | null;
  /** The whole text of the session's first user message. */
  firstUserText: string;
}

export interface TranscriptRecord {
  /** As stored: 'user' or 'agent'. */
  role: string;
  taskId: string | null;
  text: string;
  createdAt: number;
}

/**
 * The read model of tasks and sessions that the monitor, MCP and the desktop shell list from,
 * each mapping these records to its own DTO. A title is the first *user* message: a session's
 * first message may be an agent's (synced, or an agent that spoke first), and a title names what
 * the user asked.
 */
export interface SummaryRepository {
  /** Tasks per stored state. */
  stateCounts(): { state: string; count: number }[];
  /** Most recently updated first. */
  recentTasks(limit: number): TaskSummaryRecord[];
  task(id: string): TaskSummaryRecord | undefined;
  /** Most recently active first. */
  sessions(limit: number): SessionSummaryRecord[];
  session(id: string): SessionSummaryRecord | undefined;
  /** The last `limit` messages of a session, oldest first. */
  transcript(contextId: string, limit: number): TranscriptRecord[];
  /** The session a task belongs to. */
  contextOf(taskId: string): string | undefined;
}

type SummaryRow = Omit<TaskRow, 'last_seq' | 'attempts' | 'origin'> & { origin: string | null; origin_name: string | null; first_message: string | null };

interface SessionRow {
  id: string;
  created_at: number;
  updated_at: number;
  task_count: number;
  last_task: string | null;
  last_state: string | null;
  last_agent: string | null;
  last_metadata: string | null;
  origin: string | null;
  origin_name: string | null;
  first_message: string | null;
}

const taskColumns = `t.id, t.context_id, t.agent, t.state, t.status_json, t.metadata_json, t.origin, t.created_at, t.updated_at,
  (SELECT d.name FROM sync_devices d WHERE d.id = t.origin) AS origin_name,
  (SELECT m.body_json FROM messages m WHERE m.task_id = t.id AND m.role = 'user' ORDER BY m.seq LIMIT 1) AS first_message`;

const sessionSelect = `SELECT s.id, s.created_at, s.updated_at,
    (SELECT count(*) FROM tasks t WHERE t.context_id = s.id) AS task_count,
    l.id AS last_task, l.state AS last_state, l.agent AS last_agent, l.metadata_json AS last_metadata, o.origin, d.name AS origin_name,
    (SELECT m.body_json FROM messages m WHERE m.context_id = s.id AND m.role = 'user' ORDER BY m.seq LIMIT 1) AS first_message
  FROM sessions s
  LEFT JOIN tasks l ON l.id = (SELECT t.id FROM tasks t WHERE t.context_id = s.id ORDER BY t.created_at DESC, t.id DESC LIMIT 1)
  LEFT JOIN tasks o ON o.id = (SELECT t.id FROM tasks t WHERE t.context_id = s.id ORDER BY t.created_at, t.id LIMIT 1)
  LEFT JOIN sync_devices d ON d.id = o.origin`;

function statusText(statusJson: string): string {
  const status = JSON.parse(statusJson) as { message?: PartsJson };
  return messageJsonText(status.message);
}

const toTask = (r: SummaryRow): TaskSummaryRecord => ({
  id: r.id,
  contextId: r.context_id,
  agent: r.agent,
  state: r.state,
  statusText: statusText(r.status_json),
  metadataJson: r.metadata_json,
  firstUserText: storedMessageText(r.first_message),
  origin: r.origin ?? null,
  originName: r.origin_name,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const toSession = (r: SessionRow): SessionSummaryRecord => ({
  id: r.id,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  taskCount: r.task_count,
  lastTaskId: r.last_task,
  lastState: r.last_state,
  lastAgent: r.last_agent,
  lastMetadataJson: r.last_metadata,
  origin: r.origin,
  originName: r.origin_name,
  firstUserText: storedMessageText(r.first_message),
});

/** On a read-only connection it sees committed rows only, which is what the live feeds (published after commit) describe too. */
export function createSummaryRepository(db: Db): SummaryRepository {
  const s = {
    counts: db.prepare<[], { state: string; n: number }>('SELECT state, count(*) AS n FROM tasks GROUP BY state'),
    recent: db.prepare<[number], SummaryRow>(`SELECT ${taskColumns} FROM tasks t ORDER BY t.updated_at DESC, t.id DESC LIMIT ?`),
    task: db.prepare<[string], SummaryRow>(`SELECT ${taskColumns} FROM tasks t WHERE t.id = ?`),
    sessions: db.prepare<[number], SessionRow>(`${sessionSelect} ORDER BY s.updated_at DESC, s.id DESC LIMIT ?`),
    session: db.prepare<[string], SessionRow>(`${sessionSelect} WHERE s.id = ?`),
    transcript: db.prepare<[string, number], { role: string; task_id: string | null; body_json: string; created_at: number }>(
      'SELECT role, task_id, body_json, created_at FROM (SELECT * FROM messages WHERE context_id = ? ORDER BY seq DESC LIMIT ?) ORDER BY seq',
    ),
    contextOf: db.prepare<[string], { context_id: string }>('SELECT context_id FROM tasks WHERE id = ?'),
  };
  return {
    stateCounts: () => s.counts.all().map((r) => ({ state: r.state, count: r.n })),
    recentTasks: (limit) => s.recent.all(limit).map(toTask),
    task(id) {
      const row = s.task.get(id);
      return row ? toTask(row) : undefined;
    },
    sessions: (limit) => s.sessions.all(limit).map(toSession),
    session(id) {
      const row = s.session.get(id);
      return row ? toSession(row) : undefined;
    },
    transcript: (contextId, limit) =>
      s.transcript.all(contextId, limit).map((m) => ({ role: m.role, taskId: m.task_id, text: storedMessageText(m.body_json), createdAt: m.created_at })),
    contextOf: (taskId) => s.contextOf.get(taskId)?.context_id,
  };
}
