import { create } from 'zustand';
import type { TaskLogEntry, TaskSummary } from '../../../shared/monitor-api';
import type { Api } from '../lib/api';
import { connectRawOutput } from '../lib/raw-output';
import { isFinal } from '../lib/states';
import { applyEntry, emptyDetail, fromSnapshot, mergeHistory, type TaskDetail } from '../lib/task-log';

export interface TaskViewState {
  detail?: TaskDetail;
  /** True while the task's stream is open. */
  live: boolean;
  error?: string;
  /** The host has no task of this id: the view says so instead of showing an empty queued task. */
  missing: boolean;
  /**
   * The task's summary as the host gives it when the view opens (agent, codebase, the device a
   * synced copy runs on), for a task the live feed does not hold.
   */
  summary?: TaskSummary;
  /**
   * The task's raw terminal bytes, when it ran in a local pty: appended to in place (a flood
   * costs no copying), with `rawVersion` bumped per batch. Empty: show the output artifact.
   */
  raw: string[];
  rawVersion: number;
  /** Follows one task's event log (replayed from the start, then live) until the returned function is called. */
  open(api: Api, taskId: string): () => void;
  /** Applies entries in order; exposed for tests and for the batching in `open`. */
  apply(entries: readonly TaskLogEntry[]): void;
  /** Appends raw output; exposed for tests and for the batching in `open`. */
  applyRaw(texts: readonly string[]): void;
}

/** Entries are applied in batches at most this often, so a flooding agent costs one render per batch. */
const BATCH_MS = 50;

export const useTaskView = create<TaskViewState>()((set, get) => ({
  live: false,
  missing: false,
  raw: [],
  rawVersion: 0,

  applyRaw(texts) {
    if (texts.length === 0) return;
    const { raw, rawVersion } = get();
    raw.push(...texts);
    set({ rawVersion: rawVersion + 1 });
  },

  apply(entries) {
    const start = get().detail;
    if (!start) return;
    let detail = start;
    for (const e of entries) detail = applyEntry(detail, e);
    if (detail !== start) set({ detail });
  },

  open(api, taskId) {
    set({ detail: emptyDetail(taskId), live: true, error: undefined, missing: false, summary: undefined, raw: [], rawVersion: 0 });
    let closed = false;
    const current = () => {
      const detail = get().detail;
      return !closed && detail?.id === taskId ? detail : undefined;
    };
    // A synced copy of another device's task has no event log here: its stored task stands in.
    api.call('GET /v1/tasks/{id}', { params: { id: taskId } }).then(
      (task) => {
        const detail = current();
        if (detail) set({ detail: fromSnapshot(detail, task) });
      },
      // A missing task is reported by the stream (404), any other error too.
      () => {},
    );
    api.call('GET /api/tasks/{id}', { params: { id: taskId } }).then(
      (summary) => current() && set({ summary }),
      () => {},
    );
    // The user's answers are in the task's history, not in its event log: read it again after each one.
    let historyRead = 0;
    const readHistory = () => {
      const resumes = get().detail?.resumes ?? 0;
      if (resumes <= historyRead) return;
      historyRead = resumes;
      api.call('GET /v1/tasks/{id}', { params: { id: taskId } }).then(
        (task) => {
          const detail = current();
          if (!detail) return;
          const merged = mergeHistory(detail, task.history ?? []);
          if (merged !== detail) set({ detail: merged });
        },
        // The messages stay as the stream gave them; the stream's own errors are shown already.
        () => {},
      );
    };
    let pending: TaskLogEntry[] = [];
    const pendingRaw: string[] = [];
    let timer: ReturnType<typeof setTimeout> | undefined;
    const flush = () => {
      timer = undefined;
      const batch = pending;
      pending = [];
      get().applyRaw(pendingRaw.splice(0));
      get().apply(batch);
      readHistory();
      const state = get().detail?.state;
      // A final task sends nothing more: close, or the stream would be held open for nothing.
      if (state && isFinal(state)) {
        stopEvents();
        set({ live: false });
      }
    };
    const stopEvents = api.stream(
      '/api/tasks/{id}/events',
      {
        event(e) {
          pending.push(JSON.parse(e.data) as TaskLogEntry);
          timer ??= setTimeout(flush, BATCH_MS);
        },
        open: () => set({ error: undefined, live: true }),
        down(problem) {
          if (problem.status === 404) {
            stopRaw();
            set({ live: false, missing: true, error: undefined });
          } else if (problem.status) set({ live: false, error: `The task could not be loaded from the host: ${problem.message}` });
          else set({ error: problem.message });
        },
      },
      { params: { id: taskId } },
    );
    const stopRaw = connectRawOutput(api, taskId, {
      data(text) {
        pendingRaw.push(text);
        timer ??= setTimeout(flush, BATCH_MS);
      },
    });
    return () => {
      closed = true;
      clearTimeout(timer);
      stopEvents();
      stopRaw();
      if (get().detail?.id === taskId) set({ detail: undefined, live: false, error: undefined, missing: false, summary: undefined, raw: [], rawVersion: 0 });
    };
  },
}));
