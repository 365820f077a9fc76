import { oneLine } from '../../shared/message-text';
import { taskStateNames, type SessionSummary, type StateCounts, type TaskStateName, type TaskSummary } from '../../shared/monitor-api';
import type { SessionSummaryRecord, SummaryRepository, TaskSummaryRecord } from '../store/summary-repository';

/** The monitor's list lines (titles, status texts) are longer than a title elsewhere: its cells end them to fit and show the whole line on hover. */
const LINE_CHARS = 200;

const listLine = (text: string) => oneLine(text, LINE_CHARS);

function stateOf(name: string | null): TaskStateName {
  return (taskStateNames as readonly string[]).includes(name ?? '') ? (name as TaskStateName) : 'submitted';
}

function codebaseOf(metadataJson: string | null): string | null {
  if (!metadataJson) return null;
  const codebase = (JSON.parse(metadataJson) as Record<string, unknown>).codebase;
  return typeof codebase === 'string' ? codebase : null;
}

const toTask = (r: TaskSummaryRecord): TaskSummary => ({
  id: r.id,
  contextId: r.contextId,
  agent: r.agent,
  state: stateOf(r.state),
  codebase: codebaseOf(r.metadataJson),
  title: listLine(r.firstUserText),
  statusText: listLine(r.statusText),
  createdAt: r.createdAt,
  updatedAt: r.updatedAt,
  origin: r.origin,
  originName: r.originName,
});

const toSession = (r: SessionSummaryRecord): SessionSummary => ({
  id: r.id,
  title: listLine(r.firstUserText),
  taskCount: r.taskCount,
  lastState: r.lastState ? stateOf(r.lastState) : null,
  agent: r.lastAgent,
  codebase: codebaseOf(r.lastMetadataJson),
  createdAt: r.createdAt,
  updatedAt: r.updatedAt,
  origin: r.origin,
  originName: r.originName,
});

/** The monitor's reads: the store's summaries as the monitor's DTOs (shared/monitor-api). */
export function createTaskReads(summaries: SummaryRepository) {
  return {
    counts(): { counts: StateCounts; total: number } {
      const counts = Object.fromEntries(taskStateNames.map((n) => [n, 0])) as StateCounts;
      let total = 0;
      for (const { state, count } of summaries.stateCounts()) {
        counts[stateOf(state)] += count;
        total += count;
      }
      return { counts, total };
    },
    recent: (limit: number): TaskSummary[] => summaries.recentTasks(limit).map(toTask),
    summary(taskId: string): TaskSummary | undefined {
      const record = summaries.task(taskId);
      return record ? toTask(record) : undefined;
    },
    sessions: (limit: number): SessionSummary[] => summaries.sessions(limit).map(toSession),
    session(contextId: string): SessionSummary | undefined {
      const record = summaries.session(contextId);
      return record ? toSession(record) : undefined;
    },
  };
}

export type TaskReads = ReturnType<typeof createTaskReads>;
