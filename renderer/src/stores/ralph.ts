import { create } from 'zustand';
import type { RunLogLine, RunSummaryView, RunView } from '../../../shared/ralph-api';
import type { Api } from '../lib/api';

interface RalphState {
  runs: RunSummaryView[];
  runsError?: string;
  run?: RunView;
  log: RunLogLine[];
  boardError?: string;
  /** Reads the run list once; the view calls it again when a run's task changes in the feed. */
  loadRuns(api: Api): Promise<void>;
  /** Follows one run live over its SSE stream: the whole run after each change, and its log. Returns the closer. */
  openRun(api: Api, id: string): () => void;
}

export const useRalph = create<RalphState>()((set, get) => ({
  runs: [],
  log: [],
  async loadRuns(api) {
    try {
      const { runs } = await api.call('GET /v1/ralph/runs', { query: { limit: '200' } });
      set({ runs, runsError: undefined });
    } catch (err) {
      set({ runsError: (err as Error).message });
    }
  },
  openRun(api, id) {
    set({ run: get().run?.id === id ? get().run : undefined, log: [], boardError: undefined });
    const close = api.stream(
      '/v1/ralph/runs/{id}/stream',
      {
        event(e) {
          if (e.type === 'run') {
            const run = JSON.parse(e.data) as RunView;
            set({ run, boardError: undefined });
            // The host ends the stream of an ended run; reconnecting would only fetch it again.
            if (run.status === 'completed' || run.status === 'failed' || run.status === 'canceled') close();
          }
          else if (e.type === 'log') set({ log: [...get().log, JSON.parse(e.data) as RunLogLine] });
        },
        down(problem) {
          if (problem.status) set({ boardError: problem.message });
        },
      },
      { params: { id } },
    );
    return close;
  },
}));
