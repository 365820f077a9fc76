import { create } from 'zustand';
import type { TaskLogEntry } from '../../../shared/monitor-api';
import type { Api } from '../lib/api';
import { isFinal } from '../lib/states';
import { applyEntry, emptyDetail, type TaskDetail } from '../lib/task-log';

export interface TaskViewState {
  detail?: TaskDetail;
  /** True while the task's stream is open. */
  live: boolean;
  error?: string;
  /** Follows one task's event log (replayed from the start, then live) until the returned function is called. */
  open(api: Api, taskId: string): () => void;
  /** Applies entries in order; exposed for tests and for the batching in `open`. */
  apply(entries: readonly TaskLogEntry[]): void;
}

/** Entries are applied in batches at most this often, so a flooding agent costs one render per batch. */
const BATCH_MS = 50;

export const useTaskView = create<TaskViewState>()((set, get) => ({
  live: false,

  apply(entries) {
    const start = get().detail;
    if (!start) return;
    let detail = start;
    for (const e of entries) detail = applyEntry(detail, e);
    if (detail !== start) set({ detail });
  },

  open(api, taskId) {
    set({ detail: emptyDetail(taskId), live: true, error: undefined });
    const es = new EventSource(api.url(`/api/tasks/${encodeURIComponent(taskId)}/events`));
    let pending: TaskLogEntry[] = [];
    let timer: ReturnType<typeof setTimeout> | undefined;
    const flush = () => {
      timer = undefined;
      const batch = pending;
      pending = [];
      get().apply(batch);
      const state = get().detail?.state;
      // A final task sends nothing more: close, or EventSource would reconnect forever.
      if (state && isFinal(state)) {
        es.close();
        set({ live: false });
      }
    };
    es.onmessage = (m: MessageEvent<string>) => {
      pending.push(JSON.parse(m.data) as TaskLogEntry);
      timer ??= setTimeout(flush, BATCH_MS);
    };
    es.onopen = () => set({ error: undefined, live: true });
    es.onerror = () => {
      if (es.readyState === EventSource.CLOSED) set({ live: false, error: 'The task could not be loaded from the host.' });
      else set({ error: 'Connection to the host lost; reconnecting…' });
    };
    return () => {
      clearTimeout(timer);
      es.close();
      if (get().detail?.id === taskId) set({ detail: undefined, live: false, error: undefined });
    };
  },
}));
