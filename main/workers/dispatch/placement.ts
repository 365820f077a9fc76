import type { Message, Task } from '@a2a-js/sdk';
import { taskSetting } from '../../tasks/task-setting';

/** Where a task may run: the codebase it names (none: this host only) and its queue priority (default 0). */
export function placementOf(task: Task, message: Message): { codebase: string | undefined; priority: number } {
  const codebase = taskSetting(task, message, 'codebase');
  const priority = taskSetting(task, message, 'priority');
  return {
    codebase: typeof codebase === 'string' ? codebase : undefined,
    priority: typeof priority === 'number' && Number.isFinite(priority) ? priority : 0,
  };
}
