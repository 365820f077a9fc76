import { Role, type Message, type Task } from '@a2a-js/sdk';

/** A setting of the task: request metadata first, then the metadata of the message that created it. */
function taskSetting(task: Task, message: Message, key: string): unknown {
  const first = task.history.find((m) => m.role === Role.ROLE_USER) ?? message;
  return task.metadata?.[key] ?? first.metadata?.[key];
}

/** Where a task may run: the codebase it names (none: this host only) and its queue priority (default 0). */
export function placementOf(task: Task, message: Message): { codebase: string | undefined; priority: number } {
  const codebase = taskSetting(task, message, 'codebase');
  const priority = taskSetting(task, message, 'priority');
  return {
    codebase: typeof codebase === 'string' ? codebase : undefined,
    priority: typeof priority === 'number' && Number.isFinite(priority) ? priority : 0,
  };
}
