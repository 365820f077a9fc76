import type { Message, Task } from '@a2a-js/sdk';
import { taskSetting } from '../../tasks/task-setting';

/**
 * Where a task may run: the codebase it names (none: this host only) and its queue priority
 * (default 0). A task that works in a named worktree (a Ralph story's) runs where that worktree
 * is, on this host, so it is placed as one naming no codebase.
 */
export function placementOf(task: Task, message: Message): { codebase: string | undefined; priority: number } {
  const codebase = taskSetting(task, message, 'codebase');
  const priority = taskSetting(task, message, 'priority');
  const joined = typeof taskSetting(task, message, 'worktree') === 'string';
  return {
    codebase: typeof codebase === 'string' && !joined ? codebase : undefined,
    priority: typeof priority === 'number' && Number.isFinite(priority) ? priority : 0,
  };
}
