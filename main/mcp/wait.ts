import type { Task } from '@a2a-js/sdk';
import type { TaskService } from '../tasks/service';
import { decodeEvent, type TaskEvent } from '../tasks/task-event';
import { stateName } from '../tasks/states';
import { eventOutput, messageText } from '../tasks/task-text';

export interface WaitOptions {
  /** Called for every event of the task and on each heartbeat; `progress` only grows. */
  onProgress?: (progress: number, message: string) => void;
  heartbeatMs: number;
  /** Give up waiting (the task keeps running) after this long. */
  timeoutMs: number;
  /** The client cancelled the request. */
  signal: AbortSignal;
}

/** `settled` is false when the wait ended first; `task` is then its current state. */
export interface WaitResult {
  settled: boolean;
  task: Task;
}

const clip = (text: string, max = 200) => (text.length > max ? `${text.slice(0, max)}…` : text);

function eventLine(event: TaskEvent): string {
  const payload = decodeEvent(event).payload;
  if (payload?.$case === 'statusUpdate') {
    const status = payload.value.status;
    const text = messageText(status?.message);
    return `${stateName(status!.state)}${text ? `: ${clip(text)}` : ''}`;
  }
  if (payload?.$case === 'artifactUpdate') return `output: ${clip(eventOutput(event))}`;
  return 'submitted';
}

/**
 * Waits until the task is finished or needs input, reporting each event and a heartbeat as
 * progress: clients that reset their request timeout on progress then wait as long as the
 * task runs. A timeout or a cancelled request stops the wait, never the task.
 */
export async function waitForTask(tasks: TaskService, taskId: string, options: WaitOptions): Promise<WaitResult> {
  let progress = 0;
  const report = (message: string) => options.onProgress?.(++progress, message);
  const unsubscribe = tasks.subscribe(taskId, (event) => report(eventLine(event)));
  const heartbeat = setInterval(() => report(`still ${stateName(tasks.get(taskId, { historyLength: 0 }).status!.state)}`), options.heartbeatMs);
  const stop = new AbortController();
  const timer = setTimeout(() => stop.abort(), options.timeoutMs);
  const onAbort = () => stop.abort();
  options.signal.addEventListener('abort', onAbort, { once: true });
  try {
    return { settled: true, task: await tasks.settled(taskId, stop.signal) };
  } catch (err) {
    if (!stop.signal.aborted) throw err;
    return { settled: false, task: tasks.get(taskId) };
  } finally {
    unsubscribe();
    clearInterval(heartbeat);
    clearTimeout(timer);
    options.signal.removeEventListener('abort', onAbort);
  }
}
