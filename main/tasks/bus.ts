import type { TaskEvent } from './task-event';

export type TaskListener = (event: TaskEvent) => void;
/** The store lost a change of the task before it was committed: what a listener has seen may be all it gets for a while. */
export type FaultListener = (err: Error) => void;

/** Fans committed events out to in-process subscribers, synchronously and in commit order. */
export interface TaskBus {
  /** Listens to one task's events, and to its faults when `onFault` is given. Returns the unsubscribe function. */
  subscribe(taskId: string, listener: TaskListener, onFault?: FaultListener): () => void;
  /** Listens to every task's events (push delivery, the monitor, MCP). */
  subscribeAll(listener: TaskListener): () => void;
  publish(events: readonly TaskEvent[]): void;
  /** Tells the task's listeners that a change of it was lost (a commit failed). */
  fault(taskId: string, err: Error): void;
  listenerCount(taskId: string): number;
}

interface Subscription {
  listener: TaskListener;
  onFault?: FaultListener;
}

/**
 * Listeners must not block: each one owns its own bounded buffer (an SSE stream, say) and
 * drops itself when that overflows, so a slow reader costs neither the writer nor the others.
 */
export function createTaskBus(onListenerError: (err: unknown) => void): TaskBus {
  const byTask = new Map<string, Set<Subscription>>();
  const global = new Set<TaskListener>();

  function deliver(listeners: Iterable<TaskListener>, event: TaskEvent) {
    for (const listener of listeners) {
      try {
        listener(event);
      } catch (err) {
        onListenerError(err);
      }
    }
  }

  return {
    subscribe(taskId, listener, onFault) {
      let set = byTask.get(taskId);
      if (!set) byTask.set(taskId, (set = new Set()));
      const sub: Subscription = { listener, onFault };
      set.add(sub);
      return () => {
        set.delete(sub);
        if (set.size === 0 && byTask.get(taskId) === set) byTask.delete(taskId);
      };
    },
    subscribeAll(listener) {
      global.add(listener);
      return () => global.delete(listener);
    },
    publish(events) {
      for (const event of events) {
        const set = byTask.get(event.taskId);
        if (set) deliver([...set].map((sub) => sub.listener), event);
        if (global.size) deliver([...global], event);
      }
    },
    fault(taskId, err) {
      const set = byTask.get(taskId);
      for (const sub of set ? [...set] : []) {
        try {
          sub.onFault?.(err);
        } catch (e) {
          onListenerError(e);
        }
      }
    },
    listenerCount(taskId) {
      return byTask.get(taskId)?.size ?? 0;
    },
  };
}
