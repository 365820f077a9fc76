import { create } from 'zustand';
import { taskStateNames, type AgentInfo, type CodebaseInfo, type FeedEvent, type HostInfo, type StateCounts, type TaskSummary, type WorkerInfo } from '../../../shared/monitor-api';
import { resolveHost } from '../host';
import { createA2a, type A2a } from '../lib/a2a';
import { createApi, type Api } from '../lib/api';
import { connectFeed } from '../lib/feed';
import { sortTasks, upsertTask } from '../lib/task-list';

export type Connection = 'connecting' | 'online' | 'offline';

export interface MonitorState {
  hostUrl?: string;
  api?: Api;
  a2a?: A2a;
  appVersion?: string;
  connection: Connection;
  /** True once the first snapshot arrived. */
  loaded: boolean;
  error?: string;
  tasks: TaskSummary[];
  counts: StateCounts;
  total: number;
  agents: AgentInfo[];
  codebases: CodebaseInfo[];
  workers: WorkerInfo[];
  host?: HostInfo;
  /** Finds the host and follows its live feed until the returned function is called. */
  start(): () => void;
  applyFeed(event: FeedEvent): void;
  feedDown(): void;
  setCodebases(codebases: CodebaseInfo[]): void;
}

export const zeroCounts = (): StateCounts => Object.fromEntries(taskStateNames.map((s) => [s, 0])) as StateCounts;

export const useMonitor = create<MonitorState>()((set, get) => ({
  connection: 'connecting',
  loaded: false,
  tasks: [],
  counts: zeroCounts(),
  total: 0,
  agents: [],
  codebases: [],
  workers: [],

  applyFeed(event) {
    if (event.type === 'snapshot') {
      const o = event.overview;
      set({
        connection: 'online',
        loaded: true,
        error: undefined,
        tasks: sortTasks(o.tasks),
        counts: o.counts,
        total: o.total,
        agents: o.agents,
        codebases: o.codebases,
        workers: o.workers,
        host: o.host,
      });
      return;
    }
    set((s) => ({ tasks: upsertTask(s.tasks, event.task), counts: event.counts, total: event.total }));
  },

  feedDown() {
    set({ connection: 'offline' });
  },

  setCodebases(codebases) {
    set((s) => ({ codebases, workers: s.workers.map((w) => (w.local ? { ...w, codebases: codebases.map((c) => c.name) } : w)) }));
  },

  start() {
    let stop: (() => void) | undefined;
    let stopped = false;
    resolveHost().then(
      (target) => {
        if (stopped) return;
        const api = createApi(target.hostUrl);
        set({ hostUrl: target.hostUrl, appVersion: target.appVersion, api, a2a: createA2a(api) });
        stop = connectFeed(api.url('/api/events'), { event: (e) => get().applyFeed(e), down: () => get().feedDown() });
      },
      (err: unknown) => set({ connection: 'offline', error: (err as Error).message }),
    );
    return () => {
      stopped = true;
      stop?.();
    };
  },
}));
