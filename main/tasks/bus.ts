import type { TaskEvent } from './task-event';

export type TaskListener = (event: TaskEvent) => void;

/** Fans committed events out to in-process subscribers, synchronously and in commit order. */
export interface TaskBus {
  /** Listens to one task's events. Returns the unsubscribe function. */
  subscribe(taskId: string, listener: TaskListener): () => void;
  /** Listens to every task's events (push delivery, the monitor, MCP). */
  subscribeAll(listener: TaskListener): () => void;
  publish(events: readonly TaskEvent[]): void;
  listenerCount(taskId: string): number;
}

/**
 * Listeners must not block: each one owns its own bounded buffer (an SSE stream, say) and
 * drops itself when that overflows, so a slow reader costs neither the writer nor the others.
 */
export function createTaskBus(onListenerError: (err: unknown) => void): TaskBus {
  const byTask = new Map<string, Set<TaskListener>>();
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
    subscribe(taskId, listener) {
      let set = byTask.get(taskId);
      if (!set) byTask.set(taskId, (set = new Set()));
      set.add(listener);
      return () => {
        set.delete(listener);
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
        if (set) deliver([...set], event);
        if (global.size) deliver([...global], event);
      }
    },
    listenerCount(taskId) {
      return byTask.get(taskId)?.size ?? 0;
    },
  };
}
