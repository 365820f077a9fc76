import type { TaskListener } from '../tasks/bus';
import type { TaskEvent } from '../tasks/task-event';

/** Live events held for one stream before it falls back to re-reading the store: a count... */
const MAX_QUEUED = 1000;
/** ...and their size, since one event may carry a large output batch. */
const MAX_QUEUED_CHARS = 4 * 1024 * 1024;

/**
 * One stream's bounded queue of a task's live events, fed by a bus listener. When it overflows
 * (a slow consumer) it drops what it holds and says so, and the stream re-reads the store. The
 * agent's Message answer is kept apart as well: it is never stored (its task is removed), so it
 * must survive an overflow or a store pass. A fault (a change lost with a failed commit) is kept
 * too, for the stream to end with.
 */
export function createEventFeed() {
  let queue: TaskEvent[] = [];
  let chars = 0;
  let overflowed = false;
  let answer: TaskEvent | undefined;
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  const notify = () => {
    wake?.();
    wake = undefined;
  };
  const listener: TaskListener = (event) => {
    if (event.kind === 'message') answer = event;
    if (!overflowed) {
      if (queue.length >= MAX_QUEUED || chars + event.json.length > MAX_QUEUED_CHARS) {
        overflowed = true;
        queue = [];
        chars = 0;
      } else {
        queue.push(event);
        chars += event.json.length;
      }
    }
    notify();
  };
  return {
    listener,
    /** The bus's fault listener: a change of the task was lost with a failed commit. */
    fault: (err: Error) => {
      failure = err;
      notify();
    },
    /** The lost change, once there was one: the stream ends with it rather than waiting silently. */
    failure: (): Error | undefined => failure,
    get overflowed(): boolean {
      return overflowed;
    },
    /** The queued events, emptying the queue. */
    take(): TaskEvent[] {
      const batch = queue;
      queue = [];
      chars = 0;
      return batch;
    },
    /** Before a store read: everything queued so far is committed, so the read covers it. */
    reset(): void {
      queue = [];
      chars = 0;
      overflowed = false;
    },
    /** The event of the agent's Message answer, once there was one. */
    answer: (): TaskEvent | undefined => answer,
    /** Resolves at the next event or wake(). */
    next: (): Promise<void> => new Promise<void>((resolve) => (wake = resolve)),
    wake: notify,
  };
}

export type EventFeed = ReturnType<typeof createEventFeed>;
