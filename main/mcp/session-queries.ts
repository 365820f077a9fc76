import { titleOf } from '../../shared/message-text';
import type { SessionSummaryRecord, SummaryRepository } from '../store/summary-repository';

/** A session as MCP's tools and resources show it (dates in ISO 8601). */
export interface McpSession {
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

const iso = (ms: number) => new Date(ms).toISOString();

const toSession = (r: SessionSummaryRecord): McpSession => ({
  contextId: r.id,
  title: titleOf(r.firstUserText),
  taskCount: r.taskCount,
  lastTaskId: r.lastTaskId,
  lastState: r.lastState,
  createdAt: iso(r.createdAt),
  updatedAt: iso(r.updatedAt),
});

/** The store's session summaries as MCP's DTOs: the task core keeps sessions only as the owner of tasks and messages. */
export function createSessionQueries(summaries: SummaryRepository) {
  return {
    /** Most recently active first. */
    list: (limit: number): McpSession[] => summaries.sessions(limit).map(toSession),
    get: (contextId: string): McpSession | undefined => {
      const record = summaries.session(contextId);
      return record ? toSession(record) : undefined;
    },
    /** The last `limit` messages of the session, oldest first. */
    transcript: (contextId: string, limit: number): TranscriptEntry[] =>
      summaries.transcript(contextId, limit).map((m) => ({ role: m.role === 'agent' ? 'agent' : 'user', text: m.text, taskId: m.taskId, at: iso(m.createdAt) })),
    contextOf: (taskId: string): string | undefined => summaries.contextOf(taskId),
  };
}

export type SessionQueries = ReturnType<typeof createSessionQueries>;
