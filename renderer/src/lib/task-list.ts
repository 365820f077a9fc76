import type { TaskSummary } from '../../../shared/monitor-api';

/** The list keeps at most this many tasks; the overview's counts still cover all of them. */
export const LIST_LIMIT = 5000;

function newerFirst(a: TaskSummary, b: TaskSummary): number {
  return b.updatedAt - a.updatedAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
}

export function sortTasks(tasks: readonly TaskSummary[]): TaskSummary[] {
  return [...tasks].sort(newerFirst).slice(0, LIST_LIMIT);
}

/**
 * The list with `task`'s new summary in place of its old one, newest first. A summary older
 * than the one held (a delta that crossed a snapshot) is ignored.
 */
export function upsertTask(tasks: readonly TaskSummary[], task: TaskSummary): TaskSummary[] {
  const old = tasks.find((t) => t.id === task.id);
  if (old && old.updatedAt > task.updatedAt) return tasks as TaskSummary[];
  const rest = old ? tasks.filter((t) => t.id !== task.id) : [...tasks];
  let i = 0;
  while (i < rest.length && newerFirst(rest[i]!, task) < 0) i++;
  rest.splice(i, 0, task);
  return rest.length > LIST_LIMIT ? rest.slice(0, LIST_LIMIT) : rest;
}

export type TaskFilter = 'all' | 'active' | 'waiting' | 'finished';

const filters: Record<TaskFilter, (t: TaskSummary) => boolean> = {
  all: () => true,
  active: (t) => t.state === 'submitted' || t.state === 'working',
  waiting: (t) => t.state === 'input-required' || t.state === 'auth-required',
  finished: (t) => ['completed', 'failed', 'canceled', 'rejected'].includes(t.state),
};

export function filterTasks(tasks: readonly TaskSummary[], filter: TaskFilter, query = ''): TaskSummary[] {
  const q = query.trim().toLowerCase();
  return tasks.filter(
    (t) => filters[filter](t) && (!q || t.title.toLowerCase().includes(q) || t.agent.includes(q) || (t.codebase ?? '').includes(q) || t.id.includes(q)),
  );
}
