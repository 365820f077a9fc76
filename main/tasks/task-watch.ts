import type { Message, Task } from '@a2a-js/sdk';
import type { TaskBus } from './bus';
import type { TaskView } from './codec';
import type { StopSource } from './lazy-abort';
import { isSettled } from './states';
import { decodeEvent, type TaskEvent } from './task-event';
import { foldEvent } from './task-fold';

export interface TaskWatch {
  /**
   * Resolves once the task is terminal or waiting on the client, with the task as it then is
   * (in `view`), or with the Message the agent answered instead of a task; rejects if `stop`
   * aborts first, or a change of the task is lost with a failed commit (the store failed).
   */
  settled(stop?: StopSource, view?: TaskView): Promise<Task | Message>;
  /** Stops watching (an aborted `settled` also stops it); a pending `settled` never resolves. */
  close(): void;
}

export interface PendingWatch extends TaskWatch {
  /** The task as committed at `seq`: events up to it are in it, later ones are folded in. */
  start(task: Task, seq: number): void;
}

function inView(task: Task, view: TaskView): Task {
  const n = view.historyLength;
  if (n === undefined || n >= task.history.length) return task;
  return { ...task, history: n === 0 ? [] : task.history.slice(-n) };
}

const settles = (task: Task) => isSettled(task.status!.state);

/**
 * Follows one task from the bus, subscribed before the events it must not miss are published,
 * and keeps the task up to date by folding them in. A blocking send answers from this, without
 * reading back the task it has just watched being written.
 */
export function watchTask(bus: Pick<TaskBus, 'subscribe'>, taskId: string): PendingWatch {
  let task: Task | undefined;
  let seq = 0;
  let early: TaskEvent[] = [];
  let done = false;
  /** The agent's answer when it answered with a Message: the task is gone. */
  let answer: Message | undefined;
  let waiter: ((result: Task | Message) => void) | undefined;
  let failure: Error | undefined;
  let onFailure: ((err: Error) => void) | undefined;

  const unsubscribe = bus.subscribe(
    taskId,
    (event) => {
      if (!task) return void early.push(event);
      apply(event);
    },
    // A change of the task was lost with its commit: the end this watch waits for may never come.
    (err) => {
      if (done && !onFailure) return;
      failure = err;
      done = true;
      unsubscribe();
      onFailure?.(err);
    },
  );

  function apply(event: TaskEvent): void {
    if (done || event.seq <= seq) return;
    seq = event.seq;
    const response = event.response ?? decodeEvent(event);
    if (response.payload?.$case === 'message') answer = response.payload.value;
    else task = foldEvent(task!, response);
    if (!answer && !settles(task!)) return;
    done = true;
    unsubscribe();
    waiter?.(answer ?? task!);
  }

  return {
    start(snapshot, atSeq) {
      task = snapshot;
      seq = atSeq;
      done = settles(snapshot);
      if (done) unsubscribe();
      const buffered = early;
      early = [];
      for (const event of buffered) apply(event);
    },
    settled(stop, view = {}) {
      if (failure) return Promise.reject(failure);
      if (done && answer) return Promise.resolve(answer);
      if (done && task) return Promise.resolve(inView(task, view));
      return new Promise((resolve, reject) => {
        const onAbort = () => {
          waiter = undefined;
          onFailure = undefined;
          done = true;
          unsubscribe();
          reject(new Error(`Stopped waiting for task ${taskId}: the caller is gone.`));
        };
        if (stop?.aborted) return onAbort();
        const forget = stop?.onAbort(onAbort);
        waiter = (result) => {
          forget?.();
          onFailure = undefined;
          resolve('messageId' in result ? result : inView(result, view));
        };
        onFailure = (err) => {
          forget?.();
          waiter = undefined;
          reject(err);
        };
      });
    },
    close() {
      done = true;
      unsubscribe();
    },
  };
}
