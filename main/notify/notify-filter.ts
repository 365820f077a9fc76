import type { Message, Task } from '@a2a-js/sdk';
import type { EmailConfig, EmailEvent } from '../base/config-schema';
import { taskSetting } from '../tasks/task-setting';

/** Every event some codebase (or the default) wants mailed: what the outbox queues at all. */
export function mailedEvents(email: Pick<EmailConfig, 'events' | 'codebases'>): Set<EmailEvent> {
  return new Set([...email.events, ...Object.values(email.codebases).flat()]);
}

/**
 * Why this task's `event` is not mailed, or undefined when it is: message metadata `notify: false`
 * opts the task out; a codebase listed under `codebases` has its own events.
 */
export function optedOut(task: Task, event: EmailEvent, email: Pick<EmailConfig, 'events' | 'codebases'>, defaultCodebase: string | undefined): string | undefined {
  const first = task.history[0] as Message | undefined;
  if (first && taskSetting(task, first, 'notify') === false) return 'the task was sent with notify: false';
  const named = first ? taskSetting(task, first, 'codebase') : undefined;
  const codebase = typeof named === 'string' ? named : defaultCodebase;
  const own = codebase === undefined ? undefined : email.codebases[codebase];
  if (own) return own.includes(event) ? undefined : `codebase ${codebase} does not mail "${event}"`;
  return email.events.includes(event) ? undefined : `"${event}" is not among the mailed events`;
}
