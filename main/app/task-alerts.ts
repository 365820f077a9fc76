import { TaskState } from '@a2a-js/sdk';
import { oneLine } from '../../shared/message-text';
import { decodeEvent, type TaskEvent } from '../tasks/task-event';
import { messageText } from '../tasks/task-text';

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

const shorten = (text: string) => oneLine(text, BODY_CHARS);

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
    return { taskId: event.taskId, title, body: shorten(messageText(status?.message)) || shorten(describe(event.taskId)) || event.taskId };
  };
}
