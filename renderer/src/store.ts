import { create } from 'zustand';
import { fetchHealth, resolveHost } from './host';

export type Connection = 'connecting' | 'online' | 'degraded' | 'offline';

interface MonitorState {
  hostUrl?: string;
  version?: string;
  connection: Connection;
  error?: string;
  /** Finds the host and keeps checking its health until the returned stop function is called. */
  start(): () => void;
}

const healthEveryMs = 5000;

export const useMonitor = create<MonitorState>()((set, get) => ({
  connection: 'connecting',
  start() {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const controller = new AbortController();

    const check = async () => {
      const { hostUrl } = get();
      if (!hostUrl) return;
      try {
        const health = await fetchHealth(hostUrl, controller.signal);
        set((s) => ({ connection: health.status === 'ok' ? 'online' : 'degraded', version: s.version ?? health.version, error: undefined }));
      } catch (err) {
        if (!stopped) set({ connection: 'offline', error: (err as Error).message });
      }
      if (!stopped) timer = setTimeout(() => void check(), healthEveryMs);
    };

    resolveHost().then(
      (target) => {
        if (stopped) return;
        set({ hostUrl: target.hostUrl, version: target.appVersion });
        void check();
      },
      (err: unknown) => set({ connection: 'offline', error: (err as Error).message }),
    );

    return () => {
      stopped = true;
      clearTimeout(timer);
      controller.abort();
    };
  },
}));
