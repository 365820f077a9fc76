import { oneLine, storedMessageText } from '../../shared/message-text';
import { taskStateNames, type SessionSummary, type StateCounts, type TaskStateName, type TaskSummary } from '../../shared/monitor-api';
import type { Db } from '../store/open';
import type { TaskRow } from '../store/task-repository';

type SummaryRow = Omit<TaskRow, 'last_seq' | 'attempts' | 'origin'> & { origin: string | null; first_message: string | null };

interface SessionRow {
  id: string;
  created_at: number;
  updated_at: number;
  task_count: number;
  last_state: string | null;
  origin: string | null;
  origin_name: string | null;
  first_message: string | null;
}

/** The monitor's list lines (titles, status texts) are longer than a title elsewhere: its cells end them to fit and show the whole line on hover. */
const LINE_CHARS = 200;

const listLine = (messageJson: string | null | undefined) => oneLine(storedMessageText(messageJson), LINE_CHARS);

function stateOf(name: string | null): TaskStateName {
  return (taskStateNames as readonly string[]).includes(name ?? '') ? (name as TaskStateName) : 'submitted';
}

function codebaseOf(metadataJson: string | null): string | null {
  if (!metadataJson) return null;
  const codebase = (JSON.parse(metadataJson) as Record<string, unknown>).codebase;
  return typeof codebase === 'string' ? codebase : null;
}

function toSummary(r: SummaryRow): TaskSummary {
  const status = JSON.parse(r.status_json) as { message?: unknown };
  return {
    id: r.id,
    contextId: r.context_id,
    agent: r.agent,
    state: stateOf(r.state),
    codebase: codebaseOf(r.metadata_json),
    title: listLine(r.first_message),
    statusText: status.message ? listLine(JSON.stringify(status.message)) : '',
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    origin: r.origin ?? null,
  };
}

const summaryColumns = `t.id, t.context_id, t.agent, t.state, t.status_json, t.metadata_json, t.created_at, t.updated_at, t.origin,
  (SELECT body_json FROM messages m WHERE m.task_id = t.id AND m.role = 'user' ORDER BY m.seq LIMIT 1) AS first_message`;

/**
 * The monitor's reads, on the host's read-only connection: it sees only committed rows, which is
 * what the live feed (published after commit) describes too.
 */
export function createTaskReads(db: Db) {
  const s = {
    counts: db.prepare<[], { state: string; n: number }>('SELECT state, count(*) AS n FROM tasks GROUP BY state'),
    recent: db.prepare<[number], SummaryRow>(`SELECT ${summaryColumns} FROM tasks t ORDER BY t.updated_at DESC, t.id DESC LIMIT ?`),
    one: db.prepare<[string], SummaryRow>(`SELECT ${summaryColumns} FROM tasks t WHERE t.id = ?`),
    sessions: db.prepare<[number], SessionRow>(
      `SELECT s.id, s.created_at, s.updated_at,
         (SELECT count(*) FROM tasks t WHERE t.context_id = s.id) AS task_count,
         (SELECT t.state FROM tasks t WHERE t.context_id = s.id ORDER BY t.created_at DESC LIMIT 1) AS last_state,
         o.origin, d.name AS origin_name,
         (SELECT m.body_json FROM messages m WHERE m.context_id = s.id AND m.role = 'user' ORDER BY m.seq LIMIT 1) AS first_message
       FROM sessions s
       -- A session comes from the device that ran its first task; later tasks may run anywhere.
       LEFT JOIN tasks o ON o.id = (SELECT t.id FROM tasks t WHERE t.context_id = s.id ORDER BY t.created_at, t.id LIMIT 1)
       LEFT JOIN sync_devices d ON d.id = o.origin
       ORDER BY s.updated_at DESC LIMIT ?`,
    ),
  };
  return {
    counts(): { counts: StateCounts; total: number } {
      const counts = Object.fromEntries(taskStateNames.map((n) => [n, 0])) as StateCounts;
      let total = 0;
      for (const { state, n } of s.counts.all()) {
        counts[stateOf(state)] += n;
        total += n;
      }
      return { counts, total };
    },
    recent: (limit: number): TaskSummary[] => s.recent.all(limit).map(toSummary),
    summary(taskId: string): TaskSummary | undefined {
      const row = s.one.get(taskId);
      return row ? toSummary(row) : undefined;
    },
    sessions: (limit: number): SessionSummary[] =>
      s.sessions.all(limit).map((r) => ({
        id: r.id,
        title: listLine(r.first_message),
        taskCount: r.task_count,
        lastState: r.last_state ? stateOf(r.last_state) : null,
        createdAt: r.created_at,
        updatedAt: r.updated_at,
        origin: r.origin,
        originName: r.origin_name,
      })),
  };
}

export type TaskReads = ReturnType<typeof createTaskReads>;
