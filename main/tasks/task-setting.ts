import { Role, type Message, type Task } from '@a2a-js/sdk';

/**
 * A setting the task was created with (`codebase`, `priority`, `worktree`, ...): request metadata
 * first, then the metadata of the message that created it. A continuation's message carries none,
 * so every run of a task reads the same answer.
 */
export function taskSetting(task: Task, message: Message, key: string): unknown {
  const first = task.history.find((m) => m.role === Role.ROLE_USER) ?? message;
  return task.metadata?.[key] ?? first.metadata?.[key];
}
