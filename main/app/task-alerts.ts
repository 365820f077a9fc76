import { Role, TaskState, type Message, type Task } from '@a2a-js/sdk';
import { decodeEvent, type TaskEvent } from '../tasks/task-event';

export interface TaskAlert {
  taskId: string;
  title: string;
  body: string;
}

const titles = new Map<TaskState, string>([
  [TaskState.TASK_STATE_COMPLETED, 'Task completed'],
  [TaskState.TASK_STATE_FAILED, 'Task failed'],
  [TaskState.TASK_STATE_REJECTED, 'Task rejected'],
  [TaskState.TASK_STATE_INPUT_REQUIRED, 'An agent needs your input'],
  [TaskState.TASK_STATE_AUTH_REQUIRED, 'An agent needs you to sign in'],
]);

const BODY_CHARS = 160;

const textOf = (message: Message | undefined) => (message?.parts ?? []).map((p) => (p.content?.$case === 'text' ? p.content.value : '')).join(' ');

/** The text the user started a task with: what a notification names it by. */
export function promptOf(task: Task): string {
  return textOf(task.history.find((m) => m.role === Role.ROLE_USER));
}

function shorten(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > BODY_CHARS ? `${flat.slice(0, BODY_CHARS - 1)}…` : flat;
}

/**
 * Decides which task events become a desktop notification: a task that completed, failed or
 * was rejected, or one that waits on the user. A cancel is the user's own doing, and progress
 * (working -> working) would be noise. `describe` names the task when the status carries no
 * text of its own (its prompt).
 */
export function createAlertFilter(describe: (taskId: string) => string) {
  // The state last alerted per task, so a repeated status (an agent asking twice) alerts once.
  const alerted = new Map<string, TaskState>();
  return (event: TaskEvent): TaskAlert | undefined => {
    if (event.kind !== 'statusUpdate') return undefined;
    const payload = decodeEvent(event).payload;
    if (payload?.$case !== 'statusUpdate') return undefined;
    const status = payload.value.status;
    const state = status?.state;
    const title = state === undefined ? undefined : titles.get(state);
    if (!title) {
      // Running again after an answer: the next question alerts anew.
      alerted.delete(event.taskId);
      return undefined;
    }
    if (alerted.get(event.taskId) === state) return undefined;
    // A final state comes once; only waiting states are remembered, so the map stays small.
    if (state === TaskState.TASK_STATE_INPUT_REQUIRED || state === TaskState.TASK_STATE_AUTH_REQUIRED) alerted.set(event.taskId, state!);
    else alerted.delete(event.taskId);
    return { taskId: event.taskId, title, body: shorten(textOf(status?.message)) || shorten(describe(event.taskId)) || event.taskId };
  };
}
